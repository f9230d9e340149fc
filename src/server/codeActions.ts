import { CodeAction, CodeActionKind, CodeActionParams, CodeActionTriggerKind, Diagnostic, TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LintRequest } from '../diagnostics/engine';
import { fixAll, fixesFor } from '../diagnostics/fixes';
import type { FileKind, Finding, Severity } from '../diagnostics/types';
import type { DiagnosticData } from './toDiagnostic';
import { fixWorkspaceEdit } from './fixEdits';

export const FIX_ALL_KIND = CodeActionKind.SourceFixAll + '.dockwise';

const SEVERITY: Record<number, Severity> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

/** A diagnostic this server published, read back as the finding it came from. */
function findingOf(d: Diagnostic): Finding | undefined {
  if (d.source !== 'dockwise' || d.code === undefined) return undefined;
  const data = (d.data ?? {}) as Partial<DiagnosticData>;
  return { code: String(d.code), severity: SEVERITY[d.severity ?? 2], message: d.message, range: d.range, aliases: data.aliases ?? [], data: data.fix };
}

const wholeDocument = (doc: TextDocument, newText: string): TextEdit => ({
  range: { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) },
  newText,
});

/**
 * Quick fixes for each Dockwise diagnostic under the cursor, "learn why" into the course, the two ignore comments,
 * "fix all of this kind" where the rule has a safe fix and the file has more than one, and source.fixAll.dockwise.
 */
export function codeActions(doc: TextDocument, params: CodeActionParams, kind: FileKind, request: Omit<LintRequest, 'text' | 'kind'>): CodeAction[] {
  const only = params.context.only;
  const wants = (k: string) => !only || only.some((o) => k === o || k.startsWith(o + '.'));
  // Fixing a whole file re-lints it several times: do it when asked (⌘., a keybinding, fix-on-save), not for
  // the light bulb that asks on every cursor move.
  const invoked = params.context.triggerKind !== CodeActionTriggerKind.Automatic;
  const text = doc.getText();
  const uri = doc.uri;
  const actions: CodeAction[] = [];

  if (only?.some((o) => FIX_ALL_KIND === o || FIX_ALL_KIND.startsWith(o + '.'))) {
    const fixed = fixAll({ ...request, text, kind });
    if (fixed.text !== text) {
      actions.push({ title: 'Fix all auto-fixable Dockwise problems', kind: FIX_ALL_KIND, edit: { changes: { [uri]: [wholeDocument(doc, fixed.text)] } } });
    }
  }
  if (!wants(CodeActionKind.QuickFix)) return actions;

  const published = params.context.diagnostics.filter((d) => d.source === 'dockwise');
  const fixAllCodes = new Set<string>();
  for (const d of published) {
    const finding = findingOf(d);
    if (!finding) continue;
    const fixes = fixesFor(finding, text, kind, { request });
    for (const fix of fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: fix.preferred,
        edit: fixWorkspaceEdit(uri, doc.version, fix),
      });
    }
    const lesson = ((d.data ?? {}) as Partial<DiagnosticData>).lesson;
    if (lesson) {
      actions.push({
        title: `Learn why: the lesson on ${finding.code}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: { title: 'Open the lesson', command: 'dockwise.openLesson', arguments: [lesson] },
      });
    }
    if (fixes.some((f) => f.safe)) fixAllCodes.add(finding.code);
  }

  for (const code of invoked ? fixAllCodes : []) {
    const fixed = fixAll({ ...request, text, kind }, { codes: [code] });
    if (fixed.text === text || fixed.applied < 2) continue;
    actions.push({ title: `Fix all ${code} problems in this file`, kind: CodeActionKind.QuickFix, edit: { changes: { [uri]: [wholeDocument(doc, fixed.text)] } } });
  }
  return actions;
}
