import * as fs from 'node:fs';
import * as path from 'node:path';
import { kindOfFileName } from '../diagnostics/fileKinds';
import type { FileKind } from '../diagnostics/types';

export interface LintTarget {
  file: string;
  kind: FileKind;
}

/** Folders never worth walking into when looking for Dockerfiles and compose files. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test']);

export class UsageError extends Error {}
export class UnreadableError extends Error {}

/**
 * Expands the command line's paths: files are linted as given (their kind from `--kind` or their name); folders are
 * searched for the names Docker looks for. Symlinked folders are not followed, so a loop cannot hang the walk.
 */
export function discoverTargets(paths: string[], forcedKind?: FileKind): LintTarget[] {
  const out: LintTarget[] = [];
  const seen = new Set<string>();
  const add = (file: string, kind: FileKind) => {
    if (!seen.has(file)) {
      seen.add(file);
      out.push({ file, kind });
    }
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new UnreadableError(`${abs}: no such file or folder`);
    }
    if (st.isDirectory()) {
      for (const file of walk(abs)) {
        const kind = kindOfFileName(file);
        if (kind && (!forcedKind || forcedKind === kind)) add(file, kind);
      }
    } else {
      const kind = forcedKind ?? kindOfFileName(abs);
      if (!kind) {
        throw new UsageError(`${abs}: not a Dockerfile or compose file by its name; say which with --kind dockerfile|compose`);
      }
      add(abs, kind);
    }
  }
  return out;
}

function* walk(dir: string): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* walk(full);
    } else if (e.isFile()) {
      yield full;
    }
  }
}
