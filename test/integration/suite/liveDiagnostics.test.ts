import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, dockwiseDiagnostics, waitFor, workspaceRoot } from '../support';

describe('diagnostics while typing', () => {
  it('never shows diagnostics of a version already replaced while someone types in a large Dockerfile', async function () {
    this.timeout(180_000);
    await activateExtension();
    const file = path.join(workspaceRoot(), 'typing', 'Dockerfile');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const runs = Array.from({ length: 1500 }, (_, k) => `RUN apt-get update && apt-get install -y pkg${k}`).join('\n');
    fs.writeFileSync(file, `FROM node:latest\n${runs}\nCMD ["node", "server.js"]\n`);
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    const fromLine = () => doc.getText().split('\n').findIndex((l) => l.startsWith('FROM '));
    await waitFor('the first diagnostics', () => dockwiseDiagnostics(doc.uri).find((d) => codeOf(d) === 'no-latest-tag'), 60_000);

    // Each key adds a comment line above FROM: a diagnostic computed on an older text points one line too high.
    const stale: string[] = [];
    let shown = 0;
    const watch = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.fsPath === doc.uri.fsPath)) return;
      const tag = dockwiseDiagnostics(doc.uri).find((d) => codeOf(d) === 'no-latest-tag');
      if (!tag) return;
      shown++;
      if (tag.range.start.line !== fromLine()) stale.push(`no-latest-tag on line ${tag.range.start.line + 1}, FROM on line ${fromLine() + 1}`);
    });
    try {
      for (let k = 0; k < 16; k++) {
        await editor.edit((b) => b.insert(new vscode.Position(0, 0), `# typed ${k}\n`));
        await new Promise((r) => setTimeout(r, 250));
      }
      await waitFor('diagnostics of the last version', () => dockwiseDiagnostics(doc.uri).find((d) => codeOf(d) === 'no-latest-tag' && d.range.start.line === fromLine()), 60_000);
    } finally {
      watch.dispose();
    }
    assert.deepEqual(stale, []);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
