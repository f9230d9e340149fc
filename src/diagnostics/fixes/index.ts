import { lint, LintRequest } from '../engine';
import type { FileKind, Finding } from '../types';
import { COMPOSE_FIXES } from './compose';
import { DOCKERFILE_FIXES } from './dockerfile';
import { ignoreFixes } from './ignore';
import { applyEditsCounting } from './text';
import type { Fix, FixProvider } from './types';

export type { Fix, TextEdit } from './types';
export { applyEdits } from './text';

const PROVIDERS: Record<FileKind, Array<[string[], FixProvider]>> = { dockerfile: DOCKERFILE_FIXES, compose: COMPOSE_FIXES };

const named = (f: Finding, names: string[]) => {
  const all = [f.code, ...f.aliases].map((n) => n.toLowerCase());
  return names.some((n) => all.includes(n.toLowerCase()));
};

/** The fixes for one finding: the rule's own first, then the two ways to ignore it. Never throws. */
export function fixesFor(finding: Finding, text: string, kind: FileKind, opts: { ignore?: boolean } = {}): Fix[] {
  const out: Fix[] = [];
  for (const [names, provider] of PROVIDERS[kind]) {
    if (!named(finding, names)) continue;
    try {
      out.push(...provider({ finding, text, kind }));
    } catch {
      // A fix that cannot understand odd input offers nothing rather than a broken edit.
    }
  }
  if (opts.ignore !== false) out.push(...ignoreFixes({ finding, text, kind }));
  return out;
}

/** Whether a rule has a fix safe to apply unseen (for "fix all" and --fix). */
export function hasSafeFix(finding: Finding, text: string, kind: FileKind): boolean {
  return fixesFor(finding, text, kind, { ignore: false }).some((f) => f.safe);
}

/**
 * Applies every safe fix, re-linting between passes so fixes that touch the same lines, or that only make sense
 * after another (a healthcheck, then waiting for it), all land. Stops when a pass changes nothing.
 */
export function fixAll(req: LintRequest, opts: { codes?: string[]; maxPasses?: number } = {}): { text: string; applied: number; remaining: Finding[] } {
  let text = req.text;
  let applied = 0;
  for (let pass = 0; pass < (opts.maxPasses ?? 8); pass++) {
    const findings = lint({ ...req, text }).filter((f) => !opts.codes || named(f, opts.codes));
    const edits = findings.flatMap((f) => fixesFor(f, text, req.kind, { ignore: false }).filter((x) => x.safe).slice(0, 1).flatMap((x) => x.edits));
    if (!edits.length) break;
    const next = applyEditsCounting(text, edits);
    if (next.text === text) break;
    applied += next.applied;
    text = next.text;
  }
  return { text, applied, remaining: lint({ ...req, text }) };
}
