import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import * as vscode from 'vscode';
import { makeTar, SEED } from '../../support/testDaemon';
import { activateExtension, codeOf, dockwiseDiagnostics, screenshot, waitFor, workspaceRoot } from '../support';

/** Builds an image on the test daemon from a Dockerfile text (classic builder, offline: FROM the seeded busybox). */
async function build(docker: Dockerode, tag: string, dockerfile: string): Promise<void> {
  const context = makeTar([{ type: 'file', name: 'Dockerfile', content: Buffer.from(dockerfile) }]);
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: tag });
  const output = await new Promise<Array<{ error?: string }>>((resolve, reject) => docker.modem.followProgress(stream, (err, res) => (err ? reject(err) : resolve(res))));
  const failed = output.find((o) => o.error);
  if (failed) throw new Error(`building ${tag} failed: ${failed.error}`);
}

async function openFile(relative: string, text: string): Promise<vscode.TextEditor> {
  const file = path.join(workspaceRoot(), relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  return vscode.window.showTextDocument(doc);
}

const hoverText = (hovers: vscode.Hover[]) =>
  hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');

describe('Diagnostics that teach', () => {
  const docker = new Dockerode();

  before(async () => {
    await activateExtension();
  });

  it('applies a quick fix through the code-action API', async () => {
    const editor = await openFile('fix/Dockerfile', 'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER 1000\nCMD node server.js\n');
    const uri = editor.document.uri;
    await waitFor('a diagnostic on the shell-form CMD', () => dockwiseDiagnostics(uri).find((d) => d.range.start.line === 3));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(3, 0, 3, 4), vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.startsWith('Use the exec form'));
    assert.ok(fix?.edit, `an exec-form fix among ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(editor.document.getText(), 'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER 1000\nCMD ["node", "server.js"]\n');
    await waitFor('the CMD diagnostic gone', () => (dockwiseDiagnostics(uri).some((d) => d.range.start.line === 3) ? undefined : true));
    await vscode.commands.executeCommand('workbench.action.files.save');
  });

  it('pins a floating tag to the tag the local daemon has for that image', async () => {
    await docker.getImage(SEED.busyboxImage).tag({ repo: 'dockwise-test/busybox', tag: 'latest' });
    const editor = await openFile('pin/Dockerfile', 'FROM dockwise-test/busybox:latest\nHEALTHCHECK NONE\nUSER 1000\n');
    const uri = editor.document.uri;
    const diag = await waitFor('no-latest-tag', () => dockwiseDiagnostics(uri).find((d) => codeOf(d) === 'no-latest-tag'));
    editor.selection = new vscode.Selection(diag.range.start, diag.range.start);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const pin = actions.find((a) => a.title === 'Pin to dockwise-test/busybox:1.0 (the image your Docker daemon has)');
    assert.ok(pin?.edit, `a daemon pin among ${actions.map((a) => a.title).join(' | ')}`);
    await vscode.commands.executeCommand('editor.action.quickFix');
    await screenshot('quick-fix-menu');
    await vscode.commands.executeCommand('hideCodeActionWidget');
    assert.ok(await vscode.workspace.applyEdit(pin.edit));
    assert.equal(editor.document.lineAt(0).text, 'FROM dockwise-test/busybox:1.0');
    await waitFor('no-latest-tag gone', () => (dockwiseDiagnostics(uri).some((d) => codeOf(d) === 'no-latest-tag') ? undefined : true));
    await vscode.commands.executeCommand('workbench.action.files.save');
  });

  it('offers "learn why" that opens the lesson which explains the rule', async () => {
    const editor = await openFile('learn/Dockerfile', 'FROM debian:bookworm-slim\nHEALTHCHECK NONE\nCMD ["./server"]\n');
    const uri = editor.document.uri;
    const diag = await waitFor('no-root-user', () => dockwiseDiagnostics(uri).find((d) => codeOf(d) === 'no-root-user'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const learn = actions.find((a) => a.title.startsWith('Learn why'));
    assert.ok(learn?.command, `a learn-why action among ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(learn.command.command, 'dockwise.openLesson');
    assert.equal(learn.command.arguments?.[0], 'dockwise.todoApp#security');
    const opened = await vscode.commands.executeCommand<boolean>(learn.command.command, ...(learn.command.arguments ?? []));
    assert.equal(opened, true, 'the lesson was found and opened');
    // The Welcome page names its tab "Welcome" or "Walkthrough: <extension>", depending on how it was first opened.
    await waitFor('the walkthrough tab', () => (/Welcome|Walkthrough/.test(vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '') ? true : undefined));
    await screenshot('learn-why-lesson');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('shows on hover what an instruction does, whether it makes a layer, and what busts its cache', async () => {
    const editor = await openFile('hover/Dockerfile', 'FROM debian:bookworm-slim\nRUN apt-get update\nENV A=1\n');
    const run = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(1, 1));
    assert.match(hoverText(run), /Adds a filesystem layer/);
    assert.match(hoverText(run), /command text/);
    const env = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(2, 1));
    assert.match(hoverText(env), /no filesystem layer/);
  });

  it('shows the size each line added to an image built from the open Dockerfile', async () => {
    const dockerfile = `FROM ${SEED.busyboxImage}\nRUN mkdir -p /data && head -c 3000000 /dev/zero > /data/blob\nRUN echo small > /data/small.txt\nWORKDIR /data\nCMD ["sh"]\n`;
    await build(docker, 'dockwise-test/lenses:1.0', dockerfile);
    const editor = await openFile('lenses/Dockerfile', dockerfile);
    const lenses = await waitFor('layer-size lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
      return l.length >= 3 ? l : undefined;
    });
    const byLine = new Map(lenses.map((l) => [l.range.start.line, l.command?.title ?? '']));
    assert.match(byLine.get(1) ?? '', /\+3\.0 MB — the largest layer in dockwise-test\/lenses:1\.0/);
    assert.match(byLine.get(2) ?? '', /^\+\d+ B in dockwise-test\/lenses:1\.0/);
    assert.match(byLine.get(4) ?? '', /no layer/);
    await screenshot('layer-size-lenses');
  });

  it('stays silent on no-root-user and require-healthcheck when the base image settles them, and says why', async () => {
    await build(docker, 'dockwise-test/nonroot:1.0', `FROM ${SEED.busyboxImage}\nHEALTHCHECK CMD ["true"]\nUSER 1000:1000\n`);
    const editor = await openFile('nonroot/Dockerfile', 'FROM dockwise-test/nonroot:1.0\nEXPOSE 8080\nCMD ["sleep", "60"]\n');
    const uri = editor.document.uri;
    await waitFor('base-image facts to silence the findings', () =>
      dockwiseDiagnostics(uri).some((d) => ['no-root-user', 'require-healthcheck'].includes(codeOf(d))) ? undefined : true,
    );
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 6));
    // Daemon strings arrive escaped (markdown); compare them as the hover renders them.
    const text = hoverText(hovers).replace(/\\([!-/:-@[-`{-~])/g, '$1');
    assert.match(text, /no-root-user\*\* stayed silent: dockwise-test\/nonroot:1\.0 already runs as user "1000:1000"/);
    assert.match(text, /require-healthcheck\*\* stayed silent/);
    assert.match(text, /User \| 1000:1000/, 'the image hover shows what the daemon knows');
  });
});
