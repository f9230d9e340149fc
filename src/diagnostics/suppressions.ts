/**
 * Ignore comments users already know, in one place for Dockerfiles and compose files:
 *   # dockwise-ignore CODE[,CODE]        the next line (instruction / key)
 *   # dockwise-ignore-file CODE[,CODE]   the whole file
 *   # hadolint ignore=DL3008,DL3059      the next instruction
 *   # hadolint global ignore=DL3008      the whole file
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
