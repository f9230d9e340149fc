/**
 * Runs compose-go's loader cases (cases.json, manual.json) through the compose linter. A case that compose-go
 * loads must get no finding that says compose refuses the file; a case it refuses must get one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../../../src/diagnostics/engine';
import type { Finding } from '../../../../src/diagnostics/types';

export interface GoCase {
  id: string;
  source: string;
  yaml?: string;
  /** A file of testdata/ to lint instead of yaml. */
  file?: string;
  expect?: 'valid' | 'invalid';
  error?: string;
  /** all: compose-go's consistency checks ran; schema: only loading and the schema; none: nothing was validated. */
  checks: 'all' | 'schema' | 'none';
  skip?: string;
}

/** Findings that claim compose refuses to load the file. */
const SCHEMA_LEVEL = new Set(['compose-syntax', 'compose-schema']);
const CONSISTENCY_LEVEL = new Set(['compose-consistency', 'no-undeclared-reference', 'no-duplicate-container-name']);

const here = __dirname;
const ROOT = path.resolve('/compose-go');

function testdataFiles(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.join(ROOT, 'testdata', path.relative(path.join(here, 'testdata'), p)), readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(here, 'testdata'));
  return out;
}

export function loadCases(): GoCase[] {
  const extracted = JSON.parse(readFileSync(path.join(here, 'cases.json'), 'utf8')).cases as GoCase[];
  const manual = JSON.parse(readFileSync(path.join(here, 'manual.json'), 'utf8')) as { cases: GoCase[]; overrides: Record<string, Partial<GoCase>> };
  const merged = extracted.map((c) => ({ ...c, ...(manual.overrides[c.id] ?? {}) }));
  return [...merged, ...manual.cases];
}

export interface Outcome {
  c: GoCase;
  pass: boolean;
  refused: Finding[];
}

export function runCases(cases = loadCases()): Outcome[] {
  const files = testdataFiles();
  const host = { readFile: (f: string) => files.get(path.resolve(f)) };
  const out: Outcome[] = [];
  for (const c of cases) {
    if (c.skip || !c.expect || c.checks === 'none') continue;
    const filePath = c.file ? path.join(ROOT, 'testdata', c.file) : path.join(ROOT, 'compose.yaml');
    const text = c.file ? files.get(filePath) ?? '' : c.yaml ?? '';
    const counted = c.checks === 'all' ? new Set([...SCHEMA_LEVEL, ...CONSISTENCY_LEVEL]) : SCHEMA_LEVEL;
    // Some compose-consistency findings are what compose-go refuses while loading, before its consistency checks.
    const loading = (f: Finding) => f.code === 'compose-consistency' && (f.data as { stage?: string } | undefined)?.stage === 'load';
    const refused = lint({ text, kind: 'compose', filePath, host }).filter((f) => (counted.has(f.code) || loading(f)) && f.severity === 'error');
    out.push({ c, pass: c.expect === 'valid' ? refused.length === 0 : refused.length > 0, refused });
  }
  return out;
}

if (require.main === module) {
  const res = runCases();
  for (const r of res.filter((x) => !x.pass)) {
    console.log(`FAIL ${r.c.expect} ${r.c.id} (${r.c.source}) ${r.c.error ?? ''}\n   ${r.refused.map((f) => `${f.code}: ${f.message}`).join('\n   ')}`);
  }
  console.log(`${res.filter((r) => r.pass).length}/${res.length} passed`);
}
