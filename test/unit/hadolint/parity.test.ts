import * as assert from 'node:assert/strict';
import { HADOLINT_CASES } from './cases';
import { KNOWN_DIFFERENCES, STAGE_MODEL_CODES } from './differences';
import { CaseResult, runAll } from './parity';

describe('hadolint parity: hadolint’s own DL*Spec cases against lint()', function () {
  this.timeout(60000);
  let results: CaseResult[] = [];
  before(async () => {
    results = await runAll();
  });

  it('holds every case of the specs (ruleCatches, ruleCatchesNot and their ONBUILD forms)', () => {
    assert.equal(results.length, HADOLINT_CASES.length);
    assert.ok(HADOLINT_CASES.length > 1000, `only ${HADOLINT_CASES.length} cases`);
  });

  it('passes at least 99% of all cases', () => {
    const passing = results.filter((r) => r.pass).length;
    assert.ok(passing / results.length >= 0.99, `${passing}/${results.length} = ${((100 * passing) / results.length).toFixed(1)}%`);
  });

  const rules = [...new Set(HADOLINT_CASES.map((c) => c.rule))].filter((r) => !STAGE_MODEL_CODES.has(r)).sort();
  for (const rule of rules) {
    it(`${rule}: every case passes except the documented differences`, () => {
      const failing = results
        .filter((r) => r.case.rule === rule && !r.pass && !KNOWN_DIFFERENCES[r.case.source])
        .map((r) => `${r.case.source} ${r.case.name}: expected ${r.case.expect}, found ${r.found}\n${r.case.dockerfile}`);
      assert.deepEqual(failing, []);
    });
  }
});
