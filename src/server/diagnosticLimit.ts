/**
 * How many findings of one file the server publishes. VS Code shows at most 1,000 diagnostics per file: its extension
 * host keeps errors first, then warnings, information and hints, and drops the rest with a generic "Not showing N
 * further errors and warnings". Sending a huge file's 95,000 findings would cost seconds of serializing and parsing
 * for nothing shown, so the server picks the same ones itself and says how to see the others. Code actions and
 * fix-all still work from every finding of the lint.
 */
import type { Finding, Severity } from '../diagnostics/types';

/** VS Code's own limit per file (ExtHostDiagnostics._maxDiagnosticsPerFile). */
export const EDITOR_MAX_PER_FILE = 1000;

const ORDER: Severity[] = ['error', 'warning', 'info', 'hint'];

/**
 * The findings an editor would show, in their order (by position), when there are more than `max`: the most severe
 * first, in file order, leaving room for the note that says how many are not shown (`hidden`).
 */
export function findingsToShow(findings: readonly Finding[], max = EDITOR_MAX_PER_FILE): { shown: readonly Finding[]; hidden: number } {
  if (findings.length <= max) return { shown: findings, hidden: 0 };
  const room = max - 1;
  const counts = new Map<Severity, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  // Whole severities while they fit, then the first findings (in file order) of the one that does not.
  let left = room;
  const take = new Map<Severity, number>();
  for (const s of ORDER) {
    const n = Math.min(counts.get(s) ?? 0, left);
    take.set(s, n);
    left -= n;
  }
  const shown: Finding[] = [];
  for (const f of findings) {
    const n = take.get(f.severity) ?? 0;
    if (n <= 0) continue;
    take.set(f.severity, n - 1);
    shown.push(f);
  }
  return { shown, hidden: findings.length - shown.length };
}

/** The note published in place of the findings not shown. */
export function hiddenFindingsMessage(hidden: number, total: number, file: string | undefined): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lint = file ? `\`dockwise lint ${file}\`` : '`dockwise lint` on it';
  return `${n(hidden)} more of this file's ${n(total)} findings are not shown: an editor shows at most ${n(EDITOR_MAX_PER_FILE)} per file, the most severe first. ${lint} lists them all.`;
}
