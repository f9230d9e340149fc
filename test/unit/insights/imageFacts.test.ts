import * as assert from 'node:assert/strict';
import { lint } from '../../../src/diagnostics/engine';
import { applyImageFacts, finalBase } from '../../../src/diagnostics/imageFacts';

const codes = (fs: { code: string }[]) => fs.map((f) => f.code);

describe('lint that asks the daemon (image facts)', () => {
  const text = 'FROM debian:12 AS build\nRUN make\nFROM build\nCMD ["app"]\nEXPOSE 8080\n';

  it('follows FROM <stage> chains to the image the final stage rests on', () => {
    assert.deepEqual(finalBase(text), { fromLine: 2, image: 'debian:12', imageRange: { start: { line: 0, character: 5 }, end: { line: 0, character: 14 } } });
    assert.equal(finalBase('FROM scratch\nCOPY a /a\n'), undefined);
    assert.equal(finalBase('FROM ${IMAGE}\n'), undefined);
  });

  it('silences no-root-user and require-healthcheck on the final FROM when the base image settles them', () => {
    const findings = lint({ text, kind: 'dockerfile' });
    assert.ok(codes(findings).includes('no-root-user'));
    assert.ok(codes(findings).includes('require-healthcheck'));
    const { findings: kept, silenced } = applyImageFacts(findings, text, { 'debian:12': { user: 'app', healthcheck: true } });
    assert.ok(!codes(kept).includes('no-root-user'));
    assert.ok(!codes(kept).includes('require-healthcheck'));
    assert.deepEqual(silenced.map((s) => [s.line, s.code]), [[2, 'no-root-user'], [2, 'require-healthcheck']]);
    assert.match(silenced[0].reason, /already runs as user "app"/);
  });

  it('keeps the findings when the base image runs as root or has no healthcheck, or is unknown', () => {
    const findings = lint({ text, kind: 'dockerfile' });
    for (const user of ['', 'root', '0', '0:0']) {
      assert.ok(codes(applyImageFacts(findings, text, { 'debian:12': { user, healthcheck: false } }).findings).includes('no-root-user'), `user "${user}"`);
    }
    assert.deepEqual(applyImageFacts(findings, text, {}).findings, findings);
  });

  it('reports a base image older than the configured age as info', () => {
    const findings = lint({ text, kind: 'dockerfile' });
    const now = new Date('2026-11-23T00:00:00Z');
    const old = applyImageFacts(findings, text, { 'debian:12': { user: '', healthcheck: false, created: '2026-01-01T00:00:00Z' } }, { maxAgeDays: 90, now });
    const stale = old.findings.find((f) => f.code === 'stale-base-image');
    assert.ok(stale);
    assert.equal(stale.severity, 'info');
    assert.match(stale.message, /326 days ago/);
    const fresh = applyImageFacts(findings, text, { 'debian:12': { user: '', healthcheck: false, created: '2026-11-01T00:00:00Z' } }, { maxAgeDays: 90, now });
    assert.ok(!codes(fresh.findings).includes('stale-base-image'));
  });
});
