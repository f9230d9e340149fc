import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic, TextEdit } from 'vscode-languageserver/node';
import type { DockerfileContext } from '../diagnostics/dockerfile/context';
import type { LintRequest } from '../diagnostics/engine';
import { fixAll, fixesFor } from '../diagnostics/fixes';
import type { FileKind, Finding, Severity } from '../diagnostics/types';
import { FIX_ALL_KIND, FixAllOfKindData } from './protocol';
import type { DiagnosticData } from './toDiagnostic';
import { fixWorkspaceEdit } from './fixEdits';

export { FIX_ALL_KIND };


const SEVERITY: Record<number, Severity> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

/** A document as code actions see it: its text and what its last lint found. */
export interface CodeActionDocument {
  uri: string;
  version: number;
  kind: FileKind;
  text: string;
  /**
   * The last lint's findings for this very text, when there was one: "fix all of this kind" counts on them, and
   * fix-all starts from them instead of linting the text again.
   */
  findings?: readonly Finding[];
  /** That lint's parse of the Dockerfile: fixes read it instead of parsing the text again. */
  dockerfile?: DockerfileContext;
}


/** A diagnostic this server published, read back as the finding it came from. */
function findingOf(d: Diagnostic): Finding | undefined {
  if (d.source !== 'dockwise' || d.code === undefined) return undefined;
  const data = (d.data ?? {}) as Partial<DiagnosticData>;
  return { code: String(d.code), severity: SEVERITY[d.severity ?? 2], message: d.message, range: d.range, aliases: data.aliases ?? [], data: data.fix };
}

/** One edit replacing the whole text. */
export function wholeDocument(text: string, newText: string): TextEdit {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { range: { start: { line: 0, character: 0 }, end: { line, character: text.length - lineStart } }, newText };
}

/**
 * Quick fixes for each Dockwise diagnostic under the cursor, "learn why" into the course, the two ignore comments,
 * "fix all of this kind" where the rule has a safe fix and the last lint found more than one, and
 * source.fixAll.dockwise. Nothing here lints the file again: "fix all of this kind" is offered from the last lint's
 * findings and worked out only when chosen (`resolveFixAllOfKind`).
 */
export function codeActions(doc: CodeActionDocument, params: CodeActionParams, request: Omit<LintRequest, 'text' | 'kind'>): CodeAction[] {
  const only = params.context.only;
  const wants = (k: string) => !only || only.some((o) => k === o || k.startsWith(o + '.'));
  const { text, uri, kind } = doc;
  const actions: CodeAction[] = [];

  if (only?.some((o) => FIX_ALL_KIND === o || FIX_ALL_KIND.startsWith(o + '.'))) {
    const fixed = fixAllOf(doc, request);
    if (fixed.text !== text) {
      actions.push({ title: 'Fix all auto-fixable Dockwise problems', kind: FIX_ALL_KIND, edit: { changes: { [uri]: [wholeDocument(text, fixed.text)] } } });
    }
  }
  if (!wants(CodeActionKind.QuickFix)) return actions;

  const published = params.context.diagnostics.filter((d) => d.source === 'dockwise');
  const fixAllCodes = new Set<string>();
  for (const d of published) {
    const finding = findingOf(d);
    if (!finding) continue;
    const fixes = fixesFor(finding, text, kind, { request: { ...request, dockerfile: doc.dockerfile } });
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

  for (const code of fixAllCodes) {
    const count = doc.findings?.filter((f) => f.code === code).length ?? 0;
    if (count < 2) continue;
    const data: FixAllOfKindData = { fixAllOfKind: code, uri, version: doc.version };
    actions.push({ title: `Fix all ${code} problems in this file`, kind: CodeActionKind.QuickFix, data });
  }
  return actions;
}

/** The edit of a "fix all of this kind" action, for the text it was offered on. */
export function resolveFixAllOfKind(action: CodeAction & { data: FixAllOfKindData }, doc: Omit<CodeActionDocument, 'uri' | 'version'>, request: Omit<LintRequest, 'text' | 'kind'>): CodeAction {
  const { text } = doc;
  const fixed = fixAllOf(doc, request, [action.data.fixAllOfKind]);
  if (fixed.text === text) return action;
  return { ...action, edit: { changes: { [action.data.uri]: [wholeDocument(text, fixed.text)] } } };
}

/**
 * Every safe fix of the document (of the given rules): the first pass starts from the last lint's findings and parse
 * when there are some, so a fix-all costs the fixes and the lint of the fixed text, not a lint of the text as it is.
 */
function fixAllOf(doc: Omit<CodeActionDocument, 'uri' | 'version'>, request: Omit<LintRequest, 'text' | 'kind'>, codes?: string[]) {
  const { text, kind } = doc;
  const seed = doc.findings ? { findings: [...doc.findings], dockerfile: doc.dockerfile } : {};
  return fixAll({ ...request, text, kind }, { codes, ...seed });
}
