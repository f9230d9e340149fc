import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { attachTestDaemon, makeTar, SEED, TestDaemon } from '../../support/testDaemon';
import { activateExtension, screenshot, waitFor, workspaceRoot } from '../support';
import { SnapshotNode, snapshot, waitUp, widenSidebar } from './explorerSupport';

const DOCKERFILE = `FROM ${SEED.busyboxImage}
RUN mkdir -p /data && head -c 3000000 /dev/zero > /data/blob && echo one > /data/keep.txt
RUN rm /data/blob && echo two > /data/keep.txt && echo new > /data/new.txt
CMD ["sh"]
`;

const find = (nodes: SnapshotNode[] | undefined, label: string | RegExp) => (nodes ?? []).find((n) => (typeof label === 'string' ? n.label === label : label.test(n.label)));

describe('Docker explorer: what each layer holds', function () {
  this.timeout(180_000);
  let narrow: (() => Promise<void>) | undefined;
  let daemon: TestDaemon;
  let dockerfile: vscode.Uri;

  before(async () => {
    daemon = attachTestDaemon(process.env.DOCKWISE_TEST_DAEMON_ROOT!);
    await activateExtension();
    const stream = await daemon.docker.buildImage(makeTar([{ type: 'file', name: 'Dockerfile', content: Buffer.from(DOCKERFILE) }]) as unknown as NodeJS.ReadableStream, { t: 'dockwise-test/wasteful:1.0' });
    const output = await new Promise<{ error?: string }[]>((resolve, reject) => daemon.docker.modem.followProgress(stream, (err, res) => (err ? reject(err) : resolve(res))));
    assert.ok(!output.some((o) => o.error), JSON.stringify(output.filter((o) => o.error)));
    const file = path.join(workspaceRoot(), 'wasteful', 'Dockerfile');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, DOCKERFILE);
    dockerfile = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(dockerfile));
    await vscode.commands.executeCommand('dockwise.images.focus');
    await waitUp();
    narrow = await widenSidebar();
  });
  after(async () => {
    await narrow?.();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await daemon.docker.getImage('dockwise-test/wasteful:1.0').remove().catch(() => undefined);
  });

  it('lists the files a layer added, changed and deleted, read from the image archive', async () => {
    const layers = (await snapshot({ views: ['images'], under: ['dockwise-test/wasteful', '1.0'] })).views.images ?? [];
    const remove = find(layers, /^3\. RUN rm \/data\/blob/);
    assert.ok(remove, layers.map((l) => l.label).join(' | '));
    const files = (await snapshot({ views: ['images'], depth: 3, under: ['dockwise-test/wasteful', '1.0', remove.label] })).views.images ?? [];
    const data = find(files, 'data/');
    assert.ok(data, files.map((f) => f.label).join(' | '));
    assert.equal(data.description, '1 added · 1 changed · 1 deleted · 8 B');
    assert.deepEqual(
      data.children?.map((f) => `${f.label} ${f.description}`),
      ['blob deleted, hides 3.0 MB', 'keep.txt changed · 4 B', 'new.txt added · 4 B'],
    );
    assert.deepEqual(data.children?.map((f) => f.contextValue), ['dockwise.layerFile.deleted', 'dockwise.layerFile.changed', 'dockwise.layerFile.added']);

    const made = find(layers, /^2\. RUN mkdir -p \/data/)!;
    const madeFiles = (await snapshot({ views: ['images'], depth: 2, under: ['dockwise-test/wasteful', '1.0', made.label] })).views.images ?? [];
    assert.deepEqual(find(madeFiles, 'data/')?.children?.map((f) => `${f.label} ${f.description}`), ['blob added · 3.0 MB', 'keep.txt added · 4 B']);

    await vscode.commands.executeCommand('dockwise.explorer.reveal', 'images', ['dockwise-test/wasteful', '1.0', remove.label, 'data/', 'new.txt'], { expand: false });
    await screenshot('explorer-layer-files');
  });

  it('shows the space wasted by files a later layer deletes or overwrites, beside dive\'s figure', async () => {
    // Expanding the row reads the archive (if no layer was expanded before); the row then tells what it found.
    await snapshot({ views: ['images'], depth: 2, under: ['dockwise-test/wasteful', '1.0'] });
    const children = (await snapshot({ views: ['images'], depth: 2, under: ['dockwise-test/wasteful', '1.0'] })).views.images ?? [];
    const wasted = find(children, 'Wasted space')!;
    assert.equal(wasted.description, '3.0 MB in 2 files');
    assert.match(wasted.tooltip ?? '', /^3\.0 MB of 5\.0 MB stored in the layers is hidden by a later layer/);
    assert.match(wasted.tooltip ?? '', /dive's measure: 3\.0 MB potential wasted space \(every copy of 2 paths found in more than one layer\)/);
    assert.deepEqual(wasted.children?.map((w) => `${w.label} ${w.description}`), ['/data/blob 3.0 MB deleted by layer 3', '/data/keep.txt 4 B overwritten by layer 3']);
    const image = find((await snapshot({ views: ['images'], depth: 2 })).views.images, 'dockwise-test/wasteful')?.children?.[0];
    assert.match(image?.description ?? '', /· 3\.0 MB wasted$/, 'the image says it too');
    await vscode.commands.executeCommand('dockwise.explorer.reveal', 'images', ['dockwise-test/wasteful', '1.0', 'Wasted space']);
    await screenshot('explorer-wasted-space');
  });

  it('links each layer to the line of the open Dockerfile that made it', async () => {
    const layers = (await snapshot({ views: ['images'], under: ['dockwise-test/wasteful', '1.0'] })).views.images ?? [];
    const remove = find(layers, /^3\. RUN rm \/data\/blob/)!;
    assert.match(remove.description ?? '', / · Dockerfile:3$/);
    assert.match(remove.contextValue ?? '', /\.source$/);
    assert.match(find(layers, /^4\. CMD/)?.description ?? '', /Dockerfile:4$/);
    assert.doesNotMatch(find(layers, /^1\. /)?.description ?? '', /Dockerfile/, 'the base image\'s layer came from elsewhere');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(dockerfile), { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    const node = await vscode.commands.executeCommand('dockwise.explorer.reveal', 'images', ['dockwise-test/wasteful', '1.0', remove.label], { expand: false });
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('dockwise.explorer.layer.openSource', node);
    assert.equal(editor.document.uri.fsPath, dockerfile.fsPath);
    assert.equal(editor.selection.active.line, 2);
    await waitFor('the Dockerfile in front', () => (vscode.window.activeTextEditor?.document.uri.fsPath === dockerfile.fsPath ? true : undefined));
    await screenshot('explorer-layer-source');
  });
});
