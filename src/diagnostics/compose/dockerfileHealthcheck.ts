/**
 * Does the image a service builds declare a HEALTHCHECK? Reads the service's Dockerfile (build context + dockerfile,
 * relative to the compose file) and looks at the stage that is built: the `target`, or the last one, and the stages
 * it is built FROM, since a HEALTHCHECK is inherited.
 */
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import type { LintHost } from '../host';
import { hasVariable } from './variables';

interface Stage {
  name?: string;
  from: string;
  healthcheck: boolean;
}

/** true / false when the Dockerfile was read; undefined when there is none to read (remote context, variables, missing). */
export function builtImageHasHealthcheck(build: unknown, dir: string | undefined, host: LintHost): boolean | undefined {
  let context = '.';
  let dockerfile = 'Dockerfile';
  let target: string | undefined;
  let inline: string | undefined;
  if (typeof build === 'string') context = build;
  else if (build && typeof build === 'object' && !Array.isArray(build)) {
    const b = build as Record<string, unknown>;
    if (typeof b.context === 'string') context = b.context;
    if (typeof b.dockerfile === 'string') dockerfile = b.dockerfile;
    if (typeof b.target === 'string') target = b.target;
    if (typeof b.dockerfile_inline === 'string') inline = b.dockerfile_inline;
  } else return undefined;
  let text = inline;
  if (text === undefined) {
    if (!dir || hasVariable(context) || hasVariable(dockerfile) || /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(context)) return undefined;
    text = host.readFile(path.resolve(dir, context, dockerfile));
  }
  if (text === undefined) return undefined;
  return stageHasHealthcheck(parseStages(text), target);
}

function parseStages(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const ins of DockerfileParser.parse(text).getInstructions()) {
    const kw = ins.getKeyword().toUpperCase();
    if (kw === 'FROM') {
      const args = ins.getArguments().map((a) => a.getValue());
      const words = args.filter((a) => !a.startsWith('--'));
      const asAt = words.findIndex((w) => w.toLowerCase() === 'as');
      stages.push({ from: (words[0] ?? '').toLowerCase(), name: asAt > 0 ? words[asAt + 1]?.toLowerCase() : undefined, healthcheck: false });
    } else if (kw === 'HEALTHCHECK' && stages.length) {
      // HEALTHCHECK NONE is a deliberate choice too: the author decided, so there is nothing to remind them of.
      stages[stages.length - 1].healthcheck = true;
    }
  }
  return stages;
}

function stageHasHealthcheck(stages: Stage[], target: string | undefined): boolean {
  let i = target ? stages.findIndex((s) => s.name === target.toLowerCase()) : stages.length - 1;
  if (i < 0) i = stages.length - 1;
  for (let hops = 0; i >= 0 && hops <= stages.length; hops++) {
    const s = stages[i];
    if (s.healthcheck) return true;
    const parent = stages.findIndex((p, j) => j < i && p.name === s.from);
    if (parent < 0) return false;
    i = parent;
  }
  return false;
}
