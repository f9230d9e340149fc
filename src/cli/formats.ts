import * as path from 'node:path';
import { allRules, docsHref } from '../diagnostics/registry';
import type { Finding, Severity } from '../diagnostics/types';

/** A finding as the CLI prints it: absolute file, 1-based positions (the JSON format's contract). */
export interface CliFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: Severity;
  message: string;
  aliases: string[];
}

export function toCliFinding(file: string, f: Finding): CliFinding {
  return {
    file,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    code: f.code,
    severity: f.severity,
    message: f.message,
    aliases: f.aliases,
  };
}

export function formatJson(findings: CliFinding[]): string {
  return JSON.stringify(findings, null, 2) + '\n';
}

const COLOURS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', hint: '\x1b[2m' };

export function formatText(findings: CliFinding[], opts: { colour: boolean; cwd: string; filesLinted: number }): string {
  const paint = (s: string, c: string) => (opts.colour ? `${c}${s}\x1b[0m` : s);
  const lines = findings.map((f) => {
    const where = `${path.relative(opts.cwd, f.file) || f.file}:${f.line}:${f.column}`;
    const names = f.aliases.length ? ` (${f.aliases.join(', ')})` : '';
    return `${paint(where, '\x1b[1m')} ${paint(f.severity, COLOURS[f.severity])} ${f.code}${names}: ${f.message}`;
  });
  const counts = (['error', 'warning', 'info', 'hint'] as Severity[])
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'info' ? '' : 's'}`);
  const files = `${opts.filesLinted} file${opts.filesLinted === 1 ? '' : 's'}`;
  lines.push(counts.length ? `\n${counts.join(', ')} in ${files}.` : `No problems in ${files}.`);
  return lines.join('\n') + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0, the format code-scanning services read. */
export function formatSarif(findings: CliFinding[], version: string): string {
  const used = new Set(findings.map((f) => f.code));
  const rules = allRules()
    .filter((r) => used.has(r.code))
    .filter((r, i, a) => a.findIndex((x) => x.code === r.code) === i)
    .map((r) => ({
      id: r.code,
      name: r.code,
      shortDescription: { text: r.title },
      helpUri: docsHref(r),
      defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
      properties: { tags: [r.kind, ...r.aliases] },
    }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'dockwise', version, informationUri: 'https://github.com/dockwise/dockwise', rules } },
        results: findings.map((f) => ({
          ruleId: f.code,
          ...(index.has(f.code) ? { ruleIndex: index.get(f.code) } : {}),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toFileUri(f.file) },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          ...(f.aliases.length ? { properties: { aliases: f.aliases } } : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function toFileUri(file: string): string {
  const p = file.replace(/\\/g, '/');
  return 'file://' + (p.startsWith('/') ? '' : '/') + p.split('/').map(encodeURIComponent).join('/');
}
