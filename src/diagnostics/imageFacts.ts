/**
 * What the local daemon knows about base images, applied to findings the file alone cannot settle: a base image
 * that already runs as a non-root user or declares a HEALTHCHECK needs neither in the Dockerfile, and a base image
 * far older than the user allows deserves a word. The editor gathers the facts; this module only reasons on them.
 */
import { DockerfileParser } from 'dockerfile-ast';
import { defaultConfig } from './config';
import { createContext } from './dockerfile/context';
import { baseImageQuestions } from './dockerfile/imageRole';
import { buildModel } from './dockerfile/model';
import { NO_ROOT_USER } from './dockerfile/rules/noRootUser';
import { parseDockerfile } from './dockerfile/parse';
import { defineRule, finding } from './registry';
import { Finding, range } from './types';

export interface ImageFacts {
  /** The image's configured user; empty means root. */
  user: string;
  healthcheck: boolean;
  /** ISO date the image was created. */
  created?: string;
  id?: string;
  /** The image's environment (`Config.Env`, `NAME=value`): what a stage built on it starts with. */
  env?: string[];
}

export interface SilencedFinding {
  line: number;
  code: string;
  reason: string;
}

export const STALE_BASE_IMAGE = defineRule({
  code: 'stale-base-image',
  kind: 'dockerfile',
  aliases: [],
  severity: 'info',
  title: 'The base image the daemon has for this tag is old',
  lesson: 'dockwise.todoApp#security',
});

const isRoot = (user: string) => {
  const u = user.trim().split(':')[0];
  return u === '' || u === 'root' || u === '0';
};

/** The final stage's FROM line and the image it finally rests on, following `FROM <earlier stage>` chains. */
export function finalBase(text: string): { fromLine: number; image: string; imageRange: Finding['range'] } | undefined {
  const froms = DockerfileParser.parse(text).getFROMs();
  const last = froms[froms.length - 1];
  if (!last) return undefined;
  let from = last;
  for (let hops = 0; hops < froms.length; hops++) {
    const name = from.getImageName()?.toLowerCase();
    const parent = froms.find((f, i) => i < froms.indexOf(from) && f.getBuildStage()?.toLowerCase() === name);
    if (!parent) break;
    from = parent;
  }
  const image = from.getImage();
  const r = from.getImageRange();
  if (!image || !r || image.includes('$') || image === 'scratch') return undefined;
  return { fromLine: last.getRange().start.line, image, imageRange: range(r.start.line, r.start.character, r.end.line, r.end.character) };
}

/**
 * Settles with the daemon's facts what the file alone cannot: drops no-root-user and require-healthcheck on the
 * final FROM when the base image already runs as non-root or declares a HEALTHCHECK (and says why even when the
 * rule had stayed silent, not knowing the image), adds no-root-user when a service leaves its user to a base
 * image that runs as root, settles undefined-var's "may be", and adds a stale-base-image finding when the image is
 * older than `maxAgeDays`.
 */
export function applyImageFacts(
  findings: Finding[],
  text: string,
  facts: Record<string, ImageFacts>,
  opts: { maxAgeDays?: number; now?: Date } = {},
): { findings: Finding[]; silenced: SilencedFinding[] } {
  const settled = settleUndefinedVars(findings, facts);
  findings = settled.findings;
  const base = finalBase(text);
  const f = base && facts[base.image];
  if (!base || !f) return { findings, silenced: settled.silenced };
  const silenced: SilencedFinding[] = [...settled.silenced];
  // The course rules leave to the base image what only it can settle (imageRole.ts): the daemon settles it here,
  // both ways. A service that sets no user runs as root when the base image does, whatever its name.
  const questions = baseImageQuestions(createContext(text, undefined, defaultConfig(), { readFile: () => undefined }));
  const onFrom = (code: string) => (x: Finding) => x.code === code && x.range.start.line === base.fromLine;
  let kept = findings;
  if (questions.userFromBase && !isRoot(f.user)) {
    kept = kept.filter((x) => !onFrom('no-root-user')(x));
    silenced.push({ line: base.fromLine, code: 'no-root-user', reason: `${base.image} already runs as user "${f.user}" (the local Docker daemon says so), so the container is not root.` });
  } else if (questions.userFromBase && !kept.some(onFrom('no-root-user'))) {
    kept = [...kept, finding(NO_ROOT_USER, base.imageRange,
      `The final stage never sets USER, and ${base.image} runs as root (the local Docker daemon says so), so the container runs as root. A process running as root turns any break-in into full control of the container. Create an unprivileged user and switch to it after the steps that need root.`,
      { aliases: [] })];
  }
  if (questions.healthcheckFromBase && f.healthcheck) {
    kept = kept.filter((x) => !onFrom('require-healthcheck')(x));
    silenced.push({ line: base.fromLine, code: 'require-healthcheck', reason: `${base.image} already declares a HEALTHCHECK, which this image inherits (the local Docker daemon says so).` });
  }
  if (opts.maxAgeDays && f.created) {
    const ageDays = ((opts.now ?? new Date()).getTime() - new Date(f.created).getTime()) / 86_400_000;
    if (ageDays > opts.maxAgeDays) {
      kept.push(finding(STALE_BASE_IMAGE, base.imageRange, `The local ${base.image} was built ${Math.floor(ageDays)} days ago, so it likely misses security fixes. Pull it again (docker pull ${base.image}) or move to a newer tag, then rebuild.`, { data: { image: base.image, ageDays: Math.floor(ageDays) } }));
    }
  }
  return { findings: kept, silenced };
}

/**
 * undefined-var says "may be" when a variable can only come from the base image's environment; with that
 * environment from the daemon it can say for sure: gone when the image sets the variable, a warning when it
 * does not (what BuildKit, which reads the image's configuration, reports).
 */
function settleUndefinedVars(findings: Finding[], facts: Record<string, ImageFacts>): { findings: Finding[]; silenced: SilencedFinding[] } {
  const silenced: SilencedFinding[] = [];
  const out: Finding[] = [];
  for (const x of findings) {
    const image = x.code === 'undefined-var' && x.data?.maybe === true && typeof x.data.baseImage === 'string' ? x.data.baseImage : undefined;
    const env = image !== undefined ? facts[image]?.env : undefined;
    const name = typeof x.data?.variable === 'string' ? x.data.variable : undefined;
    if (!image || !env || !name) {
      out.push(x);
      continue;
    }
    if (env.some((e) => e === name || e.startsWith(name + '='))) {
      silenced.push({ line: x.range.start.line, code: x.code, reason: `${image} sets ${name} in its environment (the local Docker daemon says so), so $${name} is not empty here.` });
      continue;
    }
    out.push({
      ...x,
      severity: 'warning',
      message: `"$${name}" is not declared with ARG or ENV before this line, and ${image} does not set it either (the local Docker daemon says so), so it expands to an empty string. Declare it first (ARG ${name}=<default> or ENV ${name}=<value>).`,
      data: { ...x.data, maybe: false },
    });
  }
  return { findings: out, silenced };
}

/** Every image a stage is built on (not stages, not scratch, not hidden by a variable): what to ask the daemon about. */
export function baseImages(text: string): string[] {
  const model = buildModel(parseDockerfile(text));
  const out = new Set<string>();
  for (const st of model.stages) if (st.parent === undefined && st.root && st.root !== 'scratch') out.add(st.root);
  return [...out];
}
