/**
 * ShellCheck's results kept on disk between runs of `dockwise lint`. Starting ShellCheck costs a process, and a
 * pre-commit hook lints a Dockerfile again after each change, most of its RUN bodies unchanged; a body whose result
 * is kept is not checked again.
 *
 * A result holds only while everything ShellCheck reads is the same, so the store is kept under an identity made of
 * the binary (path, size, modification time, inode), the arguments, `SHELLCHECK_OPTS` and every rc file ShellCheck
 * could read for a script in the temporary folder (`.shellcheckrc` or `shellcheckrc` there and in each parent, then
 * `~/.shellcheckrc` and the XDG or %APPDATA% one). When any of them changes, the stored results are dropped.
 *
 * The file is data, never code, in the user's own cache folder; a damaged or foreign file is ignored and replaced.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ScComment } from './shellcheckRunner';

export interface ResultStore {
  get(dialect: string, script: string): ScComment[] | undefined;
  set(dialect: string, script: string, comments: readonly ScComment[]): void;
  /** Writes the store if it changed, most recently used results first, within its limits. Never throws. */
  save(): void;
}

export const STORE_FILE = 'shellcheck-results.json';
/** Results kept, and characters of script text kept, at most: the file stays small enough to read in a millisecond or two. */
const MAX_ENTRIES = 2000;
const MAX_SCRIPT_CHARS = 2 * 1024 * 1024;

type Entry = [dialect: string, script: string, comments: ScComment[]];

/**
 * The store in `dir` for this binary and these arguments. Reading costs a few `stat` calls and one small file; an
 * unreadable store is an empty one.
 */
export function openResultStore(dir: string, binary: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): ResultStore {
  const file = path.join(dir, STORE_FILE);
  const identity = storeIdentity(binary, args, env);
  const entries = new Map<string, Entry>();
  const used = new Set<string>();
  let changed = false;
  if (identity) for (const e of readEntries(file, identity)) entries.set(keyOf(e[0], e[1]), e);
  return {
    get(dialect, script) {
      const key = keyOf(dialect, script);
      const hit = entries.get(key);
      if (hit) used.add(key);
      return hit?.[2];
    },
    set(dialect, script, comments) {
      if (!identity) return;
      const key = keyOf(dialect, script);
      entries.set(key, [dialect, script, comments.map(storedComment)]);
      used.add(key);
      changed = true;
    },
    save() {
      if (!changed || !identity) return;
      changed = false;
      const kept: Entry[] = [];
      let chars = 0;
      const keep = (e: Entry) => {
        if (kept.length >= MAX_ENTRIES || chars + e[1].length > MAX_SCRIPT_CHARS) return;
        kept.push(e);
        chars += e[1].length;
      };
      for (const key of used) keep(entries.get(key)!);
      for (const [key, e] of entries) if (!used.has(key)) keep(e);
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify({ identity, entries: kept }), { mode: 0o600 });
        fs.renameSync(tmp, file);
      } catch {
        // a read-only home or a full disk: the next run checks these bodies again
      }
    },
  };
}

const keyOf = (dialect: string, script: string) => `${dialect}\u0000${script}`;

/** What is kept of a comment: the fields `shellcheck.ts` maps onto the Dockerfile, not the file name or the fix. */
const storedComment = (c: ScComment): ScComment => ({
  line: c.line, column: c.column, endLine: c.endLine, endColumn: c.endColumn, level: c.level, code: c.code, message: c.message,
});

/** Everything ShellCheck's output depends on besides the script and its dialect; undefined when the binary cannot be read. */
export function storeIdentity(binary: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, tmp = os.tmpdir(), platform = process.platform): string | undefined {
  const bin = fileStamp(binary);
  if (!bin) return undefined;
  const rcFiles = rcCandidates(tmp, env, platform).map((f) => [f, fileStamp(f) ?? null]);
  return JSON.stringify({ binary, bin, args, opts: env.SHELLCHECK_OPTS ?? null, rcFiles });
}

/** The rc files ShellCheck looks for, for a script in a folder under `tmp`, in its order (the first found is read). */
export function rcCandidates(tmp: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const out: string[] = [];
  for (let d = p.resolve(tmp); ; d = p.dirname(d)) {
    out.push(p.join(d, '.shellcheckrc'), p.join(d, 'shellcheckrc'));
    if (p.dirname(d) === d) break;
  }
  let home: string | undefined;
  try {
    home = os.homedir();
  } catch {
    home = undefined;
  }
  if (home) out.push(p.join(home, '.shellcheckrc'));
  if (platform === 'win32') {
    if (env.APPDATA) out.push(p.join(env.APPDATA, 'shellcheckrc'));
  } else {
    const xdg = env.XDG_CONFIG_HOME && p.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : home && p.join(home, '.config');
    if (xdg) out.push(p.join(xdg, 'shellcheckrc'));
  }
  return out;
}

function fileStamp(file: string): [number, number, number] | undefined {
  try {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    return st ? [st.size, Math.trunc(st.mtimeMs), st.ino] : undefined;
  } catch {
    return undefined;
  }
}

/** The stored entries when the file is this identity's and well formed; none otherwise. */
function readEntries(file: string, identity: string): Entry[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const d = data as { identity?: unknown; entries?: unknown };
  if (!d || d.identity !== identity || !Array.isArray(d.entries)) return [];
  return d.entries.filter(isEntry);
}

function isEntry(e: unknown): e is Entry {
  return Array.isArray(e) && e.length === 3 && typeof e[0] === 'string' && typeof e[1] === 'string' && Array.isArray(e[2]) && e[2].every(isComment);
}

function isComment(c: unknown): c is ScComment {
  const x = c as Record<string, unknown>;
  return !!x && typeof x === 'object'
    && ['line', 'column', 'endLine', 'endColumn', 'code'].every((k) => Number.isInteger(x[k]))
    && typeof x.level === 'string' && typeof x.message === 'string';
}
