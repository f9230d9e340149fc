import { configuredSeverity, defaultConfig, LintConfig } from './config';
import { lintCompose } from './compose';
import { lintDockerfile } from './dockerfile';
import { diskHost, LintHost } from './host';
import { loadShellParser } from './dockerfile/shell/parser';
import { defineRule, finding, ruleByName } from './registry';
import { FileKind, Finding, range } from './types';

export interface LintRequest {
  text: string;
  kind: FileKind;
  /** Absolute path of the file, when it has one: used to find `.dockerignore`, the build context, etc. */
  filePath?: string;
  config?: LintConfig;
  host?: LintHost;
}

/** What each kind's linter receives. */
export interface KindLintRequest {
  text: string;
  filePath?: string;
  config: LintConfig;
  host: LintHost;
}

/** Beyond this, a file is not linted: nobody writes a Dockerfile or compose file this large by hand. */
export const MAX_LINT_BYTES = 16 * 1024 * 1024;

const notText = (kind: FileKind) =>
  defineRule({ code: 'not-a-text-file', kind, aliases: [], severity: 'warning', title: 'The file is binary or too large to lint' });
const NOT_TEXT = { dockerfile: notText('dockerfile'), compose: notText('compose') };

/**
 * Lints one file. Never throws: a rule that fails on odd input becomes an `internal-error` finding, so one bad rule
 * cannot take the others (or the language server) down with it.
 */
export function lint(req: LintRequest): Finding[] {
  const config = req.config ?? defaultConfig();
  const host = req.host ?? diskHost;
  const guard = inputProblem(req.text, req.kind);
  if (guard) return [guard];
  const raw = req.kind === 'dockerfile'
    ? lintDockerfile({ text: req.text, filePath: req.filePath, config, host })
    : lintCompose({ text: req.text, filePath: req.filePath, config, host });
  return applyConfig(raw, config, req.kind);
}

/**
 * Loads what `lint()` needs but cannot load synchronously (the WebAssembly shell parser for RUN bodies). Until it
 * resolves, `lint()` still works but the RUN-body rules stay silent. Call it once, off the activation path.
 */
export function prepareLint(): Promise<void> {
  return loadShellParser().then(() => undefined);
}

/** `lint()` once everything it needs is loaded. */
export async function lintAsync(req: LintRequest): Promise<Finding[]> {
  await prepareLint();
  return lint(req);
}

function inputProblem(text: string, kind: FileKind): Finding | undefined {
  if (text.length > MAX_LINT_BYTES) {
    return finding(NOT_TEXT[kind], range(0, 0, 0, 0), `This file is ${(text.length / 1048576).toFixed(1)} MB; files over ${MAX_LINT_BYTES / 1048576} MB are not linted.`);
  }
  // A NUL in the first few kilobytes means a binary file opened by name (a Dockerfile.tar, say).
  if (text.slice(0, 8192).includes('\u0000')) {
    return finding(NOT_TEXT[kind], range(0, 0, 0, 0), 'This looks like a binary file, not a text file, so it was not linted.');
  }
  return undefined;
}

/** Applies configured severities (by code or alias), drops rules that are off (or off by default), sorts by position. */
export function applyConfig(findings: Finding[], config: LintConfig, kind: FileKind): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const sev = configuredSeverity(config, [f.code, ...f.aliases]);
    if (sev === 'off') continue;
    if (!sev && ruleByName(kind, f.code)?.offByDefault) continue;
    out.push(sev ? { ...f, severity: sev } : f);
  }
  return out.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.code.localeCompare(b.code),
  );
}
