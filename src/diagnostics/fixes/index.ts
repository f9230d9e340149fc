/**
 * The fix engine. Every fix comes from a definition that declares its safety class (see types.ts); this module is
 * the one place that turns that class into behaviour: "fix all" and `--fix` apply `safe` fixes only, and every
 * `review` fix says its risk in its title.
 */
import { lint, LintRequest } from '../engine';
import type { FileKind, Finding } from '../types';
import { COMPOSE_FIXES } from './compose';
import { ComposeFixContext, DockerfileFixContext, fixContext } from './context';
import { DOCKERFILE_FIXES } from './dockerfile';
import { ignoreFixes } from './ignore';
import { applyEditGroups } from './text';
import type { Fix, FixDefinition, FixInput } from './types';

export type { Fix, FileChange, FileProbe, Safety, TextEdit } from './types';
export { applyEdits } from './text';

type AnyDefinition = FixDefinition<DockerfileFixContext> | FixDefinition<ComposeFixContext>;

/** Every fix definition, for docs and tests. */
export const FIX_DEFINITIONS: readonly AnyDefinition[] = [...DOCKERFILE_FIXES, ...COMPOSE_FIXES];

const named = (f: Finding, names: string[]) => {
  const all = [f.code, ...f.aliases].map((n) => n.toLowerCase());
  return names.some((n) => all.includes(n.toLowerCase()));
};

/** What a fix may read besides the text: where the file is, its settings, how to read files near it. */
export type FixRequest = Omit<LintRequest, 'text' | 'kind'> & Pick<FixInput, 'probe' | 'dockerfile'>;

export interface FixOptions {
  /** Offer the two ignore comments too (default true). */
  ignore?: boolean;
  /** The file's path, settings and host, as linted. Fixes that read other files (the build context, `.env`) need it. */
  request?: FixRequest;
}

/** Definitions by kind and lower-cased rule name, so a finding finds its fixes without scanning them all. */
function index(defs: readonly AnyDefinition[]): Map<string, AnyDefinition[]> {
  const out = new Map<string, AnyDefinition[]>();
  for (const d of defs) {
    for (const r of d.rules) {
      const k = `${d.kind}:${r.toLowerCase()}`;
      const list = out.get(k) ?? [];
      if (!list.includes(d)) list.push(d);
      out.set(k, list);
    }
  }
  return out;
}
const ALL = index(FIX_DEFINITIONS);
const SAFE = index(FIX_DEFINITIONS.filter((d) => d.safety === 'safe'));

function definitionsFor(byName: Map<string, AnyDefinition[]>, kind: FileKind, f: Finding): AnyDefinition[] {
  const found: AnyDefinition[] = [];
  for (const n of [f.code, ...f.aliases]) for (const d of byName.get(`${kind}:${n.toLowerCase()}`) ?? []) if (!found.includes(d)) found.push(d);
  // In declaration order, which is the order an editor lists them in.
  return found.length > 1 ? FIX_DEFINITIONS.filter((d) => found.includes(d)) : found;
}

function fixesOf(byName: Map<string, AnyDefinition[]>, fx: DockerfileFixContext | ComposeFixContext, finding: Finding): Fix[] {
  const out: Fix[] = [];
  for (const def of definitionsFor(byName, fx.kind, finding)) {
    let proposals;
    try {
      proposals = (def as FixDefinition<typeof fx>).propose(fx, finding);
    } catch {
      // A fix that cannot understand odd input offers nothing rather than a broken edit.
      continue;
    }
    for (const p of proposals) {
      if (!p.edits.length && !p.files?.length) continue;
      const risk = def.safety === 'review' ? p.risk ?? def.risk : undefined;
      out.push({
        id: def.id,
        title: risk ? `${p.title} — ${risk}` : p.title,
        edits: p.edits,
        ...(p.files?.length ? { files: p.files } : {}),
        safety: def.safety,
        safe: def.safety === 'safe',
        preferred: def.safety === 'safe' || undefined,
      });
    }
  }
  // One preferred fix at most: the first safe one.
  let preferred = false;
  for (const f of out) {
    if (f.preferred && preferred) delete f.preferred;
    preferred ||= !!f.preferred;
  }
  return out;
}

const inputOf = (text: string, kind: FileKind, request?: FixRequest): FixInput => ({ text, kind, filePath: request?.filePath, config: request?.config, host: request?.host, probe: request?.probe, dockerfile: request?.dockerfile });

/** The fixes for one finding: safe ones first (one of them preferred), then suggestions, then the ignore comments. Never throws. */
export function fixesFor(finding: Finding, text: string, kind: FileKind, opts: FixOptions = {}): Fix[] {
  const fx = fixContext(inputOf(text, kind, opts.request));
  const own = fixesOf(ALL, fx, finding).sort((a, b) => rank(a) - rank(b));
  if (opts.ignore !== false) own.push(...ignoreFixes(fx, finding));
  return own;
}

const rank = (f: Fix) => (f.safety === 'safe' ? 0 : f.safety === 'review' ? 1 : 2);

/** Whether a finding has a fix safe to apply unseen (for "fix all" and --fix). */
export function hasSafeFix(finding: Finding, text: string, kind: FileKind, opts: Omit<FixOptions, 'ignore'> = {}): boolean {
  return fixesFor(finding, text, kind, { ...opts, ignore: false }).some((f) => f.safe);
}

export interface FixAllResult {
  text: string;
  /** Fixes applied, over all passes. */
  applied: number;
  /** The findings of the final text (the last pass's lint). */
  remaining: Finding[];
  passes: number;
}

/**
 * Applies every safe fix: lint, apply the safe fixes that do not overlap, lint again, until a pass has nothing left
 * to apply. Fixes that clash with one taken in a pass wait for the next. A fix that would bring back a text already
 * seen stops the loop, so a fix that does not remove its finding cannot apply itself again and again.
 */
export function fixAll(
  req: LintRequest & Pick<FixInput, 'probe'>,
  opts: {
    codes?: string[];
    maxPasses?: number;
    /** The findings of `req.text`, when the caller just linted it, and that lint's parse: the first pass reuses them. */
    findings?: Finding[];
    dockerfile?: FixInput['dockerfile'];
  } = {},
): FixAllResult {
  let text = req.text;
  let applied = 0;
  const seen = new Set<string>([text]);
  let findings = opts.findings ?? lint(req);
  let passes = 0;
  for (; passes < (opts.maxPasses ?? 8); passes++) {
    const fx = fixContext(inputOf(text, req.kind, { ...req, dockerfile: text === req.text ? opts.dockerfile : undefined }));
    const groups: Fix['edits'][] = [];
    for (const f of findings) {
      if (opts.codes && !named(f, opts.codes)) continue;
      // fixAll rewrites this one document: a fix that needs other files is the user's call.
      const fix = fixesOf(SAFE, fx, f).find((x) => x.safe && !x.files);
      if (fix) groups.push(fix.edits);
    }
    if (!groups.length) break;
    const next = applyEditGroups(text, groups);
    if (next.text === text || seen.has(next.text)) break;
    seen.add(next.text);
    applied += next.applied;
    text = next.text;
    findings = lint({ ...req, text });
  }
  return { text, applied, remaining: findings, passes };
}
