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
 * `shellcheckFindings` (back to Dockerfile positions). `runShellcheck` does all three.
 */
import { ChildProcess, execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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

/** hadolint leaves these out: they need a directive a Dockerfile cannot express, or they are about ash itself. */
export const SKIPPED_SHELLCHECK_CODES = ['SC1090', 'SC1091', 'SC2187'];

const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy'];

/** Folders this module makes are named `dockwise-shellcheck-<pid>-…`, so a later run can tell whose they are. */
const TEMP_PREFIX = 'dockwise-shellcheck-';

export interface ShellcheckOptions {
  /** The executable: a name looked up on PATH (`shellcheck` by default), or an absolute path. */
  binary?: string;
  /** Per ShellCheck process (a batch of bodies), plus 100 ms per body. A batch that takes longer is split and retried; a single body that takes longer is reported as not checked. */
  timeoutMs?: number;
  /** All the processes for one file together; bodies not checked by then are reported as not checked. */
  budgetMs?: number;
  /** Processes at a time. */
  concurrency?: number;
  /** Bodies per ShellCheck process. */
  batchSize?: number;
  /** Told once per binary when it cannot be run (not installed), so the caller can log it. */
  onUnavailable?: (message: string) => void;
  /** Told when ShellCheck ran out of time, so the caller can log it. */
  onTimeout?: (message: string) => void;
  /** Stops starting new processes and kills running ones (a newer edit made these results stale). */
  signal?: AbortSignal;
}

export interface ShellcheckRequest {
  text: string;
  filePath?: string;
  config: LintConfig;
  host?: LintHost;
}

export interface ScComment {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  level: string;
  code: number;
  message: string;
}

/** One RUN body to check: the script ShellCheck sees (a prelude declaring variables, then the body). */
export interface ShellcheckJob {
  /** Index of the body in the shell model's `runs`. */
  run: number;
  dialect: 'sh' | 'bash' | 'dash' | 'ksh';
  script: string;
  /** Lines of prelude before the body. */
  preludeLines: number;
}

/** What came of one script: ShellCheck's comments, or why there are none. */
export type ScriptResult = { comments: ScComment[] } | { timedOut: true } | { outOfTime: true } | { notRun: true };

const unavailable = new Set<string>();
const reported = new Set<string>();

/** Results per (binary, dialect, script): editors re-lint files whose RUN bodies mostly did not change. */
const cache = new Map<string, ScComment[]>();
const CACHE_LIMIT = 1000;

/** True when ShellCheck is known to be missing (after a first attempt). */
export const shellcheckUnavailable = (binary = 'shellcheck'): boolean => unavailable.has(binary);

/**
 * ShellCheck findings for a Dockerfile, already filtered by configuration and ignore comments. Resolves to []
 * (never rejects) when ShellCheck is off, missing, or fails.
 */
export async function runShellcheck(req: ShellcheckRequest, opts: ShellcheckOptions = {}): Promise<Finding[]> {
  if (req.config.shellcheck === false) return [];
  if (unavailable.has(opts.binary ?? 'shellcheck')) return [];
  await loadShellParser();
  let ctx: DockerfileContext;
  try {
    ctx = createContext(req.text, req.filePath, req.config, req.host ?? diskHost);
  } catch {
    return [];
  }
  const jobs = shellcheckJobs(ctx);
  if (!jobs.length) return [];
  const results = await checkScripts(jobs, opts);
  if (opts.signal?.aborted) return [];
  return shellcheckFindings(ctx, jobs, results);
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

/**
 * Runs ShellCheck on the scripts; one result per script, in order. Scripts seen before come from the cache. A
 * batch that times out is split in two and each half retried, so that one slow body costs only its own findings.
 */
export async function checkScripts(jobs: readonly Pick<ShellcheckJob, 'dialect' | 'script'>[], opts: ShellcheckOptions = {}): Promise<ScriptResult[]> {
  const results: ScriptResult[] = jobs.map(() => ({ notRun: true }));
  const binary = resolveBinary(opts.binary ?? 'shellcheck');
  if (!binary) {
    reportUnavailable(opts.binary ?? 'shellcheck', opts);
    return results;
  }
  const batchSize = opts.batchSize ?? 100;
  const queue: number[][] = [];
  for (const dialect of ['sh', 'bash', 'dash', 'ksh']) {
    const todo: number[] = [];
    jobs.forEach((j, i) => {
      if (j.dialect !== dialect) return;
      const hit = cache.get(cacheKey(binary, j));
      if (hit) results[i] = { comments: hit };
      else todo.push(i);
    });
    for (let i = 0; i < todo.length; i += batchSize) queue.push(todo.slice(i, i + batchSize));
  }
  const deadline = Date.now() + (opts.budgetMs ?? 60_000);
  const started = generation;
  const worker = async () => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      if (opts.signal?.aborted || unavailable.has(binary) || generation !== started || Date.now() >= deadline) {
        queue.unshift(batch);
        return;
      }
      const own = (opts.timeoutMs ?? 5000) + 100 * batch.length;
      const left = deadline - Date.now();
      const out = await checkBatch(binary, jobs[batch[0]].dialect, batch.map((i) => jobs[i].script), Math.min(own, left), opts);
      if (out === 'timeout') {
        // Cut short by the file's budget: these bodies were not slow, the file was.
        if (left < own) queue.unshift(batch);
        else if (batch.length > 1) queue.unshift(batch.slice(0, batch.length >> 1), batch.slice(batch.length >> 1));
        else results[batch[0]] = { timedOut: true };
        continue;
      }
      if (!out) continue;
      batch.forEach((i, k) => {
        results[i] = { comments: out[k] };
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        cache.set(cacheKey(binary, jobs[i]), out[k]);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 2, queue.length)) }, worker));
  if (opts.signal?.aborted || unavailable.has(binary) || generation !== started) return results;
  for (const batch of queue) for (const i of batch) results[i] = { outOfTime: true };
  const late = results.filter((r) => 'timedOut' in r).length;
  const skipped = results.filter((r) => 'outOfTime' in r).length;
  if (late || skipped) {
    const parts = [
      late ? `${late} RUN bod${late === 1 ? 'y' : 'ies'} took longer than ${seconds(opts.timeoutMs ?? 5000)} each` : '',
      skipped ? `${skipped} RUN bod${skipped === 1 ? 'y was' : 'ies were'} not checked within ${seconds(opts.budgetMs ?? 60_000)} for the whole file` : '',
    ].filter(Boolean);
    opts.onTimeout?.(`ShellCheck (${binary}) ran out of time: ${parts.join('; ')}. Their ShellCheck findings are missing.`);
  }
  return results;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;

