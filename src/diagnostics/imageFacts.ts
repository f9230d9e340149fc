/**
 * What the local daemon knows about base images, applied to findings the file alone cannot settle: a base image
 * that already runs as a non-root user or declares a HEALTHCHECK needs neither in the Dockerfile, and a base image
 * far older than the user allows deserves a word. The editor gathers the facts; this module only reasons on them.
 */
import type { DockerfileContext } from './dockerfile/context';
import { buildModel, DockerfileModel } from './dockerfile/model';
import { parseDockerfile, unquote, wordRange } from './dockerfile/parse';
import { defineRule, finding } from './registry';
import { Finding, range } from './types';

export interface ImageFacts {
  /** The image's configured user; empty means root. */
  user: string;
  healthcheck: boolean;
  /** ISO date the image was created. */
  created?: string;
  id?: string;
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

/**
 * The final stage's FROM line and the image it finally rests on, following `FROM <earlier stage>` chains. Takes
 * the text, or the lint's parsed file so that nothing is parsed twice (one pass either way: large files matter).
 */
export function finalBase(source: string | Pick<DockerfileContext, 'model' | 'escape'>): { fromLine: number; image: string; imageRange: Finding['range'] } | undefined {
  let model: DockerfileModel;
  let escape: string;
  if (typeof source === 'string') {
    const parsed = parseDockerfile(source);
    model = buildModel(parsed);
    escape = parsed.escape;
  } else {
    ({ model, escape } = source);
  }
  const last = model.finalStage;
  if (!last) return undefined;
  let stage = last;
  while (stage.parent !== undefined) stage = model.stages[stage.parent];
  const word = stage.imageWord;
  if (!word) return undefined;
  const image = unquote(word.raw, escape);
  if (!image || image.includes('$') || image.toLowerCase() === 'scratch') return undefined;
  const r = wordRange(stage.from, word.start, word.end);
  return { fromLine: last.from.line, image, imageRange: range(r.start.line, r.start.character, r.end.line, r.end.character) };
}

/**
 * Drops no-root-user and require-healthcheck findings on the final FROM when the base image already settles them,
 * and adds a stale-base-image finding when the image is older than `maxAgeDays`. Returns why each was dropped.
 */
export function applyImageFacts(
  findings: Finding[],
  source: string | Pick<DockerfileContext, 'model' | 'escape'>,
  facts: Record<string, ImageFacts>,
  opts: { maxAgeDays?: number; now?: Date } = {},
): { findings: Finding[]; silenced: SilencedFinding[] } {
  if (!Object.keys(facts).length) return { findings, silenced: [] };
  const base = finalBase(source);
  const f = base && facts[base.image];
  if (!base || !f) return { findings, silenced: [] };
  const silenced: SilencedFinding[] = [];
  const kept = findings.filter((x) => {
    if (x.range.start.line !== base.fromLine) return true;
    if (x.code === 'no-root-user' && !isRoot(f.user)) {
      silenced.push({ line: base.fromLine, code: x.code, reason: `${base.image} already runs as user "${f.user}" (the local Docker daemon says so), so the container is not root.` });
      return false;
    }
    if (x.code === 'require-healthcheck' && f.healthcheck) {
      silenced.push({ line: base.fromLine, code: x.code, reason: `${base.image} already declares a HEALTHCHECK, which this image inherits (the local Docker daemon says so).` });
      return false;
    }
    return true;
  });
  if (opts.maxAgeDays && f.created) {
    const ageDays = ((opts.now ?? new Date()).getTime() - new Date(f.created).getTime()) / 86_400_000;
    if (ageDays > opts.maxAgeDays) {
      kept.push(finding(STALE_BASE_IMAGE, base.imageRange, `The local ${base.image} was built ${Math.floor(ageDays)} days ago, so it likely misses security fixes. Pull it again (docker pull ${base.image}) or move to a newer tag, then rebuild.`, { data: { image: base.image, ageDays: Math.floor(ageDays) } }));
    }
  }
  return { findings: kept, silenced };
}
