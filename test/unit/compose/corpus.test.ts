import * as assert from 'node:assert/strict';
import { composeFiles, lintCorpus, precision, readReview } from './corpus/lintCorpus';

/**
 * The compose rules on the real-world corpus (test/corpus/compose): every finding has a verdict in
 * corpus/reviewed.json, and every rule that fires more than a handful of times is right at least 97% of the time.
 * When a change makes findings appear or disappear, run `npx tsx test/unit/compose/corpus/review.ts`, read what
 * it marks unreviewed, and commit the updated review with the change.
 */
describe('compose: precision on the real-world corpus', function () {
  this.timeout(120_000);
  const findings = lintCorpus();
  const review = readReview();

  it('lints a corpus of a few hundred files', () => {
    assert.ok(composeFiles().length >= 350, `${composeFiles().length} files`);
  });

  it('finds exactly what the review has read', () => {
    const reviewed = new Set(review.map((v) => v.key));
    const current = new Set(findings.map((f) => f.key));
    const added = findings.filter((f) => !reviewed.has(f.key)).map((f) => `${f.key} ${f.message}`);
    const gone = review.filter((v) => !current.has(v.key)).map((v) => v.key);
    assert.deepEqual({ added: added.slice(0, 20), gone: gone.slice(0, 20), counts: [added.length, gone.length] }, { added: [], gone: [], counts: [0, 0] }, 'findings changed: re-run corpus/review.ts and read the new ones');
    assert.deepEqual(review.filter((v) => v.why === 'unreviewed').map((v) => v.key), []);
  });

  it('is right at least 97% of the time for every rule that fires more than five times', () => {
    for (const r of precision(review)) {
      if (r.total > 5) assert.ok(r.precision >= 0.97, `${r.code}: ${r.right}/${r.total}`);
    }
  });
});
