/**
 * ShellCheck on every RUN body, where a `shellcheck` binary is installed and the configuration does not turn it
 * off (`shellcheck: false`). Writes the bodies to a private temporary folder and runs
 * `shellcheck --format=json1 --shell=<dialect> <files>` on them, one process per dialect and batch (an argument
 * array, never a shell string; starting ShellCheck costs more than checking a body), with a time limit, and maps
 * its findings back to exact Dockerfile positions. Findings have the code `shellcheck` and the ShellCheck code
 * (`SC2086`) as alias, so `SC2086: off`, `# hadolint ignore=SC2086` and `# dockwise-ignore SC2086` all work.
 *
 * As hadolint does: SC1090, SC1091 (need a directive a Dockerfile cannot hold) and SC2187 (ash) are skipped,
 * variables declared by ARG and ENV (and the proxy variables) count as set, and bodies for PowerShell, cmd or an
 * unknown shell are not checked. Exec-form RUNs run no shell and are not checked either.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyConfig } from './engine';
import type { LintConfig } from './config';
import { createContext } from './dockerfile/context';
import { applyIgnores } from './dockerfile/ignores';
import { shellcheckDialect } from './dockerfile/shell/dialect';
import { RunBody, shellModel, ShellModel, stepPairs } from './dockerfile/shell/model';
import { loadShellParser } from './dockerfile/shell/parser';
import { diskHost, LintHost } from './host';
import { defineRule } from './registry';
import type { Finding, Position, Severity } from './types';

export const SHELLCHECK = defineRule({
  code: 'shellcheck',
  kind: 'dockerfile',
  aliases: [],
  severity: 'warning',
  title: 'ShellCheck finding in a RUN instruction',
});

/** hadolint leaves these out: they need a directive a Dockerfile cannot express, or they are about ash itself. */
export const SKIPPED_SHELLCHECK_CODES = ['SC1090', 'SC1091', 'SC2187'];

const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy'];

export interface ShellcheckOptions {
  /** The executable; `shellcheck` (found on PATH) by default. */
  binary?: string;
  /** Per ShellCheck process (a batch of bodies), plus 100 ms per body; a batch that takes longer gives no findings. */
  timeoutMs?: number;
  /** Processes at a time. */
  concurrency?: number;
  /** Bodies per ShellCheck process. */
  batchSize?: number;
  /** Told once per binary when it cannot be run (not installed), so the caller can log it. */
  onUnavailable?: (message: string) => void;
  /** Stops starting new processes (a newer edit made these results stale). */
  signal?: AbortSignal;
}

export interface ShellcheckRequest {
  text: string;
  filePath?: string;
  config: LintConfig;
  host?: LintHost;
}

interface ScComment {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  level: string;
  code: number;
  message: string;
}

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
  const binary = opts.binary ?? 'shellcheck';
  if (unavailable.has(binary)) return [];
  await loadShellParser();
  let ctx;
  try {
    ctx = createContext(req.text, req.filePath, req.config, req.host ?? diskHost);
  } catch {
    return [];
  }
  const model = shellModel(ctx);
  const jobs = model.runs
    .map((run) => ({ run, dialect: shellcheckDialect(run.dialect) }))
    .filter((j): j is { run: RunBody; dialect: 'sh' | 'bash' | 'dash' | 'ksh' } => !!j.dialect && j.run.form !== 'exec' && j.run.text.trim() !== '');

  const findings: Finding[] = [];
  const work = jobs.map((j) => ({ ...j, prelude: preludeFor(model, j.run) }));
  const batches: (typeof work)[] = [];
  for (const dialect of ['sh', 'bash', 'dash', 'ksh']) {
    const mine = work.filter((w) => w.dialect === dialect);
    for (let i = 0; i < mine.length; i += opts.batchSize ?? 100) batches.push(mine.slice(i, i + (opts.batchSize ?? 100)));
  }
  const workers = Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 2, batches.length)) }, async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      if (opts.signal?.aborted || unavailable.has(binary)) return;
      const results = await checkBatch(binary, batch[0].dialect, batch.map((w) => w.prelude + w.run.text), opts);
      batch.forEach((w, i) => {
        for (const c of results[i]) {
          const f = toFinding(w.run, c, w.prelude);
          if (f) findings.push(f);
        }
      });
    }
  });
  await Promise.all(workers);
  if (opts.signal?.aborted) return [];
  return applyConfig(applyIgnores(ctx, findings), req.config, 'dockerfile');
}

