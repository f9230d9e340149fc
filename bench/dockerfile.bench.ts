/**
 * Dockwise's full Dockerfile rule set against dockerfile-utils' `validate` alone (the baseline most Dockerfile
 * extensions run), per corpus file and on a 4,000-line file, plus peak memory on the large file.
 */
import * as path from 'node:path';
import { validate } from 'dockerfile-utils';
import { lint } from '../src/diagnostics/engine';
import type { LintHost } from '../src/diagnostics/host';
import { CORPUS_DIR, largeFile, smallFiles } from './corpus';
import { peakMemoryMb, ratio, Suite, Table, time, us } from './harness';

/** No file system: the benchmark measures linting, not disk reads. */
const noFiles: LintHost = { readFile: () => undefined };
const dockwise = (name: string, text: string) => () =>
  lint({ text, kind: 'dockerfile', filePath: path.join(CORPUS_DIR, name), host: noFiles });
const baseline = (text: string) => () => validate(text);

export const dockerfileSuite: Suite = {
  name: 'dockerfile',
  async run(): Promise<Table[]> {
    const small: Table = {
      title: 'Per file (median of 200 runs)',
      columns: ['file', 'lines', 'validate alone', 'Dockwise (all rules)', 'Dockwise / validate', 'findings'],
      rows: [],
    };
    const medians: number[] = [];
    for (const f of smallFiles()) {
      const v = await time(baseline(f.text), 200, 30);
      const d = await time(dockwise(f.name, f.text), 200, 30);
      medians.push(d.medianUs / v.medianUs);
      small.rows.push([f.name, f.text.split('\n').length, us(v.medianUs), us(d.medianUs), ratio(d.medianUs, v.medianUs), dockwise(f.name, f.text)().length]);
    }
    medians.sort((a, b) => a - b);
    small.notes = [`Median ratio over the corpus: ${medians[Math.floor(medians.length / 2)].toFixed(2)}× (target: at most 1×).`];

    const big = largeFile(4000);
    const v = await time(baseline(big.text), 20, 3);
    const d = await time(dockwise(big.name, big.text), 20, 3);
    const vMem = await peakMemoryMb(baseline(big.text));
    const dMem = await peakMemoryMb(dockwise(big.name, big.text));
    const large: Table = {
      title: `${big.name} (median of 20 runs)`,
      columns: ['tool', 'median', 'p90', 'peak memory growth', 'findings'],
      rows: [
        ['validate alone', us(v.medianUs), us(v.p90Us), `${vMem.toFixed(1)} MB`, baseline(big.text)().length],
        ['Dockwise (all rules)', us(d.medianUs), us(d.p90Us), `${dMem.toFixed(1)} MB`, dockwise(big.name, big.text)().length],
      ],
      notes: [`Dockwise is ${(v.medianUs / d.medianUs).toFixed(1)}× faster than validate alone here (target: at least 5×).`],
    };
    return [small, large];
  },
};
