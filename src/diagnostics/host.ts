import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * How the engine reads files other than the one it lints (`.dockerignore`, config files, the Dockerfile a compose
 * service builds). The language server answers from open documents first; the CLI reads the disk.
 */
export interface LintHost {
  readFile(file: string): string | undefined;
}

/** Files larger than this are not read as context (a config or .dockerignore is never this big). */
const MAX_CONTEXT_FILE = 4 * 1024 * 1024;

export const diskHost: LintHost = {
  readFile(file) {
    try {
      const st = fs.statSync(file);
      if (!st.isFile() || st.size > MAX_CONTEXT_FILE) return undefined;
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** Directories from `dir` up to the root, nearest first. */
export function ancestors(dir: string): string[] {
  const out: string[] = [];
  let d = path.resolve(dir);
  for (;;) {
    out.push(d);
    const up = path.dirname(d);
    if (up === d) return out;
    d = up;
  }
}
