import * as assert from 'node:assert/strict';
import { lint } from '../../../src/diagnostics/engine';
import { applyEdits, Fix, fixAll, fixesFor } from '../../../src/diagnostics/fixes';
import type { FixRequest } from '../../../src/diagnostics/fixes';
import type { FileKind, Finding } from '../../../src/diagnostics/types';

/** No file system unless a test gives one: fixes must not read the machine they run on. */
export const noFiles = { readFile: () => undefined };
export const noProbe = { kind: () => undefined, head: () => undefined };

export const keyOf = (f: Finding) => `${f.code}@${f.range.start.line}`;

export function findingsNamed(kind: FileKind, text: string, name: string, request: FixRequest = {}): Finding[] {
  return lint({ text, kind, host: noFiles, ...request }).filter((f) => f.code === name || f.aliases.includes(name));
}

/** The fixes (no ignore comments) of the first finding named `name`, which must exist. */
export function fixesOf(kind: FileKind, text: string, name: string, request: FixRequest = {}): Fix[] {
  const all = lint({ text, kind, host: noFiles, ...request });
  const f = all.find((x) => x.code === name || x.aliases.includes(name));
  assert.ok(f, `expected a ${name} finding, got ${all.map(keyOf).join(', ')}`);
  return fixesFor(f, text, kind, { ignore: false, request: { host: noFiles, probe: noProbe, ...request } });
}

/** The one fix of the first `name` finding whose id is `id`, applied. */
export function applyFix(kind: FileKind, text: string, name: string, id: string, request: FixRequest = {}): { fix: Fix; text: string } {
  const fixes = fixesOf(kind, text, name, request);
  const fix = fixes.find((f) => f.id === id);
  assert.ok(fix, `expected a ${id} fix for ${name}, got ${fixes.map((f) => `${f.id}: ${f.title}`).join(' | ') || 'none'}`);
  return { fix, text: applyEdits(text, fix.edits) };
}

/** Fix all with no file system, asserting it converges: a second run changes nothing. */
export function fixAllOf(kind: FileKind, text: string, request: FixRequest = {}) {
  const first = fixAll({ text, kind, host: noFiles, probe: noProbe, ...request });
  const again = fixAll({ text: first.text, kind, host: noFiles, probe: noProbe, ...request });
  assert.equal(again.text, first.text, 'a second fix all changed the file again');
  return first;
}
