import { performance } from 'node:perf_hooks';
import * as fs from 'node:fs';
import { loadShellParser, parseShell } from './src/diagnostics/dockerfile/shell/parser';
import { analyseScript, clearScriptCache } from './src/diagnostics/dockerfile/shell/script';
import { createContext } from './src/diagnostics/dockerfile/context';
import { shellModel } from './src/diagnostics/dockerfile/shell/model';
import { PACKAGE_RULES } from './src/diagnostics/dockerfile/rules/packages';
import { defaultConfig } from './src/diagnostics/config';
(async () => {
  await loadShellParser();
  const text = fs.readFileSync('bench/corpus/generated/large-4000.Dockerfile', 'utf8');
  const host = { readFile: () => undefined };
  const minOf = (fn: () => void, n = 60) => { let best = 1e9; for (let i = 0; i < n; i++) { const t = performance.now(); fn(); best = Math.min(best, performance.now() - t); } return best.toFixed(2) + ' ms'; };
  const bodies = shellModel(createContext(text, undefined, defaultConfig(), host)).runs.map((r) => r.text);
  console.log('bodies', bodies.length, 'chars', bodies.reduce((a, b) => a + b.length, 0));
  console.log('parse only', minOf(() => { for (const b of bodies) parseShell(b)!.delete(); }));
  console.log('analyse cold', minOf(() => { clearScriptCache(); for (const b of bodies) analyseScript(b); }));
  console.log('context only', minOf(() => createContext(text, undefined, defaultConfig(), host)));
  console.log('context+model cold', minOf(() => { clearScriptCache(); shellModel(createContext(text, undefined, defaultConfig(), host)); }));
  console.log('context+model+rules cold', minOf(() => { clearScriptCache(); const ctx = createContext(text, undefined, defaultConfig(), host); for (const r of PACKAGE_RULES) r.check(ctx, () => {}); }));
  console.log('context+model+rules warm', minOf(() => { const ctx = createContext(text, undefined, defaultConfig(), host); for (const r of PACKAGE_RULES) r.check(ctx, () => {}); }));
})();
(async () => {
  await new Promise((r) => setTimeout(r, 3000));
  const text = fs.readFileSync('bench/corpus/generated/large-4000.Dockerfile', 'utf8');
  const host = { readFile: () => undefined };
  const ctx = createContext(text, undefined, defaultConfig(), host);
  shellModel(ctx);
  const res: [string, number][] = [];
  for (const r of PACKAGE_RULES) { let best = 1e9; for (let i = 0; i < 20; i++) { const t = performance.now(); r.check(ctx, () => {}); best = Math.min(best, performance.now() - t); } res.push([r.codes[0], best]); }
  res.sort((a, b) => b[1] - a[1]); console.log(res.slice(0, 8).map(([c, t]) => `${c} ${t.toFixed(2)}`).join('\n'));
})();
