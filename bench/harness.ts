/**
 * Small benchmark toolkit: medians over repeated runs after warm-up, peak memory, and plain-text tables so
 * several tools can be compared side by side in one run (ratios, never absolute pass/fail thresholds).
 */
import { performance } from 'node:perf_hooks';

export interface Timing {
  medianUs: number;
  p90Us: number;
  runs: number;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times, and returns the median and p90 in microseconds. */
export async function time(fn: () => unknown | Promise<unknown>, runs = 30, warmup = 5): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) * 1000);
  }
  samples.sort((a, b) => a - b);
  return { medianUs: samples[Math.floor(samples.length / 2)], p90Us: samples[Math.floor(samples.length * 0.9)], runs };
}

/** Peak RSS growth (MB) while `fn` runs, sampled every few milliseconds; start from a collected heap when possible. */
export async function peakMemoryMb(fn: () => unknown | Promise<unknown>): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return (peak - base) / 1048576;
}

export interface Table {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}

export function formatTable(t: Table): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map(String))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ') + ' |';
  const out = [`### ${t.title}`, '', line(t.columns), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.slice(1).map(line)];
  for (const n of t.notes ?? []) out.push('', n);
  return out.join('\n') + '\n';
}

export const us = (n: number) => (n >= 10000 ? `${(n / 1000).toFixed(1)} ms` : `${n.toFixed(0)} µs`);
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** A benchmark suite: prints its own tables. */
export type Suite = { name: string; run: () => Promise<Table[]> };
