/** Lints every compose file of test/corpus/compose the way `dockwise lint` reads them from disk. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../../../src/diagnostics/engine';
import { diskHost } from '../../../../src/diagnostics/host';

export const CORPUS = path.resolve(__dirname, '../../../corpus/compose');
export const REVIEWED = path.join(__dirname, 'reviewed.json');

export interface CorpusFinding {
  /** file:line:code:hash of the message, stable while the finding says the same thing at the same place. */
  key: string;
  file: string;
  line: number;
  code: string;
  message: string;
  /** The line it is on, for the reviewer. */
  source: string;
}

export interface Verdict {
  key: string;
  code: string;
  verdict: 'right' | 'wrong';
  why: string;
}

export function composeFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(n)) out.push(p);
    }
  };
  walk(CORPUS);
  return out;
}

export function lintCorpus(): CorpusFinding[] {
  const out: CorpusFinding[] = [];
  for (const f of composeFiles()) {
    const text = readFileSync(f, 'utf8');
    const lines = text.split(/\r?\n/);
    const file = path.relative(CORPUS, f).split(path.sep).join('/');
    for (const x of lint({ text, kind: 'compose', filePath: f, host: diskHost })) {
      const line = x.range.start.line + 1;
      const hash = createHash('sha1').update(x.message).digest('hex').slice(0, 8);
      out.push({ key: `${file}:${line}:${x.code}:${hash}`, file, line, code: x.code, message: x.message, source: (lines[line - 1] ?? '').trim() });
    }
  }
  return out;
}

export function readReview(): Verdict[] {
  return JSON.parse(readFileSync(REVIEWED, 'utf8')).findings as Verdict[];
}

/** Per rule: findings, right, wrong, precision. */
export function precision(verdicts: Verdict[]): { code: string; total: number; right: number; wrong: number; precision: number }[] {
  const by = new Map<string, { right: number; wrong: number }>();
  for (const v of verdicts) {
    const c = by.get(v.code) ?? { right: 0, wrong: 0 };
    c[v.verdict]++;
    by.set(v.code, c);
  }
  return [...by.entries()]
    .map(([code, c]) => ({ code, total: c.right + c.wrong, right: c.right, wrong: c.wrong, precision: c.right / (c.right + c.wrong) }))
    .sort((a, b) => b.total - a.total);
}
