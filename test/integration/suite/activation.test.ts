import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, dockwiseDiagnostics, EXTENSION_ID, screenshot, waitFor, workspaceRoot } from '../support';

describe('Dockwise in a real VS Code', () => {
  it('activates when a Dockerfile is opened', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension is installed in the test host');
    const doc = await vscode.workspace.openTextDocument(path.join(workspaceRoot(), 'Dockerfile'));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'dockerfile');
    await waitFor('activation on opening a Dockerfile', () => ext.isActive);
  });

  it('publishes no-latest-tag on FROM node:latest and clears it when the line is fixed', async () => {
    await activateExtension();
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'Dockerfile'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const found = await waitFor('no-latest-tag on line 1', () =>
      dockwiseDiagnostics(uri).find((d) => codeOf(d) === 'no-latest-tag' && d.range.start.line === 0),
    );
    assert.equal(found.range.start.character, 5);
    assert.equal(found.range.end.character, 16);
    assert.equal(found.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(found.message, /DL3007/);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('dockerfile-diagnostics');
    await vscode.commands.executeCommand('workbench.action.closePanel');

    await editor.edit((e) => e.replace(new vscode.Range(0, 5, 0, 16), 'node:22.11-alpine'));
    await waitFor('no-latest-tag cleared after the fix', () =>
      dockwiseDiagnostics(uri).every((d) => codeOf(d) !== 'no-latest-tag') ? true : undefined,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('lints compose files too and clears their diagnostics when closed', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'compose.yaml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'dockercompose');
    const found = await waitFor('no-latest-tag on postgres:latest', () =>
      dockwiseDiagnostics(uri).find((d) => codeOf(d) === 'no-latest-tag' && d.range.start.line === 7),
    );
    assert.equal(found.range.start.character, 11);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('compose diagnostics cleared on close', () => (dockwiseDiagnostics(uri).length === 0 ? true : undefined));
  });

  it('reaches the test daemon through dockerode and lists the seeded image', async () => {
    await activateExtension();
    const refs = await vscode.commands.executeCommand<string[]>('dockwise.daemon.listImages');
    assert.ok(Array.isArray(refs), 'the command returns the references');
    assert.ok(refs.includes('dockwise-test/busybox:1.0'), `seeded image listed, got ${JSON.stringify(refs)}`);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });
});
