import * as assert from 'node:assert/strict';
import { CodeActionKind, CodeActionTriggerKind, Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultConfig } from '../../../src/diagnostics/config';
import { lint, prepareLint } from '../../../src/diagnostics/engine';
import { codeActions, FIX_ALL_KIND } from '../../../src/server/codeActions';
import { toDiagnostic } from '../../../src/server/toDiagnostic';

const TEXT = 'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER 1000\nRUN echo a\nRUN echo b\nRUN echo c\nCMD node server.js\nENV X=1\nRUN echo d\nRUN echo e\n';
const doc = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, TEXT);
const request = { filePath: '/w/Dockerfile', config: defaultConfig(), host: { readFile: () => undefined } };
const diagnostics: Diagnostic[] = lint({ text: TEXT, kind: 'dockerfile' }).map((f) => toDiagnostic(f, 'dockerfile'));
const on = (line: number) => diagnostics.filter((d) => d.range.start.line === line);

function actions(line: number, triggerKind: CodeActionTriggerKind, only?: string[]) {
  return codeActions(doc, { textDocument: { uri: doc.uri }, range: { start: { line, character: 0 }, end: { line, character: 0 } }, context: { diagnostics: on(line), only, triggerKind } }, 'dockerfile', request);
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

  it('keeps "fix all of this kind" for an explicit request, not the light bulb on every cursor move', () => {
    assert.ok(!actions(6, CodeActionTriggerKind.Automatic).some((a) => a.title.startsWith('Fix all')));
    const fixAll = actions(4, CodeActionTriggerKind.Invoked).find((a) => a.title === 'Fix all chain-run problems in this file');
    assert.ok(fixAll?.edit, 'two separate runs of RUNs: fixing all of them is worth offering');
    assert.equal(
      fixAll.edit.changes![doc.uri][0].newText,
      'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER 1000\nRUN echo a \\\n    && echo b \\\n    && echo c\nCMD node server.js\nENV X=1\nRUN echo d \\\n    && echo e\n',
    );
  });

  it('answers source.fixAll.dockwise with one edit of the whole document, and only when asked for it', () => {
    assert.ok(!actions(6, CodeActionTriggerKind.Invoked).some((a) => a.kind === FIX_ALL_KIND));
    const [fix] = actions(0, CodeActionTriggerKind.Automatic, [CodeActionKind.SourceFixAll]);
    assert.equal(fix?.kind, FIX_ALL_KIND);
    const edit = fix.edit!.changes![doc.uri][0];
    // The exec form is a suggestion here (node images have an ENTRYPOINT), so fix all leaves the CMD alone.
    assert.equal(edit.newText, 'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER 1000\nRUN echo a \\\n    && echo b \\\n    && echo c\nCMD node server.js\nENV X=1\nRUN echo d \\\n    && echo e\n');
  });
});
