/**
 * Running ShellCheck: finding the binary (on PATH only), batches of scripts in private temporary folders, time
 * limits, and cleaning up processes and folders on every way out. Knows nothing of Dockerfiles (shellcheck.ts
 * makes the scripts and maps the findings back), so the language server's message loop can load it alone.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openResultStore, ResultStore } from './shellcheckResultStore';

/** hadolint leaves these out: they need a directive a Dockerfile cannot express, or they are about ash itself. */
export const SKIPPED_SHELLCHECK_CODES = ['SC1090', 'SC1091', 'SC2187'];

/** ShellCheck's arguments before the files. */
const argsFor = (dialect: string) => ['--format=json1', `--shell=${dialect}`, `--exclude=${SKIPPED_SHELLCHECK_CODES.map((c) => c.slice(2)).join(',')}`];

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
  /** A folder to keep results in between runs (see shellcheckResultStore.ts); none when undefined. */
  resultStoreDir?: string;
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

/** A script to check, in the dialect ShellCheck is told. */
export interface Script {
  dialect: 'sh' | 'bash' | 'dash' | 'ksh';
  script: string;
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
 * Runs ShellCheck on the scripts; one result per script, in order. Scripts seen before come from the cache. A
 * batch that times out is split in two and each half retried, so that one slow body costs only its own findings.
 */
export async function checkScripts(jobs: readonly Script[], opts: ShellcheckOptions = {}): Promise<ScriptResult[]> {
  const results: ScriptResult[] = jobs.map(() => ({ notRun: true }));
  const binary = resolveBinary(opts.binary ?? 'shellcheck');
  if (!binary) {
    reportUnavailable(opts.binary ?? 'shellcheck', opts);
    return results;
  }
  const batchSize = opts.batchSize ?? 100;
  const store = opts.resultStoreDir ? resultStore(opts.resultStoreDir, binary) : undefined;
  const queue: number[][] = [];
  for (const dialect of ['sh', 'bash', 'dash', 'ksh']) {
    const todo: number[] = [];
    jobs.forEach((j, i) => {
      if (j.dialect !== dialect) return;
      const hit = cache.get(cacheKey(binary, j)) ?? store?.get(j.dialect, j.script);
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
        store?.set(jobs[i].dialect, jobs[i].script, out[k]);
      });
    }
  };
  if (queue.length) await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 2, queue.length) }, worker));
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

const stores = new Map<string, ResultStore>();

/** The store in `dir` for this binary, read once per process and written once, at exit. */
function resultStore(dir: string, binary: string): ResultStore {
  const key = `${dir}\u0000${binary}`;
  let store = stores.get(key);
  if (!store) {
    store = openResultStore(dir, binary, argsFor('DIALECT'));
    stores.set(key, store);
    process.once('exit', store.save);
  }
  return store;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;

const cacheKey = (binary: string, j: Script) => `${binary}\u0000${j.dialect}\u0000${j.script}`;

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
    // Written synchronously (a batch is a few small files), so the process starts before `checkScripts` returns:
    // a caller can start ShellCheck and go on with its own work meanwhile.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
    liveDirs.add(dir);
    const files = scripts.map((_, i) => path.join(dir!, `run${i}.sh`));
    files.forEach((f, i) => fs.writeFileSync(f, scripts[i]));
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
      try {
        // As the files were written: synchronously, a few small files.
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        // left for the sweep of stale folders at the next start
      }
    }
  }
}

/** Runs ShellCheck on files; their comments by file, 'timeout', or undefined when it could not run or gave no JSON. */
function runBinary(binary: string, dialect: string, files: string[], cwd: string, timeout: number, opts: ShellcheckOptions): Promise<Map<string, ScComment[]> | 'timeout' | undefined> {
  return new Promise((resolve) => {
    const args = [...argsFor(dialect), '--', ...files];
    // The working directory is the private temporary folder: nothing of the workspace is looked up from it.
    // Loaded with the first process: a run that starts none (no RUN, or ShellCheck off) does not pay for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { execFile } = require('node:child_process') as typeof import('node:child_process');
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
