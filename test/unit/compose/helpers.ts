import * as path from 'node:path';
import { lint } from '../../../src/diagnostics/engine';
import type { LintHost } from '../../../src/diagnostics/host';
import type { Finding } from '../../../src/diagnostics/types';

export const ROOT = path.resolve('/project');

/** A host that serves only the given files (paths relative to /project). */
export function memoryHost(files: Record<string, string> = {}): LintHost {
  const abs = new Map(Object.entries(files).map(([p, t]) => [path.resolve(ROOT, p), t]));
  return { readFile: (f) => abs.get(path.resolve(f)) };
}

export function lintCompose(text: string, opts: { files?: Record<string, string>; file?: string } = {}): Finding[] {
  return lint({ text, kind: 'compose', filePath: path.join(ROOT, opts.file ?? 'compose.yaml'), host: memoryHost(opts.files) });
}

export const codes = (fs: Finding[]) => fs.map((f) => f.code);
export const only = (fs: Finding[], code: string) => fs.filter((f) => f.code === code);

/** `line:col-endLine:endCol`, 1-based as an editor shows them. */
export const at = (f: Finding) => `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1}`;

/** Joins lines, so tests read like the file they lint. */
export const yaml = (...lines: string[]) => lines.join('\n') + '\n';
