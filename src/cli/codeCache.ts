/**
 * Loading a CommonJS bundle with V8's code cache kept on disk. Compiling the CLI's 1 MB bundle is a good part of a
 * one-file run, and pre-commit hooks run a linter once per file. Node 22 has this built in
 * (`module.enableCompileCache`); this does the same on Node 20 with `vm.Script`'s cached data.
 *
 * V8 rejects cached data made by another V8 version or with other flags, but checks only the length of the source,
 * so a cache file is named after the bundle's size, modification time and inode as well: a rebuilt bundle never
 * meets the cache of the old one. A missing, stale or unreadable cache only costs the compile it would have saved.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

export interface CachedLoad {
  exports: unknown;
  /** Whether V8 took the cached data: 'used', 'rejected' (stale or damaged) or 'none' (no cache file yet). */
  cache: 'used' | 'rejected' | 'none';
  /**
   * Writes the cache when it was missing or rejected. Call it at exit: data made after the run holds the functions
   * the run compiled, not only the top level.
   */
  save(): void;
}

/** Runs `file` as a CommonJS module, with its code cache in `cacheDir` (none when undefined). */
export function loadWithCodeCache(file: string, cacheDir: string | undefined): CachedLoad {
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = cacheDir ? path.join(cacheDir, cacheName(file)) : undefined;
  const cachedData = cacheFile ? readIfPresent(cacheFile) : undefined;
  // The same wrapper as Node's own CommonJS loader; a `#!` line is valid only at the very start of a script.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source.replace(/^#!.*/, '')}\n});`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const mod = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, createRequire(file), mod, file, path.dirname(file));
  const cache = !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  return {
    exports: mod.exports,
    cache,
    save() {
      if (cache === 'used' || !cacheDir || !cacheFile) return;
      try {
        writeCache(cacheDir, cacheFile, script.createCachedData());
      } catch {
        // a read-only home or a full disk: the next run compiles again
      }
    },
  };
}

/** `<name>-<size>-<mtime>-<inode>.cache`: changes whenever the file is rebuilt or replaced. */
const BUILD_SUFFIX = /-\d+-\d+-\d+\.cache$/;

function cacheName(file: string): string {
  const st = fs.statSync(file);
  return `${path.basename(file, '.js')}-${st.size}-${Math.trunc(st.mtimeMs)}-${st.ino}.cache`;
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes atomically (two runs at once each write whole files) and drops the caches of earlier builds. */
function writeCache(dir: string, file: string, data: Buffer): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.renameSync(tmp, file);
  const prefix = path.basename(file).replace(BUILD_SUFFIX, '-');
  for (const other of fs.readdirSync(dir)) {
    if (other !== path.basename(file) && other.startsWith(prefix) && BUILD_SUFFIX.test(other)) fs.rmSync(path.join(dir, other), { force: true });
  }
}
