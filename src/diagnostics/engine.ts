import { defaultConfig, LintConfig, severityLookup } from './config';
import { lintDockerfileWith } from './dockerfile';
import type { DockerfileContext } from './dockerfile/context';
import { parseDockerfile } from './dockerfile/parse';
import { DOCKERFILE_RULES } from './dockerfile/rules';
import { diskHost, LintHost } from './host';
import { loadShellParser } from './dockerfile/shell/parser';
import { defineRule, finding, ruleByName } from './registry';
import { byPosition, FileKind, Finding, range } from './types';

export interface LintRequest {
  text: string;
  kind: FileKind;
  /** Absolute path of the file, when it has one: used to find `.dockerignore`, the build context, etc. */
  filePath?: string;
  config?: LintConfig;
  host?: LintHost;
  /**
   * Lint at most this many characters (default `MAX_LINT_BYTES`): a longer Dockerfile is linted up to the last
   * instruction that starts before the limit, with a `linted-partially` finding saying so.
   */
  maxBytes?: number;
  /**
   * The Dockerfile already parsed (`createContext` on the same text, file, config and host): the CLI parses first
   * and starts ShellCheck on the parse, which then works while the shell parser loads and the rules run.
   */
  context?: DockerfileContext;
}

/** What each kind's linter receives. */
export interface KindLintRequest {
  text: string;
  filePath?: string;
  config: LintConfig;
  host: LintHost;
  /** A Dockerfile's parse of `text`, made earlier. */
  context?: DockerfileContext;
}

/** `lint()`'s findings with the parsed Dockerfile they came from, for callers that go on working on it. */
export interface LintResult {
  findings: Finding[];
  /** The Dockerfile's parse, model and (once built) shell model; undefined for compose files and unread input. */
  dockerfile?: DockerfileContext;
  /** Characters linted, when less than the whole text. */
  lintedChars?: number;
}

/**
 * Beyond this, only the first part of a file is linted: memory grows with the file (about 100 bytes per byte of
 * Dockerfile), and nobody writes a Dockerfile or compose file this large by hand.
 */
export const MAX_LINT_BYTES = 16 * 1024 * 1024;

const notText = (kind: FileKind) =>
  defineRule({ code: 'not-a-text-file', kind, aliases: [], severity: 'warning', title: 'The file is binary or too large to lint' });
const NOT_TEXT = { dockerfile: notText('dockerfile'), compose: notText('compose') };

export const LINTED_PARTIALLY = defineRule({
  code: 'linted-partially',
  kind: 'dockerfile',
  aliases: [],
  severity: 'warning',
  title: 'The file is too large to lint whole; only its beginning was checked',
});

/**
 * Lints one file. Never throws: a rule that fails on odd input becomes an `internal-error` finding, so one bad rule
 * cannot take the others (or the language server) down with it.
 */
export function lint(req: LintRequest): Finding[] {
  return lintWithContext(req).findings;
}

/** `lint()`, keeping the parsed Dockerfile for the caller (the language server answers code actions from it). */
export function lintWithContext(req: LintRequest): LintResult {
  const hit = recall(req);
  if (hit) return hit;
  const config = req.config ?? defaultConfig();
  const host = req.host ?? diskHost;
  const maxBytes = req.maxBytes ?? MAX_LINT_BYTES;
  const guard = inputProblem(req.text, req.kind, maxBytes);
  if (guard) return remember(req, { findings: [guard] });
  let result: LintResult;
  if (req.kind === 'dockerfile') {
    const cut = req.text.length > maxBytes ? partialCut(req.text, maxBytes) : undefined;
    let dockerfile: DockerfileContext | undefined;
    const text = cut ? req.text.slice(0, cut.chars) : req.text;
    const context = req.context?.text === text ? req.context : undefined;
    const raw = lintDockerfileWith({ text, filePath: req.filePath, config, host, context }, DOCKERFILE_RULES, (ctx) => (dockerfile = ctx));
    const findings = applyConfig(raw, config, req.kind);
    if (cut) {
      findings.unshift(finding(LINTED_PARTIALLY, range(0, 0, 0, 0),
        `Linted partially: this file is ${mb(req.text.length)}, too large to lint whole, so only lines 1–${cut.lines} (${mb(cut.chars)}) were checked. Split it, or lint it with \`dockwise lint\` in parts.`));
    }
    result = { findings, dockerfile, ...(cut ? { lintedChars: cut.chars } : {}) };
  } else {
    // Loaded on first use: the compose schema validator is large, and a Dockerfile never needs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { lintCompose } = require('./compose') as typeof import('./compose');
    result = { findings: applyConfig(lintCompose({ text: req.text, filePath: req.filePath, config, host }), config, req.kind) };
  }
  return remember(req, result);
}

