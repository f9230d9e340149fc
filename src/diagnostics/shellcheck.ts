/**
 * ShellCheck on every RUN body, where a `shellcheck` binary is on PATH and the configuration does not turn it off
 * (`shellcheck: false`). Writes the bodies to a private temporary folder and runs
 * `shellcheck --format=json1 --shell=<dialect> <files>` on them, one process per dialect and batch (an argument
 * array, never a shell string; starting ShellCheck costs more than checking a body), with a time limit, and maps
 * its findings back to exact Dockerfile positions. Findings have the code `shellcheck` and the ShellCheck code
 * (`SC2086`) as alias, so `SC2086: off`, `# hadolint ignore=SC2086` and `# dockwise-ignore SC2086` all work.
 *
 * As hadolint does: SC1090, SC1091 (need a directive a Dockerfile cannot hold) and SC2187 (ash) are skipped,
 * variables declared by ARG and ENV (and the proxy variables) count as set, and bodies for PowerShell, cmd or an
 * unknown shell are not checked. Exec-form RUNs run no shell and are not checked either.
 *
 * The work comes in three steps so that the language server can keep parsing off its message loop and the
 * processes on it: `shellcheckJobs` (the scripts, from a parsed Dockerfile), `checkScripts` (the processes) and
 * `shellcheckFindings` (back to Dockerfile positions). `runShellcheck` and `startShellcheck` do all three.
 */
import { applyConfig } from './engine';
import type { LintConfig } from './config';
import { createContext, DockerfileContext } from './dockerfile/context';
import { applyIgnores } from './dockerfile/ignores';
import { shellcheckDialect } from './dockerfile/shell/dialect';
import { RunBody, shellModel, stepPairs } from './dockerfile/shell/model';
import { loadShellParser } from './dockerfile/shell/parser';
import { diskHost, LintHost } from './host';
import { defineRule, finding } from './registry';
import type { Finding, Position, Severity } from './types';
import { checkScripts, ScComment, Script, ScriptResult, ShellcheckOptions, shellcheckUnavailable } from './shellcheckRunner';

export { checkScripts, cleanupShellcheck, findOnPath, shellcheckUnavailable, sweepStaleShellcheckFolders, SKIPPED_SHELLCHECK_CODES } from './shellcheckRunner';
export type { ScComment, Script, ScriptResult, ShellcheckOptions } from './shellcheckRunner';

export const SHELLCHECK = defineRule({
  code: 'shellcheck',
  kind: 'dockerfile',
  aliases: [],
  severity: 'warning',
  title: 'ShellCheck finding in a RUN instruction',
});

export const SHELLCHECK_INCOMPLETE = defineRule({
  code: 'shellcheck-incomplete',
  kind: 'dockerfile',
  aliases: [],
  severity: 'info',
  title: 'ShellCheck did not finish on a RUN instruction, so its findings there are missing',
});

const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy'];

export interface ShellcheckRequest {
  text: string;
  filePath?: string;
  config: LintConfig;
  host?: LintHost;
}

/** One RUN body to check: the script ShellCheck sees (a prelude declaring variables, then the body). */
export interface ShellcheckJob extends Script {
  /** Index of the body in the shell model's `runs`. */
  run: number;
  /** Lines of prelude before the body. */
  preludeLines: number;
}

/**
 * ShellCheck findings for a Dockerfile, already filtered by configuration and ignore comments. Resolves to []
 * (never rejects) when ShellCheck is off, missing, or fails.
 */
export async function runShellcheck(req: ShellcheckRequest, opts: ShellcheckOptions = {}): Promise<Finding[]> {
  if (req.config.shellcheck === false) return [];
  if (shellcheckUnavailable(opts.binary) || !/\bRUN\b/i.test(req.text)) return [];
  await loadShellParser();
  let ctx: DockerfileContext;
  try {
    ctx = createContext(req.text, req.filePath, req.config, req.host ?? diskHost);
  } catch {
    return [];
  }
  return startShellcheck(ctx, opts);
}

/**
 * `runShellcheck` on a Dockerfile already parsed. Its processes start before this returns: the CLI starts it as soon
 * as a file is parsed, so ShellCheck works while the shell parser loads and the rules run. RUN bodies need not be
 * parsed for it.
 */
export function startShellcheck(ctx: DockerfileContext, opts: ShellcheckOptions = {}): Promise<Finding[]> {
  const jobs = shellcheckJobs(ctx);
  if (!jobs.length) return Promise.resolve([]);
  return checkScripts(jobs, opts).then((results) => (opts.signal?.aborted ? [] : shellcheckFindings(ctx, jobs, results)));
}

/**
 * The scripts to check in a parsed Dockerfile (none when the configuration turns ShellCheck off). The variables
 * ARG and ENV declare before each RUN (in its stage, its parent stage and before the first FROM, and the proxy
 * variables) count as set: one pass over the steps, each stage's names kept as they grow.
 */
