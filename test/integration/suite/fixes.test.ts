import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, dockwiseDiagnostics, screenshot, waitFor, workspaceRoot } from '../support';

async function openFile(relative: string, text: string): Promise<vscode.TextEditor> {
  const file = path.join(workspaceRoot(), relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

describe('Fixes in the editor', () => {
  before(async () => {
    await activateExtension();
  });

  it('fix all applies only the fixes that keep what the Dockerfile does', async () => {
    const text = 'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER node\nRUN echo a\n# then b\nRUN echo b\nCMD node server.js\n';
    const editor = await openFile('fixall/Dockerfile', text);
    const uri = editor.document.uri;
    await waitFor('chain-run on the second RUN', () => dockwiseDiagnostics(uri).find((d) => codeOf(d) === 'chain-run'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), vscode.CodeActionKind.SourceFixAll.value);
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.dockwise');
    assert.ok(fixAll?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    // The join is safe; the exec form is not (node images have an ENTRYPOINT), so it stays a suggestion.
    assert.equal(editor.document.getText(), 'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER node\nRUN echo a \\\n# then b\n    && echo b\nCMD node server.js\n');
    const cmd = await waitFor('the CMD finding', () => dockwiseDiagnostics(uri).find((d) => codeOf(d) === 'json-args-recommended'));
    const quick = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, cmd.range, vscode.CodeActionKind.QuickFix.value);
    const exec = quick.find((a) => a.title.startsWith('Use the exec form'));
    assert.ok(exec, quick.map((a) => a.title).join(' | '));
    assert.match(exec.title, / — if the base image has an ENTRYPOINT/);
    assert.notEqual(exec.isPreferred, true, 'a suggestion is never the preferred fix');
    await vscode.commands.executeCommand('workbench.action.files.save');
  });

  it('moves a compose secret to .env and tells .gitignore, with one code action', async () => {
    const editor = await openFile('secret/compose.yaml', 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2\n');
    const uri = editor.document.uri;
    const diag = await waitFor('no-plaintext-secret', () => dockwiseDiagnostics(uri).find((d) => codeOf(d) === 'no-plaintext-secret'));
    editor.selection = new vscode.Selection(diag.range.start, diag.range.start);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const move = actions.find((a) => a.title.startsWith('Move the value of POSTGRES_PASSWORD to .env'));
    assert.ok(move?.edit, actions.map((a) => a.title).join(' | '));
    await vscode.commands.executeCommand('editor.action.quickFix');
    await screenshot('quick-fix-secret-to-env');
    await vscode.commands.executeCommand('hideCodeActionWidget');
    assert.ok(await vscode.workspace.applyEdit(move.edit));
    await vscode.workspace.saveAll();
    assert.equal(editor.document.getText(), 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: "${POSTGRES_PASSWORD}"\n');
    const dir = path.dirname(uri.fsPath);
    const env = await vscode.workspace.openTextDocument(path.join(dir, '.env'));
    assert.equal(env.getText(), "POSTGRES_PASSWORD='hunter2'\n");
    const ignore = await vscode.workspace.openTextDocument(path.join(dir, '.gitignore'));
    assert.equal(ignore.getText(), '.env\n');
    await waitFor('the secret finding gone', () => (dockwiseDiagnostics(uri).some((d) => codeOf(d) === 'no-plaintext-secret') ? undefined : true));
  });
});