/**
 * Registers every rule, the compose rules too (otherwise they load with the first compose file linted): for what
 * lists or looks up rules without linting, such as the rule pages.
 */
export function registerAllRules(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./compose');
}

const mb = (chars: number) => `${(chars / 1048576).toFixed(1)} MB`;

/** Where to stop in a Dockerfile longer than `maxBytes`: before the last instruction that starts within it. */
function partialCut(text: string, maxBytes: number): { chars: number; lines: number } {
  const head = text.slice(0, text.lastIndexOf('\n', maxBytes) + 1);
  const last = parseDockerfile(head).instructions.at(-1);
  // The last instruction may continue past the limit (a continuation, a heredoc): leave it out whole.
  const lines = head.split('\n');
  const keep = last && last.line > 0 ? last.line : lines.length - 1;
  const chars = lines.slice(0, keep).reduce((n, l) => n + l.length + 1, 0);
  return { chars, lines: keep };
}

/**
 * Loads what `lint()` needs but cannot load synchronously (the WebAssembly shell parser for RUN bodies). Until it
 * resolves, `lint()` still works but the RUN-body rules stay silent. Call it once, off the activation path.
 */
export function prepareLint(): Promise<void> {
  return loadShellParser().then(() => undefined);
}

/** Whether linting this text needs the shell parser: a Dockerfile with a RUN (or an ONBUILD RUN) in it. */
export function needsShellParser(req: Pick<LintRequest, 'text' | 'kind'>): boolean {
  return req.kind === 'dockerfile' && /\bRUN\b/i.test(req.text);
}

/** `lint()` once everything this file needs is loaded (and nothing it does not: a compose file loads no parser). */
export async function lintAsync(req: LintRequest): Promise<Finding[]> {
  if (needsShellParser(req)) await prepareLint();
  return lint(req);
}

function inputProblem(text: string, kind: FileKind, maxBytes: number): Finding | undefined {
  if (kind === 'compose' && text.length > maxBytes) {
    return finding(NOT_TEXT[kind], range(0, 0, 0, 0), `This file is ${mb(text.length)}; compose files over ${mb(maxBytes)} are not linted.`);
  }
  // A NUL in the first few kilobytes means a binary file opened by name (a Dockerfile.tar, say).
  if (text.slice(0, 8192).includes('\u0000')) {
    return finding(NOT_TEXT[kind], range(0, 0, 0, 0), 'This looks like a binary file, not a text file, so it was not linted.');
  }
  return undefined;
}

/** Applies configured severities (by code or alias), drops rules that are off (or off by default), sorts by position. */
export function applyConfig(findings: Finding[], config: LintConfig, kind: FileKind): Finding[] {
  const configured = severityLookup(config);
  const out: Finding[] = [];
  for (const f of findings) {
    const sev = configured([f.code, ...f.aliases]);
    if (sev === 'off') continue;
    if (!sev && ruleByName(kind, f.code)?.offByDefault) continue;
    out.push(sev ? { ...f, severity: sev } : f);
  }
  return out.sort(byPosition);
}

// --- remembered results ---------------------------------------------------------------------------------------

/**
 * The language server lints a document, then a fix-all on it lints the same text again (its first pass, and its
 * last pass when that changes nothing). With remembering on, a request identical to a recent one (same text,
 * kind, file, and the same config and host objects) gets the recent result. Off unless turned on: only a caller
 * that controls its config and host objects (and forgets when files they read change) may use it.
 */
let rememberCount = 0;
const recent: { req: LintRequest; result: LintResult }[] = [];

export function rememberLints(count: number): void {
  rememberCount = count;
  recent.length = Math.min(recent.length, count);
}

/** Drops remembered results: a file the host reads (`.dockerignore`, a config) may have changed. */
export function forgetLints(): void {
  recent.length = 0;
}

const sameRequest = (a: LintRequest, b: LintRequest) =>
  a.text === b.text && a.kind === b.kind && a.filePath === b.filePath && a.config === b.config && a.host === b.host && a.maxBytes === b.maxBytes;

function recall(req: LintRequest): LintResult | undefined {
  if (!rememberCount) return undefined;
  const i = recent.findIndex((r) => sameRequest(r.req, req));
  if (i < 0) return undefined;
  const [hit] = recent.splice(i, 1);
  recent.unshift(hit);
  return { ...hit.result, findings: [...hit.result.findings] };
}

function remember(req: LintRequest, result: LintResult): LintResult {
  if (!rememberCount) return result;
  recent.unshift({ req: { ...req }, result: { ...result, findings: [...result.findings] } });
  recent.length = Math.min(recent.length, rememberCount);
  return result;
}
