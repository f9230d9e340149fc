/**
 * Ignore comments users already know, in one place for Dockerfiles and compose files:
 *   # dockwise-ignore CODE[,CODE]        the next line (instruction / key)
 *   # dockwise-ignore-file CODE[,CODE]   the whole file
 *   # hadolint ignore=DL3008,DL3059      the next instruction
 *   # hadolint global ignore=DL3008      the whole file
 * and BuildKit's `# check=skip=Rule1,Rule2;error=true;experimental=Rule3` (a parser directive for the whole file,
 * or a comment directly above one instruction).
 * A bare `# dockwise-ignore` with no codes ignores every finding on the next line.
 */
export interface IgnoreComment {
  scope: 'next' | 'file';
  /** Lower-cased names; `*` for all. */
  names: string[];
  source: 'dockwise' | 'hadolint';
}

const DOCKWISE = /^#\s*dockwise-ignore(-file)?(?:\s+([\w.,\s-]+?))?\s*(?:--.*)?$/i;
const HADOLINT = /^#\s*hadolint\s+(global\s+)?ignore\s*=\s*([\w,\s-]+?)\s*$/i;

export function parseIgnoreComment(comment: string): IgnoreComment | undefined {
  const text = comment.trim();
  let m = DOCKWISE.exec(text);
  if (m) {
    const names = splitNames(m[2]);
    return { scope: m[1] ? 'file' : 'next', names: names.length ? names : ['*'], source: 'dockwise' };
  }
  m = HADOLINT.exec(text);
  if (m) return { scope: m[1] ? 'file' : 'next', names: splitNames(m[2]), source: 'hadolint' };
  return undefined;
}

function splitNames(s: string | undefined): string[] {
  return (s ?? '')
    .split(/[\s,]+/)
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
}

/** True when any of a finding's names is in the list. */
export function namesMatch(list: readonly string[], code: string, aliases: readonly string[]): boolean {
  if (list.includes('*')) return true;
  if (list.includes(code.toLowerCase())) return true;
  return aliases.some((a) => list.includes(a.toLowerCase()));
}

/** BuildKit's `check` directive: which checks to skip, whether warnings fail the build, experimental checks on. */
export interface CheckOptions {
  /** Lower-cased check names; `*` for `skip=all`. */
  skip: string[];
  error: boolean;
  /** Lower-cased; `*` for `experimental=all`. */
  experimental: string[];
}

/**
 * Parses the value of `# check=…` (`skip=A,B;error=true`), as BuildKit's linter.ParseLintOptions does.
 * Returns a message instead of options when BuildKit would reject it.
 */
export function parseCheckOptions(value: string): CheckOptions | { problem: string } {
  const out: CheckOptions = { skip: [], error: false, experimental: [] };
  const v = value.trim().split(/\s/)[0];
  if (!v) return out;
  for (const part of v.split(';').slice(0, 3)) {
    const eq = part.indexOf('=');
    if (eq < 0) return { problem: `invalid check option "${part}": expected skip=, error= or experimental=` };
    const key = part.slice(0, eq).trim();
    const val = part.slice(eq + 1).trim();
    const list = () => (val.toLowerCase() === 'all' ? ['*'] : val.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean));
    if (key === 'skip') out.skip = list();
    else if (key === 'experimental') out.experimental = list();
    else if (key === 'error') {
      if (!/^(true|false|1|0|t|f)$/i.test(val)) return { problem: `invalid check option "${part}": error takes true or false` };
      out.error = /^(true|1|t)$/i.test(val);
    } else return { problem: `invalid check option "${key}": expected skip, error or experimental` };
  }
  return out;
}

/** `check=…` from a comment's text (after `#`), if it is one. */
export function checkComment(text: string): string | undefined {
  const m = /^check\s*=\s*(.+)$/i.exec(text.trim());
  return m ? m[1] : undefined;
}
