/**
 * Dockwise's Dockerfile linting against dockerfile-utils' `validate` alone (the baseline most Dockerfile extensions
 * run), per corpus file and on a 4,000-line file, plus peak memory on the large file.
 *
 * Samples of the tools are interleaved (A, B, C, A, B, C, …) so that a busy machine slows all of them alike, and
 * each sample runs the tool several times so timer resolution does not matter. (Forcing a collection before each
 * sample was tried: a full collection makes the next runs several times slower, for every tool, so it is not done;
 * a sample can therefore pay for garbage the previous tool left, which is why the fastest sample is shown too.)
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { validate } from 'dockerfile-utils';
import { defaultConfig } from '../src/diagnostics/config';
import { lintDockerfileWith } from '../src/diagnostics/dockerfile';
import { CORE_DOCKERFILE_RULES } from '../src/diagnostics/dockerfile/rules';
import { lint } from '../src/diagnostics/engine';
import type { LintHost } from '../src/diagnostics/host';
import { CORPUS_DIR, largeFile, smallFiles } from './corpus';
import { peakMemoryMb, ratio, Suite, Table, us } from './harness';

/** No file system: the benchmark measures linting, not disk reads. */
const noFiles: LintHost = { readFile: () => undefined };

interface Tool {
  name: string;
  make(name: string, text: string): () => unknown;
}

const TOOLS: Tool[] = [
  { name: 'validate alone', make: (_n, text) => () => validate(text) },
  { name: 'Dockwise, all rules', make: (n, text) => () => lint({ text, kind: 'dockerfile', filePath: path.join(CORPUS_DIR, n), host: noFiles }) },
  {
    name: 'Dockwise, syntax + course + BuildKit rules',
    make: (n, text) => () => lintDockerfileWith({ text, filePath: path.join(CORPUS_DIR, n), config: defaultConfig(), host: noFiles }, CORE_DOCKERFILE_RULES),
  },
];

/** Median µs per call of each function, from `samples` interleaved samples of `inner` calls each. */
function interleaved(fns: (() => unknown)[], samples: number, inner: number): { median: number; p90: number; min: number }[] {
  for (const f of fns) for (let k = 0; k < Math.max(3, inner); k++) f();
  const times: number[][] = fns.map(() => []);
  for (let s = 0; s < samples; s++) {
    fns.forEach((f, i) => {
      const t0 = performance.now();
      for (let k = 0; k < inner; k++) f();
      times[i].push(((performance.now() - t0) * 1000) / inner);
    });
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return { median: t[Math.floor(t.length / 2)], p90: t[Math.floor(t.length * 0.9)], min: t[0] };
  });
}

/** Heap in use after one run (its garbage not yet collected, its result kept) minus the heap before it, in MB. */
function heapGrowthMb(fn: () => unknown): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const result = fn();
  const after = process.memoryUsage().heapUsed;
  void result;
  return Math.max(0, after - before) / 1048576;
}

/**
 * For the large file, where each run leaves megabytes of garbage: each tool in its own block (collect, warm up, then
 * `samples` runs), so every tool pays for its own garbage and no other's.
 */
function blocks(fns: (() => unknown)[], samples: number): { median: number; p90: number; min: number }[] {
  const gc = (globalThis as { gc?: () => void }).gc;
  return fns.map((f) => {
    gc?.();
    for (let k = 0; k < 3; k++) f();
    const t: number[] = [];
    for (let s = 0; s < samples; s++) {
      const t0 = performance.now();
      f();
      t.push((performance.now() - t0) * 1000);
    }
    t.sort((a, b) => a - b);
    return { median: t[Math.floor(t.length / 2)], p90: t[Math.floor(t.length * 0.9)], min: t[0] };
  });
}

export const dockerfileSuite: Suite = {
  name: 'dockerfile',
  async run(): Promise<Table[]> {
    const small: Table = {
      title: 'Per file (median µs per lint; 60 interleaved samples of 10 runs)',
      columns: ['file', 'lines', ...TOOLS.map((t) => t.name), 'all rules / validate', 'core / validate', 'findings (all rules)'],
      rows: [],
    };
    const ratiosAll: number[] = [];
    const ratiosCore: number[] = [];
    for (const f of smallFiles()) {
      const fns = TOOLS.map((t) => t.make(f.name, f.text));
      const [v, all, core] = interleaved(fns, 60, 10);
      ratiosAll.push(all.median / v.median);
      ratiosCore.push(core.median / v.median);
      small.rows.push([f.name, f.text.split('\n').length, us(v.median), us(all.median), us(core.median), ratio(all.median, v.median), ratio(core.median, v.median), (fns[1]() as unknown[]).length]);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(2);
    small.notes = [`Median ratio over the corpus: all rules ${med(ratiosAll)}×, syntax + course + BuildKit rules ${med(ratiosCore)}× (target: at most 1×).`];

    const big = largeFile(4000);
    const fns = TOOLS.map((t) => t.make(big.name, big.text));
    const results = blocks(fns, 25);
    const mem: number[] = [];
    for (const f of fns) mem.push(await peakMemoryMb(f));
    const heap = fns.map(heapGrowthMb);
    const large: Table = {
      title: `${big.name} (25 runs per tool, each tool in its own block)`,
      columns: ['tool', 'median', 'p90', 'fastest', 'speed-up (median)', 'speed-up (fastest)', 'peak RSS growth', 'heap growth', 'findings'],
      rows: TOOLS.map((t, i) => [t.name, us(results[i].median), us(results[i].p90), us(results[i].min),
        `${(results[0].median / results[i].median).toFixed(1)}×`, `${(results[0].min / results[i].min).toFixed(1)}×`,
        `${mem[i].toFixed(1)} MB`, `${heap[i].toFixed(1)} MB`, (fns[i]() as unknown[]).length]),
      notes: [
        'Target: at least 5× faster than validate alone. "fastest" is the quickest sample: on a machine busy with other work it is the figure least disturbed by others; the median is the usual one.',
        'Heap growth: heap in use right after one run (garbage not yet collected, result kept) minus the heap before it.',
      ],
    };
    return [small, large];
  },
};
