/**
 * `npx tsx test/unit/dockerfile/corpus/report.ts --write` rewrites the precision table in
 * docs/precision-dockerfile.md from review.tsv; `--findings` prints the corpus findings as TSV rows (file, line,
 * column, code, severity) for reviewing what changed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareLint } from '../../../../src/diagnostics/engine';
import { BEGIN, corpusFiles, END, keyOf, lintCorpusFile, precisionTable, readReview, ROOT } from './corpus';

export const DOC = path.join(ROOT, 'docs/precision-dockerfile.md');

export function docWithTable(doc: string, table: string): string {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${DOC} has no precision table markers`);
  return `${doc.slice(0, a + BEGIN.length)}\n\n${table}\n\n${doc.slice(b)}`;
}

if (require.main === module) {
  void (async () => {
    await prepareLint();
    if (process.argv.includes('--findings')) {
      for (const file of corpusFiles()) for (const f of lintCorpusFile(file)) process.stdout.write(keyOf(f) + '\n');
    }
    if (process.argv.includes('--write')) {
      const table = precisionTable(readReview(), corpusFiles().length);
      fs.writeFileSync(DOC, docWithTable(fs.readFileSync(DOC, 'utf8'), table));
      process.stdout.write(table + '\n');
    }
  })();
}
