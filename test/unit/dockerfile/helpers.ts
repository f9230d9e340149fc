import { defaultConfig, LintConfig } from '../../../src/diagnostics/config';
import { lint } from '../../../src/diagnostics/engine';
import type { LintHost } from '../../../src/diagnostics/host';
import type { Finding } from '../../../src/diagnostics/types';

export interface LintOptions {
  files?: Record<string, string>;
  config?: Partial<LintConfig>;
  filePath?: string;
  host?: LintHost;
}

/** Lints Dockerfile text with an in-memory host (`files` by absolute path). */
export function lintText(text: string, opts: LintOptions = {}): Finding[] {
  const files = opts.files ?? {};
  const host: LintHost = opts.host ?? { readFile: (f) => files[f] };
  return lint({ text, kind: 'dockerfile', filePath: opts.filePath ?? '/project/Dockerfile', config: { ...defaultConfig(), ...opts.config }, host });
}

export const byCode = (fs: Finding[], code: string) => fs.filter((f) => f.code === code);

/** `line:col-endLine:endCol`, 1-based, for compact range assertions. */
export const at = (f: Finding) => `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1}`;

/** Dockerfile text from lines. */
export const df = (...lines: string[]) => lines.join('\n') + '\n';