export function shellcheckJobs(ctx: DockerfileContext): ShellcheckJob[] {
  if (ctx.config.shellcheck === false) return [];
  const model = shellModel(ctx);
  const runIndex = new Map(model.runs.map((r, i) => [r, i]));
  const global = new Set(PROXY_VARS);
  const byStage = new Map<object, Set<string>>();
  const jobs: ShellcheckJob[] = [];
  for (const step of model.steps) {
    const stage = step.stage;
    const run = step.run;
    if (run) {
      const dialect = shellcheckDialect(run.dialect);
      if (dialect && run.form !== 'exec' && run.text.trim() !== '') {
        const sets = [global, byStage.get(stage), stage.parent && byStage.get(stage.parent)].filter((x): x is Set<string> => !!x);
        const prelude = preludeFor(run.text, (n) => sets.some((set) => set.has(n)));
        jobs.push({ run: runIndex.get(run)!, dialect, script: prelude.text + run.text, preludeLines: prelude.lines });
      }
    }
    if (step.keyword !== 'ARG' && step.keyword !== 'ENV') continue;
    let names = stage.index < 0 ? global : byStage.get(stage);
    if (!names) byStage.set(stage, (names = new Set()));
    for (const kv of stepPairs(model, step)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(kv.key)) names.add(kv.key);
  }
  return jobs;
}

const REFERENCE = /\$\{?[#!]?([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * `export NAME=1` for each declared variable the script refers to. Only those: the prelude stays as long as the
 * script at most, so the work grows with the file, not with the file times its number of ARG and ENV.
 */
function preludeFor(script: string, declared: (name: string) => boolean): { text: string; lines: number } {
  const names = new Set<string>();
  for (const m of script.matchAll(REFERENCE)) if (declared(m[1])) names.add(m[1]);
  let text = '';
  for (const n of names) text += `export ${n}=1\n`;
  return { text, lines: names.size };
}

/** ShellCheck's findings and the bodies it could not check, mapped onto the Dockerfile, filtered by config and ignore comments. */
export function shellcheckFindings(ctx: DockerfileContext, jobs: readonly ShellcheckJob[], results: readonly ScriptResult[]): Finding[] {
  const model = shellModel(ctx);
  const findings: Finding[] = [];
  let outOfTime: RunBody[] = [];
  jobs.forEach((job, i) => {
    const run = model.runs[job.run];
    const r = results[i];
    if (!run || !r) return;
    if ('comments' in r) {
      const at = offsetsOf(run.text, job.preludeLines);
      for (const c of r.comments) {
        const f = toFinding(run, c, at);
        if (f) findings.push(f);
      }
    } else if ('timedOut' in r) {
      findings.push(finding(SHELLCHECK_INCOMPLETE, keywordRange(ctx, run),
        'ShellCheck did not finish checking this RUN in time, so its ShellCheck findings are missing. Check the script on its own with shellcheck, or split it.'));
    } else if ('outOfTime' in r) {
      outOfTime.push(run);
    }
  });
  if (outOfTime.length) {
    outOfTime = outOfTime.sort((a, b) => a.step.instruction.line - b.step.instruction.line);
    findings.push(finding(SHELLCHECK_INCOMPLETE, keywordRange(ctx, outOfTime[0]),
      `ShellCheck ran out of time on this file: ${outOfTime.length} RUN instruction${outOfTime.length === 1 ? '' : 's'} from here on (lines ${outOfTime.map((r) => r.step.instruction.line + 1).slice(0, 5).join(', ')}${outOfTime.length > 5 ? ', …' : ''}) were not checked by it.`));
  }
  return applyConfig(applyIgnores(ctx, findings), ctx.config, 'dockerfile');
}

/** The RUN keyword's range (the ONBUILD keyword's, for a trigger). */
function keywordRange(ctx: DockerfileContext, run: RunBody): Finding['range'] {
  const ins = run.step.instruction;
  const line = ctx.parsed.lines[ins.line] ?? '';
  const start = line.length - line.trimStart().length;
  return { start: { line: ins.line, character: start }, end: { line: ins.line, character: start + ins.keyword.length } };
}

// --- positions ------------------------------------------------------------------------------------------------

const SEVERITY: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info', hint: 'hint', style: 'hint' };

/** Script line (1-based, prelude included) and column → offset in the body; computed once per body. */
function offsetsOf(body: string, preludeLines: number): (line: number, column: number) => number | undefined {
  const starts: number[] = [0];
  for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) starts.push(i + 1);
  return (line, column) => {
    const i = line - 1 - preludeLines;
    if (i < 0 || i >= starts.length) return undefined;
    const end = i + 1 < starts.length ? starts[i + 1] - 1 : body.length;
    // json1 columns are 1-based characters (a tab counts as one, unlike ShellCheck's terminal output).
    return starts[i] + Math.min(Math.max(column - 1, 0), end - starts[i]);
  };
}

function toFinding(run: RunBody, c: ScComment, offset: (line: number, column: number) => number | undefined): Finding | undefined {
  const s = offset(c.line, c.column);
  if (s === undefined) return undefined;
  const e = offset(c.endLine, c.endColumn) ?? s;
  const range = run.rangeOf(s, Math.max(s, e));
  const code = `SC${c.code}`;
  return {
    code: SHELLCHECK.code,
    severity: SEVERITY[c.level] ?? 'warning',
    message: `${c.message} (ShellCheck ${code})`,
    range: clampRange(range),
    aliases: [code],
    href: `https://www.shellcheck.net/wiki/${code}`,
  };
}

const clampRange = (r: { start: Position; end: Position }) =>
  r.end.line < r.start.line || (r.end.line === r.start.line && r.end.character < r.start.character) ? { start: r.start, end: r.start } : r;