/** `export NAME=1` for every variable ARG or ENV declared before this RUN in its stage (and global ARGs). */
function preludeFor(model: ShellModel, run: RunBody): string {
  const names = new Set(PROXY_VARS);
  for (const step of model.steps) {
    if (step === run.step) break;
    const sameStage = step.stage === run.step.stage || step.stage.index < 0 || (run.step.stage.parent !== undefined && step.stage === run.step.stage.parent);
    if (!sameStage || (step.keyword !== 'ARG' && step.keyword !== 'ENV')) continue;
    for (const kv of stepPairs(model, step)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(kv.key)) names.add(kv.key);
  }
  return [...names].map((n) => `export ${n}=1\n`).join('');
}

/** Comments per script, in order; cached scripts are not checked again. */
async function checkBatch(binary: string, dialect: string, scripts: string[], opts: ShellcheckOptions): Promise<ScComment[][]> {
  const keys = scripts.map((s) => `${binary}\u0000${dialect}\u0000${s}`);
  const out = keys.map((k) => cache.get(k));
  const todo = out.map((c, i) => (c ? -1 : i)).filter((i) => i >= 0);
  if (todo.length) {
    let dir: string | undefined;
    try {
      dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'dockwise-shellcheck-'));
      const files = todo.map((i) => path.join(dir!, `run${i}.sh`));
      await Promise.all(files.map((f, k) => fs.promises.writeFile(f, scripts[todo[k]])));
      const byFile = await runBinary(binary, dialect, files, (opts.timeoutMs ?? 5000) + 100 * files.length, opts);
      if (byFile) {
        todo.forEach((i, k) => {
          const comments = byFile.get(files[k]) ?? [];
          out[i] = comments;
          if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
          cache.set(keys[i], comments);
        });
      }
    } catch {
      // a full disk or an unwritable temp folder: no findings this time
    } finally {
      if (dir) await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }
  return out.map((c) => c ?? []);
}

/** Runs ShellCheck on files; their comments by file, or undefined when it could not run or gave no JSON. */
function runBinary(binary: string, dialect: string, files: string[], timeout: number, opts: ShellcheckOptions): Promise<Map<string, ScComment[]> | undefined> {
  return new Promise((resolve) => {
    const args = ['--format=json1', `--shell=${dialect}`, `--exclude=${SKIPPED_SHELLCHECK_CODES.map((c) => c.slice(2)).join(',')}`, '--', ...files];
    execFile(binary, args, { timeout, maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (err, stdout) => {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      if (code === 'ENOENT' || code === 'EACCES') {
        unavailable.add(binary);
        if (!reported.has(binary)) {
          reported.add(binary);
          opts.onUnavailable?.(`ShellCheck (${binary}) is not installed or cannot run, so RUN instructions are not checked by it. Install it (apt-get install shellcheck, brew install shellcheck) or set "shellcheck: false".`);
        }
        return resolve(undefined);
      }
      // ShellCheck exits 1 when it has findings; output that is not its JSON (a timeout, a crash) gives none.
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
  });
}

const SEVERITY: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'hint' };

function toFinding(run: RunBody, c: ScComment, prelude: string): Finding | undefined {
  const preludeLines = prelude ? prelude.split('\n').length - 1 : 0;
  const lines = run.text.split('\n');
  const starts: number[] = [];
  let off = 0;
  for (const l of lines) {
    starts.push(off);
    off += l.length + 1;
  }
  const offset = (line: number, column: number): number | undefined => {
    const i = line - 1 - preludeLines;
    if (i < 0 || i >= lines.length) return undefined;
    // json1 columns are 1-based characters (a tab counts as one, unlike ShellCheck's terminal output).
    return starts[i] + Math.min(Math.max(column - 1, 0), lines[i].length);
  };
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
