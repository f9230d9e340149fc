import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, dockwiseDiagnostics, waitFor, workspaceRoot } from '../support';

describe('ShellCheck on RUN instructions', () => {
  it('shows ShellCheck findings at the exact place in the RUN body', async () => {
    await activateExtension();
    assert.ok(fs.existsSync('/usr/bin/shellcheck'), 'the test setup installs Debian\'s shellcheck');
    const file = path.join(workspaceRoot(), 'shellcheck', 'Dockerfile');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'FROM alpine:3.20\nHEALTHCHECK NONE\nUSER 1000\nRUN for f in $(ls /etc); do echo $f; done\n');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const sc = await waitFor('ShellCheck findings', () => {
      const d = dockwiseDiagnostics(doc.uri).filter((x) => codeOf(x) === 'shellcheck');
      return d.length >= 2 ? d : undefined;
    }, 30_000);
    const byCode = new Map(sc.map((d) => [/\((SC\d+)\)/.exec(d.message)?.[1], d]));
    const quote = byCode.get('SC2086');
    assert.ok(quote, `SC2086 among ${sc.map((d) => d.message).join(' | ')}`);
    assert.equal(doc.getText(quote.range), '$f');
    assert.equal(quote.range.start.line, 3);
    assert.ok(byCode.has('SC2045'));
  });
});
