import { runAll } from './parity';
(async () => {
  const t0 = Date.now();
  const res = await runAll();
  const by = new Map<string, { n: number; ok: number; fails: string[] }>();
  for (const r of res) {
    const e = by.get(r.case.rule) ?? { n: 0, ok: 0, fails: [] };
    e.n++; if (r.pass) e.ok++; else e.fails.push(`${r.case.source} [${r.case.expect} got ${r.found}] ${r.case.name} :: ${JSON.stringify(r.case.dockerfile).slice(0, 160)}`);
    by.set(r.case.rule, e);
  }
  const only = process.argv.slice(2);
  let tot = 0, ok = 0;
  for (const [rule, e] of [...by].sort()) {
    tot += e.n; ok += e.ok;
    if (only.length && !only.includes(rule)) continue;
    console.log(rule, `${e.ok}/${e.n}`);
    if (only.length) for (const f of e.fails) console.log('   ', f);
  }
  console.log('TOTAL', ok, '/', tot, (100 * ok / tot).toFixed(1) + '%', Date.now() - t0, 'ms');
})();
