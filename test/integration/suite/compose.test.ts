import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, dockwiseDiagnostics, screenshot, waitFor, workspaceRoot } from '../support';

describe('Compose diagnostics on the sample todo app', () => {
  it('reports the security and production findings of the sample compose file where they are', async () => {
    await activateExtension();
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'todo-app', 'compose.yaml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'dockercompose');
    const diags = await waitFor('the sample compose findings', () => {
      const d = dockwiseDiagnostics(uri);
      return d.some((x) => codeOf(x) === 'no-public-admin-port') ? d : undefined;
    });
    const at = (code: string) => diags.filter((d) => codeOf(d) === code).map((d) => d.range.start.line + 1);
    assert.deepEqual(at('no-public-admin-port'), [21]);
    assert.deepEqual(at('no-plaintext-secret'), [13, 23]);
    assert.deepEqual(at('no-latest-tag'), [19]);
    assert.deepEqual(at('no-version-field'), [3]);
    const port = diags.find((d) => codeOf(d) === 'no-public-admin-port')!;
    assert.equal(port.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(port.range), '"3306:3306"');
    assert.ok(port.code && typeof port.code === 'object', 'the code links somewhere');
    assert.equal(port.code.target.toString(), 'dockwise-rule:/compose/no-public-admin-port', 'the rule page shipped in the extension');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('compose-diagnostics');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('reports broken YAML at its position and keeps the server alive', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'dockercompose', content: 'services:\n  web:\n    image: "nginx:1.27\n  db: [\n' });
    await vscode.window.showTextDocument(doc);
    const syntax = await waitFor('compose-syntax', () => dockwiseDiagnostics(doc.uri).find((d) => codeOf(d) === 'compose-syntax'));
    assert.equal(syntax.severity, vscode.DiagnosticSeverity.Error);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
