/**
 * `# dockwise-ignore CODE` on the line above a key (or above the lines it starts, for a multi-line item) and
 * `# dockwise-ignore-file [CODE]` anywhere, for compose files. Comments are found by scanning lines, which is what
 * people see; a `#` inside a quoted string never starts a whole-line comment.
 */
import { namesMatch, parseIgnoreComment } from '../suppressions';
import type { Finding } from '../types';

export function applyIgnoreComments(text: string, findings: Finding[]): Finding[] {
  if (!findings.length || !text.includes('dockwise-ignore')) return findings;
  const fileNames: string[] = [];
  /** line index → names ignored on it */
  const byLine = new Map<number, string[]>();
  const lines = text.split(/\r?\n/);
  let pending: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed.startsWith('#')) {
      const c = parseIgnoreComment(trimmed);
      if (c?.source === 'dockwise') {
        if (c.scope === 'file') fileNames.push(...c.names);
        else pending = [...(pending ?? []), ...c.names];
      }
      continue;
    }
    if (!trimmed) continue;
    if (pending) {
      byLine.set(i, pending);
      pending = undefined;
    }
  }
  return findings.filter((f) => {
    if (fileNames.length && namesMatch(fileNames, f.code, f.aliases)) return false;
    const names = byLine.get(f.range.start.line);
    return !(names && namesMatch(names, f.code, f.aliases));
  });
}
