import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import { kindOfFileName } from '../diagnostics/fileKinds';
import type { FileKind } from '../diagnostics/types';

export interface LintTarget {
  file: string;
  kind: FileKind;
  /** Named on the command line (not found in a folder). */
  explicit: boolean;
}

/** A folder left out of the search, and why. */
export interface Skipped {
  path: string;
  reason: 'default' | '.gitignore';
}

export interface Discovery {
  targets: LintTarget[];
  skipped: Skipped[];
}

/** Left out of every folder search (documented in the README): never a project's own Dockerfiles. */
export const DEFAULT_SKIPPED_DIRS: readonly string[] = ['.git', '.hg', '.svn', 'node_modules'];

export class UsageError extends Error {}
export class UnreadableError extends Error {}

/**
 * Expands the command line's paths: files are linted as given (their kind from `--kind` or their name); folders are
 * searched for the names Docker looks for, skipping what `.gitignore` files ignore (as git would, from the
 * repository's root down) and the default folders above, and saying what was skipped. Symbolic links are followed,
 * each real folder walked once, so a loop cannot hang the walk. A folder that cannot be read is an error.
 */
export function discoverTargets(paths: string[], forcedKind?: FileKind): Discovery {
  const targets: LintTarget[] = [];
  const skipped: Skipped[] = [];
  const seen = new Set<string>();
  // A file reached twice (through a symbolic link, or named twice) is linted once.
  const add = (file: string, kind: FileKind, explicit: boolean) => {
    let real = file;
    try {
      real = fs.realpathSync(file);
    } catch {
      // reported when it is read
    }
    if (!seen.has(real)) {
      seen.add(real);
      targets.push({ file, kind, explicit });
    }
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UnreadableError(code === 'ENOENT' ? `${abs}: no such file or folder` : `${abs}: cannot read it (${code})`);
    }
    if (st.isDirectory()) {
      const walker = new Walker(abs, skipped);
      for (const file of walker.walk()) {
        const kind = kindOfFileName(file);
        if (kind && (!forcedKind || forcedKind === kind)) add(file, kind, false);
      }
    } else {
      const kind = forcedKind ?? kindOfFileName(abs);
      if (!kind) {
        throw new UsageError(`${abs}: not a Dockerfile or compose file by its name; say which with --kind dockerfile|compose`);
      }
      add(abs, kind, true);
    }
  }
  return { targets, skipped };
}

/** `.gitignore` rules of one folder. */
interface IgnoreFile {
  dir: string;
  rules: Ignore;
}

class Walker {
  private readonly visited = new Set<string>();

  constructor(private readonly root: string, private readonly skipped: Skipped[]) {}

  *walk(): Generator<string> {
    const inherited = this.inherited(this.root);
    // A folder named on the command line is searched even where a .gitignore above it ignores it.
    yield* this.dir(this.root, ignored(inherited, this.root, true) ? [] : inherited);
  }

  /** The `.gitignore` files above the searched folder, from the repository's root (where `.git` is) down. */
  private inherited(root: string): IgnoreFile[] {
    const above: string[] = [];
    for (let d = root; ; ) {
      if (fs.existsSync(path.join(d, '.git'))) return above.map(readIgnore).filter((x): x is IgnoreFile => !!x);
      const up = path.dirname(d);
      // Not in a repository: a .gitignore somewhere above says nothing about this tree.
      if (up === d) return [];
      d = up;
      above.unshift(d);
    }
  }

  private *dir(dir: string, rules: IgnoreFile[]): Generator<string> {
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = fs.realpathSync(dir);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new UnreadableError(`${dir}: cannot read this folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (this.visited.has(real)) return;
    this.visited.add(real);
    const own = readIgnore(dir);
    const here = own ? [...rules, own] : rules;
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // a dangling link
        }
      }
      if (isDir) {
        if (DEFAULT_SKIPPED_DIRS.includes(e.name)) {
          if (e.name === 'node_modules') this.skipped.push({ path: full, reason: 'default' });
          continue;
        }
        if (ignored(here, full, true)) {
          this.skipped.push({ path: full, reason: '.gitignore' });
          continue;
        }
        yield* this.dir(full, here);
      } else if (isFile && !ignored(here, full, false)) {
        yield full;
      }
    }
  }
}

function readIgnore(dir: string): IgnoreFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return { dir, rules: ignore().add(text) };
}

/** As git decides: the deepest `.gitignore` with a rule for the path wins (a `!rule` there takes it back). */
function ignored(files: IgnoreFile[], full: string, isDir: boolean): boolean {
  for (let i = files.length - 1; i >= 0; i--) {
    const rel = path.relative(files[i].dir, full).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    const r = files[i].rules.test(isDir ? `${rel}/` : rel);
    if (r.ignored) return true;
    if (r.unignored) return false;
  }
  return false;
}
