import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeActionTriggerKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { defaultConfig } from '../../../src/diagnostics/config';
import { lint } from '../../../src/diagnostics/engine';
import { diskHost } from '../../../src/diagnostics/host';
import { codeActions } from '../../../src/server/codeActions';
import { toDiagnostic } from '../../../src/server/toDiagnostic';

describe('fixes that edit other files, as code actions', () => {
  it('moves a secret to .env with one workspace edit: create .env and .gitignore, then write them and the document', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-ws-'));
    const file = path.join(dir, 'compose.yaml');
    const text = 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2\n';
    const doc = TextDocument.create(URI.file(file).toString(), 'dockercompose', 3, text);
    const request = { filePath: file, config: defaultConfig(), host: diskHost };
    const diag = lint({ text, kind: 'compose', ...request }).filter((f) => f.code === 'no-plaintext-secret').map((f) => toDiagnostic(f, 'compose'));
    const actions = codeActions(doc, { textDocument: { uri: doc.uri }, range: diag[0].range, context: { diagnostics: diag, triggerKind: CodeActionTriggerKind.Invoked } }, 'compose', request);
    const move = actions.find((a) => a.title.startsWith('Move the value of POSTGRES_PASSWORD to .env'));
    assert.ok(move?.edit?.documentChanges, actions.map((a) => a.title).join(' | '));
    const envUri = URI.file(path.join(dir, '.env')).toString();
    const ignoreUri = URI.file(path.join(dir, '.gitignore')).toString();
    assert.deepEqual(move.edit.documentChanges, [
      { textDocument: { uri: doc.uri, version: 3 }, edits: [{ range: { start: { line: 4, character: 25 }, end: { line: 4, character: 32 } }, newText: '"${POSTGRES_PASSWORD}"' }] },
      { kind: 'create', uri: envUri, options: { ignoreIfExists: true } },
      { textDocument: { uri: envUri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: "POSTGRES_PASSWORD='hunter2'\n" }] },
      { kind: 'create', uri: ignoreUri, options: { ignoreIfExists: true } },
      { textDocument: { uri: ignoreUri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '.env\n' }] },
    ]);
  });
});
