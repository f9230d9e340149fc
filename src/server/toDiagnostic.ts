import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import { ruleByName } from '../diagnostics/registry';
import type { FileKind, Finding, Severity } from '../diagnostics/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What the client needs for code actions and "learn why", carried in `Diagnostic.data`. */
export interface DiagnosticData {
  kind: FileKind;
  aliases: string[];
  lesson?: string;
  fix?: Record<string, unknown>;
}

export function toDiagnostic(f: Finding, kind: FileKind): Diagnostic {
  const lesson = ruleByName(kind, f.code)?.lesson;
  const data: DiagnosticData = { kind, aliases: f.aliases, ...(lesson ? { lesson } : {}), ...(f.data ? { fix: f.data } : {}) };
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    ...(f.href ? { codeDescription: { href: f.href } } : {}),
    source: 'dockwise',
    message: f.aliases.length ? `${f.message} (${f.aliases.join(', ')})` : f.message,
    data,
  };
}
