/**
 * The cost of reading RUN bodies as shell scripts (tree-sitter-bash in WebAssembly) and of the package and
 * shell rules on top: the full rule set before the parser is loaded (shell rules silent) vs after, with the
 * parse cache cleared before every run (a file opened for the first time) and warm (an editor re-linting after a
 * keystroke, where most RUN bodies did not change). Plus the parser's one-time load.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultConfig } from '../src/diagnostics/config';
import { lint, prepareLint } from '../src/diagnostics/engine';
import { createContext } from '../src/diagnostics/dockerfile/context';
import { PACKAGE_RULES } from '../src/diagnostics/dockerfile/rules/packages';
import { shellModel } from '../src/diagnostics/dockerfile/shell/model';
import { clearScriptCache } from '../src/diagnostics/dockerfile/shell/script';
import { isShellParserReady } from '../src/diagnostics/dockerfile/shell/parser';
import type { LintHost } from '../src/diagnostics/host';
import { CORPUS_DIR, largeFile, smallFiles } from './corpus';
import { ratio, Suite, Table, time, us } from './harness';

const noFiles: LintHost = { readFile: () => undefined };
const lintOnce = (name: string, text: string) => () => lint({ text, kind: 'dockerfile', filePath: path.join(CORPUS_DIR, name), host: noFiles });
const cold = (name: string, text: string) => () => {
  clearScriptCache();
  return lintOnce(name, text)();
};
/** The fastest of `n` runs: on a shared, busy machine the minimum is the figure least disturbed by other work. */
async function fastest(fn: () => unknown, n: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t);
  }
  return best * 1000;
}

const runCount = (text: string) => text.split('\n').filter((l) => /^\s*(ONBUILD\s+)?RUN\b/i.test(l)).length;

export const shellSuite: Suite = {
  name: 'shell',
  async run(): Promise<Table[]> {
    const files = smallFiles();
    const mid = largeFile(300);
    const big = largeFile(4000);
    const all = [...files, mid, big];

    // "Off": measured before the parser is loaded, so the RUN-body rules have nothing to read.
    const off = new Map<string, number>();
    const alreadyLoaded = isShellParserReady();
    if (!alreadyLoaded) for (const f of all) off.set(f.name, (await time(lintOnce(f.name, f.text), f === big ? 20 : 100, 10)).medianUs);

    const t0 = performance.now();
    await prepareLint();
    const loadMs = performance.now() - t0;

    const table: Table = {
      title: 'Per file: shell rules off vs on (median)',
      columns: ['file', 'lines', 'RUNs', 'off', 'on, cold parse', 'on, warm', 'cold / off', 'findings'],
      rows: [],
    };
    for (const f of all) {
      const runs = f === big ? 20 : 100;
      const c = await time(cold(f.name, f.text), runs, 5);
      const w = await time(lintOnce(f.name, f.text), runs, 5);
      const o = off.get(f.name);
      table.rows.push([f.name, f.text.split('\n').length - 1, runCount(f.text), o === undefined ? 'n/a' : us(o), us(c.medianUs), us(w.medianUs), o === undefined ? 'n/a' : ratio(c.medianUs, o), lintOnce(f.name, f.text)().length]);
    }
    const midCold = await time(cold(mid.name, mid.text), 100, 10);
    const midFastest = await fastest(cold(mid.name, mid.text), 100);
    table.notes = [
      `Parser load (once, off the activation path): ${loadMs.toFixed(0)} ms${alreadyLoaded ? ' (already loaded by an earlier suite)' : ''}.`,
      `300-line file, full rule set with shell rules, cold parse: median ${us(midCold.medianUs)}, p90 ${us(midCold.p90Us)}, fastest ${us(midFastest)} (target: median under 15 ms).`,
      'cold = parse cache cleared before each run (first open); warm = unchanged RUN bodies come from the cache (re-lint while typing).',
    ];

    // The shell layer on its own: scan + RUN-body parse + the package and shell rules, without the other rules.
    const layer: Table = {
      title: 'The shell layer alone (scan, parse RUN bodies, package and shell rules; median)',
      columns: ['file', 'RUNs', 'scan only', 'cold parse + rules', 'warm + rules', 'fastest cold', 'fastest warm'],
      rows: [],
    };
    const config = defaultConfig();
    const scan = (text: string) => () => createContext(text, undefined, config, noFiles);
    const withRules = (text: string, clear: boolean) => () => {
      if (clear) clearScriptCache();
      const ctx = createContext(text, undefined, config, noFiles);
      shellModel(ctx);
      for (const r of PACKAGE_RULES) r.check(ctx, () => undefined);
    };
    for (const f of [mid, big]) {
      const n = f === big ? 20 : 100;
      layer.rows.push([
        f.name, runCount(f.text),
        us((await time(scan(f.text), n, 5)).medianUs),
        us((await time(withRules(f.text, true), n, 5)).medianUs),
        us((await time(withRules(f.text, false), n, 5)).medianUs),
        us(await fastest(withRules(f.text, true), n)),
        us(await fastest(withRules(f.text, false), n)),
      ]);
    }
    return [table, layer];
  },
};
