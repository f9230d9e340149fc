import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { prepareLint } from '../../../src/diagnostics/engine';
import { BEGIN, corpusFiles, CorpusFinding, END, keyOf, lintCorpusFile, precisionByRule, precisionTable, readReview, Review } from './corpus/corpus';
import { DOC } from './corpus/report';

/** Rules that fire more than this many times on the corpus must keep 97% of their findings right. */
const HANDFUL = 5;

describe('the Dockerfile corpus: every finding reviewed, precision per rule', function () {
  this.timeout(120000);
  let findings: CorpusFinding[] = [];
  let review: Review[] = [];
  before(async () => {
    await prepareLint();
    findings = corpusFiles().flatMap(lintCorpusFile);
    review = readReview();
  });

  it('holds a few hundred Dockerfiles, each with its source', () => {
    const files = corpusFiles();
    assert.ok(files.length >= 300, `${files.length} files`);
    const sources = fs.readFileSync(`${__dirname}/../../corpus/dockerfile/SOURCES.md`, 'utf8');
    assert.deepEqual(files.filter((f) => !sources.includes('`' + f + '`')), []);
  });

  it('has a review row for every finding, and no row for a finding that is gone', () => {
    const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
    const found = count(findings.map(keyOf));
    const reviewed = count(review.map(keyOf));
    const unreviewed = [...found].filter(([k, n]) => (reviewed.get(k) ?? 0) < n).map(([k]) => k);
    const stale = [...reviewed].filter(([k, n]) => (found.get(k) ?? 0) < n).map(([k]) => k);
    assert.deepEqual({ unreviewed: unreviewed.slice(0, 20), stale: stale.slice(0, 20) }, { unreviewed: [], stale: [] },
      'findings changed: judge them in test/unit/dockerfile/corpus/review.tsv (report.ts --findings lists them)');
  });

  it('says right or wrong, and why, for each', () => {
    assert.deepEqual(review.filter((r) => !['right', 'wrong'].includes(r.verdict) || !r.note.trim()).map(keyOf), []);
  });

  it(`keeps 97% precision on every rule that fires more than ${HANDFUL} times`, () => {
    const low = precisionByRule(review).filter((r) => r.findings > HANDFUL && (r.findings - r.wrong) / r.findings < 0.97);
    assert.deepEqual(low, []);
  });

  it('docs/precision-dockerfile.md shows the table the review gives (report.ts --write)', () => {
    const doc = fs.readFileSync(DOC, 'utf8');
    const table = doc.slice(doc.indexOf(BEGIN) + BEGIN.length, doc.indexOf(END)).trim();
    assert.equal(table, precisionTable(review, corpusFiles().length));
  });
});
