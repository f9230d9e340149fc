import { lint, prepareLint } from '../../../src/diagnostics/engine';
import { HADOLINT_CASES } from './cases';
import { configFor } from './parity';
(async () => {
  await prepareLint();
  const seen = new Map<string, string>();
  for (const c of HADOLINT_CASES) {
    if (c.expect === 'not') continue;
    const f = lint({ text: c.dockerfile, kind: 'dockerfile', config: configFor(c), host: { readFile: () => undefined } });
    const mine = f.filter((x) => x.aliases.includes(c.rule));
    for (const m of mine) {
      for (const o of f) {
        if (o === m || o.code === m.code) continue;
        if (o.range.start.line !== m.range.start.line) continue;
        const key = `${m.code} ~ ${o.code}`;
        if (!seen.has(key)) seen.set(key, `${c.source}: ${o.message.slice(0, 90)}`);
      }
    }
  }
  for (const [k, v] of seen) console.log(k, '|', v);
})();
