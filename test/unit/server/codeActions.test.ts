import * as assert from 'node:assert/strict';
import { CodeActionKind, CodeActionTriggerKind, Diagnostic } from 'vscode-languageserver/node';
import { defaultConfig } from '../../../src/diagnostics/config';
import { lint, prepareLint } from '../../../src/diagnostics/engine';
import { codeActions, FIX_ALL_KIND, resolveFixAllOfKind } from '../../../src/server/codeActions';
import { isFixAllOfKind } from '../../../src/server/protocol';
import { toDiagnostic } from '../../../src/server/toDiagnostic';

const TEXT = 'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER 1000\nRUN echo a\nRUN echo b\nRUN echo c\nCMD node server.js\nENV X=1\nRUN echo d\nRUN echo e\n';
const uri = 'file:///w/Dockerfile';
const request = { filePath: '/w/Dockerfile', config: defaultConfig(), host: { readFile: () => undefined } };
const findings = lint({ text: TEXT, kind: 'dockerfile' });
const doc = { uri, version: 1, kind: 'dockerfile' as const, text: TEXT, findings };
const diagnostics: Diagnostic[] = findings.map((f) => toDiagnostic(f, 'dockerfile'));
const on = (line: number) => diagnostics.filter((d) => d.range.start.line === line);

function actions(line: number, triggerKind: CodeActionTriggerKind, only?: string[]) {
  return codeActions(doc, { textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: 0 } }, context: { diagnostics: on(line), only, triggerKind } }, request);
}

describe('code actions of the language server', () => {
  // Joining RUNs reads their bodies with the shell parser, as the server does once it has loaded it.
  before(() => prepareLint());

  it('offers the rule\'s fix, the ignore comments and "learn why" for a diagnostic', () => {
    const titles = actions(4, CodeActionTriggerKind.Automatic).map((a) => a.title);
    assert.ok(titles.includes('Chain 3 RUN instructions into one layer'), titles.join(' | '));
    assert.ok(titles.includes('Ignore chain-run on this line'));
    assert.ok(titles.includes('Ignore chain-run in this file'));
    assert.ok(titles.some((t) => t.startsWith('Learn why')));
  });

  it('offers "fix all of this kind" from the last lint\'s findings, and works out its edit only when chosen', () => {
    const offered = actions(4, CodeActionTriggerKind.Automatic).find((a) => a.title === 'Fix all chain-run problems in this file');
    assert.ok(offered && isFixAllOfKind(offered), 'two separate runs of RUNs: fixing all of them is worth offering');
    assert.equal(offered.edit, undefined, 'no edit until resolved: offering it lints nothing');
    const fixAll = resolveFixAllOfKind(offered, doc, request);
    assert.equal(
      fixAll.edit!.changes![uri][0].newText,
      'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER 1000\nRUN echo a \\\n    && echo b \\\n    && echo c\nCMD node server.js\nENV X=1\nRUN echo d \\\n    && echo e\n',
    );
    // Not offered when the last lint found only one.
    const single = codeActions({ ...doc, findings: findings.filter((f) => f.code !== 'chain-run' || f.range.start.line === 4) },
      { textDocument: { uri }, range: on(4)[0].range, context: { diagnostics: on(4) } }, request);
    assert.ok(!single.some((a) => a.title.startsWith('Fix all')));
  });

  it('answers source.fixAll.dockwise with one edit of the whole document, and only when asked for it', () => {
    assert.ok(!actions(6, CodeActionTriggerKind.Invoked).some((a) => a.kind === FIX_ALL_KIND));
    const [fix] = actions(0, CodeActionTriggerKind.Automatic, [CodeActionKind.SourceFixAll]);
    assert.equal(fix?.kind, FIX_ALL_KIND);
    const edit = fix.edit!.changes![uri][0];
    assert.deepEqual(edit.range, { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } });
    // The exec form is a suggestion here (node images have an ENTRYPOINT), so fix all leaves the CMD alone.
    assert.equal(edit.newText, 'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER 1000\nRUN echo a \\\n    && echo b \\\n    && echo c\nCMD node server.js\nENV X=1\nRUN echo d \\\n    && echo e\n');
  });
});
