/**
 * Fix all on the 4,000-line Dockerfile, side by side with the lint it starts from: fix all lints (once more after
 * applying, to see that nothing is left), so its cost is shown as a multiple of one lint. Also the fixes of every
 * finding asked one by one, as an editor asks for the diagnostics under the cursor.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { lint, prepareLint } from '../src/diagnostics/engine';
import type { LintHost } from '../src/diagnostics/host';
import { fixAll, fixesFor } from '../src/diagnostics/fixes';
import { CORPUS_DIR, largeFile } from './corpus';
import { ratio, Suite, Table, us } from './harness';

const noFiles: LintHost = { readFile: () => undefined };
const noProbe = { kind: () => undefined, head: () => undefined };

/** Median and fastest of `samples` runs after `warmup`, each tool in its own block (see dockerfile.bench.ts). */
function measure(fn: () => unknown, samples: number, warmup = 3): { median: number; min: number } {
  (globalThis as { gc?: () => void }).gc?.();
  for (let k = 0; k < warmup; k++) fn();
  const t: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    fn();
    t.push((performance.now() - t0) * 1000);
  }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)], min: t[0] };
}

export const fixesSuite: Suite = {
  name: 'fixes',
  async run(): Promise<Table[]> {
    await prepareLint();
    const big = largeFile(4000);
    const request = { text: big.text, kind: 'dockerfile' as const, filePath: path.join(CORPUS_DIR, big.name), host: noFiles, probe: noProbe };
    const findings = lint(request);
    const once = fixAll(request);
    const rows: Array<[string, () => unknown, string]> = [
      ['lint alone', () => lint(request), `${findings.length} findings`],
      ['fix all (its lints included)', () => fixAll(request), `${once.applied} fixes in ${once.passes} pass${once.passes === 1 ? '' : 'es'}, then a lint that finds nothing left`],
      ['fix all, given the lint just made', () => fixAll(request, { findings }), 'as the CLI and the server can call it'],
      ['fixes of every finding, one by one', () => findings.map((f) => fixesFor(f, big.text, 'dockerfile', { request })), 'an editor asking per diagnostic'],
      ['fix all of the fixed file', () => fixAll({ ...request, text: once.text }), 'a second --fix: nothing to do'],
    ];
    const results = rows.map(([, fn]) => measure(fn, 15));
    const table: Table = {
      title: `${big.name}: fix all next to the lint (15 runs each, after 3 warm-up runs)`,
      columns: ['', 'median', 'fastest', 'median / lint', 'notes'],
      rows: rows.map(([name, , note], i) => [name, us(results[i].median), us(results[i].min), ratio(results[i].median, results[0].median), note]),
      notes: ['Target: fix all on this file under 200 ms. Fix all lints at least twice (before and after applying), so it can never cost less than two lints.'],
    };
    return [table];
  },
};