const cacheKey = (binary: string, j: Pick<ShellcheckJob, 'dialect' | 'script'>) => `${binary}\u0000${j.dialect}\u0000${j.script}`;

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

/** Finds a binary on PATH only (absolute entries), never in the working directory; an absolute path is taken as is. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (path.isAbsolute(name)) return isExecutable(name, platform) ? name : undefined;
  // A relative path with a separator would be resolved against the working directory: refuse it.
  if (name.includes('/') || name.includes('\\')) return undefined;
  const pathVar = platform === 'win32' ? Object.entries(env).find(([k]) => k.toUpperCase() === 'PATH')?.[1] : env.PATH;
  const dirs = (pathVar ?? '').split(platform === 'win32' ? ';' : ':').filter((d) => d && (platform === 'win32' ? path.win32.isAbsolute(d) : path.posix.isAbsolute(d)));
  // Windows runs .exe and .com directly; scripts (.bat, .cmd) would need a shell, which is never used here.
  const exts = platform === 'win32' && !/\.(exe|com)$/i.test(name) ? ['.exe', '.com'] : [''];
  for (const dir of dirs) for (const ext of exts) {
    const candidate = path.join(dir, name + ext);
    if (isExecutable(candidate, platform)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Resolved binaries by name; a binary that appears on PATH later is found on a later lint. */
function resolveBinary(name: string): string | undefined {
  if (unavailable.has(name)) return undefined;
  return findOnPath(name);
}

function reportUnavailable(name: string, opts: ShellcheckOptions): void {
  unavailable.add(name);
  if (reported.has(name)) return;
  reported.add(name);
  opts.onUnavailable?.(`ShellCheck (${name}) is not installed or cannot run, so RUN instructions are not checked by it. Install it (apt-get install shellcheck, brew install shellcheck) or set "shellcheck: false".`);
}

