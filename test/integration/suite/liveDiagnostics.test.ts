import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Publication, SyncReply } from '../../../src/client/publicationLog';
import { activateExtension, codeOf, dockwiseDiagnostics, waitFor, workspaceRoot } from '../support';

const tagLine = (p: Publication) => p.diagnostics.find((d) => d.code === 'no-latest-tag')?.line;

describe('diagnostics while typing', () => {
  it('never publishes diagnostics of a version already replaced while someone types in a large Dockerfile', async function () {
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

    // Each key adds a comment line above FROM, so the line of no-latest-tag says which version a lint read.
    // What the client receives is recorded with the version the server linted (dockwise.test.publications); after
    // each key the server confirms it has the edit (dockwise.test.syncServer), so anything it publishes after
    // that for an older version is stale by its own knowledge, not a message that crossed the edit on the way.
    const uri = doc.uri.toString();
    const publications = () => vscode.commands.executeCommand<Publication[]>('dockwise.test.publications', uri);
    const sync = () => vscode.commands.executeCommand<SyncReply>('dockwise.test.syncServer', uri);
    const firstVersion = doc.version - fromLine();
    const before = (await publications()).length;
    const synced: Array<{ version: number; received: number }> = [];
    const key = async (k: number) => {
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), `# typed ${k}\n`));
      synced.push({ version: doc.version, received: (await sync()).received });
    };
    // Typing at 250 ms per key: the debounce holds most lints back until a pause.
    for (let k = 0; k < 16; k++) {
      const keyAt = Date.now();
      await key(k);
      await new Promise((r) => setTimeout(r, Math.max(0, keyAt + 250 - Date.now())));
    }
    // Then pauses just long enough for a lint to start, so that the next key lands while it runs: the race a stale
    // publication comes from. (A lint that finishes between two polls does not count.)
    let keysDuringLint = 0;
    for (let k = 16; k < 24; k++) {
      const version = doc.version;
      const deadline = Date.now() + 10_000;
      for (;;) {
        const s = await sync();
        if (s.linting === version) {
          keysDuringLint++;
          break;
        }
        if ((await publications()).some((p) => p.version === version)) break;
        if (Date.now() > deadline) throw new Error(`version ${version} was not linted within 10 s`);
      }
      await key(k);
    }
    assert.ok(keysDuringLint >= 4, `only ${keysDuringLint} of 8 keys landed while the version before was being linted`);
    const last = doc.version;
    const final = await waitFor('the publication of the last version', async () => (await publications()).find((p) => p.version === last), 60_000);
    assert.equal(tagLine(final), fromLine(), 'the last version\'s diagnostics point at its FROM line');
    // The editor shows them.
    await waitFor('the last version\'s diagnostics in the editor', () => dockwiseDiagnostics(doc.uri).find((d) => codeOf(d) === 'no-latest-tag' && d.range.start.line === fromLine()), 10_000);

    const log = await publications();
    const stale = log.flatMap((p, i) => {
      const known = Math.max(0, ...synced.filter((s) => s.received <= i).map((s) => s.version));
      return p.version === undefined || p.version < known ? [`publication ${i} of version ${p.version}, after the server had version ${known}`] : [];
    });
    assert.deepEqual(stale, []);
    // Each publication describes the text of the version it names.
    const mislabelled = log.slice(before).filter((p) => p.version !== undefined && tagLine(p) !== p.version - firstVersion);
    assert.deepEqual(mislabelled.map((p) => `version ${p.version}: no-latest-tag on line ${tagLine(p)}`), []);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