// --- processes and temporary files ----------------------------------------------------------------------------

/** Running ShellCheck processes and the folders their scripts are in, for cleanup on every way out. */
const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
/** Processes killed on purpose (cleanup, a stale edit): their end is not a time-out. */
const stopped = new WeakSet<ChildProcess>();
/** Bumped by cleanup: checks started before it start no more processes. */
let generation = 0;
let exitHookInstalled = false;

/**
 * Kills running ShellCheck processes and removes their temporary folders, synchronously (it runs in the
 * process's `exit` event, and from signal handlers). Safe to call any time.
 */
export function cleanupShellcheck(): void {
  generation++;
  for (const child of liveChildren) stop(child);
  liveChildren.clear();
  for (const dir of liveDirs) fs.rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}

/**
 * Removes the temporary folders of processes that no longer run (a process killed outright cannot clean up
 * after itself). Call once at start-up.
 */
export function sweepStaleShellcheckFolders(tmp = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /^dockwise-shellcheck-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
    const dir = path.join(tmp, name);
    try {
      // Only folders of this user: another user's are not ours to remove (and the sticky bit would refuse).
      const st = fs.lstatSync(dir);
      if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // gone already, or not ours
    }
  }
  return removed;
}

function stop(child: ChildProcess): void {
  stopped.add(child);
  child.kill('SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', cleanupShellcheck);
}

/** Comments per script in order, 'timeout', or undefined when ShellCheck could not run or gave no JSON. */
async function checkBatch(binary: string, dialect: string, scripts: string[], timeout: number, opts: ShellcheckOptions): Promise<ScComment[][] | 'timeout' | undefined> {
  installExitHook();
  let dir: string | undefined;
  try {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
    liveDirs.add(dir);
    const files = scripts.map((_, i) => path.join(dir!, `run${i}.sh`));
    await Promise.all(files.map((f, i) => fs.promises.writeFile(f, scripts[i])));
    if (opts.signal?.aborted) return undefined;
    const byFile = await runBinary(binary, dialect, files, dir, timeout, opts);
    if (byFile === 'timeout' || !byFile) return byFile;
    return files.map((f) => byFile.get(f) ?? []);
  } catch {
    // a full disk or an unwritable temp folder: no findings this time
    return undefined;
  } finally {
    if (dir) {
      liveDirs.delete(dir);
      await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

/** Runs ShellCheck on files; their comments by file, 'timeout', or undefined when it could not run or gave no JSON. */
function runBinary(binary: string, dialect: string, files: string[], cwd: string, timeout: number, opts: ShellcheckOptions): Promise<Map<string, ScComment[]> | 'timeout' | undefined> {
  return new Promise((resolve) => {
    const args = ['--format=json1', `--shell=${dialect}`, `--exclude=${SKIPPED_SHELLCHECK_CODES.map((c) => c.slice(2)).join(',')}`, '--', ...files];
    // The working directory is the private temporary folder: nothing of the workspace is looked up from it.
    const child = execFile(binary, args, { cwd, timeout, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (err, stdout) => {
      liveChildren.delete(child);
      opts.signal?.removeEventListener('abort', onAbort);
      const e = err as (NodeJS.ErrnoException & { killed?: boolean; signal?: string }) | null;
      if (e?.code === 'ENOENT' || e?.code === 'EACCES') {
        reportUnavailable(binary, opts);
        return resolve(undefined);
      }
      if (stopped.has(child)) return resolve(undefined);
      if (e?.killed) return resolve('timeout');
      // ShellCheck exits 1 when it has findings; output that is not its JSON (a crash) gives none.
      try {
        const parsed = JSON.parse(stdout) as { comments?: (ScComment & { file?: string })[] };
        const byFile = new Map<string, ScComment[]>();
        for (const c of parsed.comments ?? []) {
          if (!c.file) continue;
          const list = byFile.get(c.file) ?? [];
          list.push(c);
          byFile.set(c.file, list);
        }
        resolve(byFile);
      } catch {
        resolve(undefined);
      }
    });
    liveChildren.add(child);
    const onAbort = () => stop(child);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
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
