import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { attachTestDaemon, SEED, TestDaemon } from '../../support/testDaemon';
import { activateExtension, screenshot, waitFor } from '../support';
import { widenSidebar } from './explorerSupport';

interface SnapshotNode {
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  children?: SnapshotNode[];
}
interface Snapshot {
  state: 'connecting' | 'up' | 'down';
  endpoint: string;
  version?: string;
  views: Partial<Record<'images' | 'containers' | 'volumes' | 'networks', SnapshotNode[]>>;
}

const snapshot = (opts: { depth?: number; views?: string[] } = {}) => vscode.commands.executeCommand<Snapshot>('dockwise.explorer.snapshot', opts);
const labels = (nodes: SnapshotNode[] | undefined) => (nodes ?? []).map((n) => n.label);

describe('Docker explorer', function () {
  this.timeout(120_000);
  let daemon: TestDaemon;

  before(async () => {
    const root = process.env.DOCKWISE_TEST_DAEMON_ROOT;
    assert.ok(root, 'the runner passes the test daemon root in DOCKWISE_TEST_DAEMON_ROOT');
    daemon = attachTestDaemon(root);
    await activateExtension();
    await vscode.commands.executeCommand('dockwise.explorer.focus');
    await waitFor('the explorer to connect', async () => ((await snapshot({ views: [] })).state === 'up' ? true : undefined), 20_000);
  });

  it('shows which daemon it talks to', async () => {
    const s = await snapshot({ views: [] });
    assert.match(s.endpoint, /^DOCKER_HOST \(unix:\/\/\/tmp\/dw-/);
    assert.match(s.version ?? '', /^20\.10/);
  });

  it('lists the seeded images, and the layered image layers with instructions and sizes', async () => {
    const s = await snapshot({ depth: 3, views: ['images'] });
    const images = s.views.images ?? [];
    assert.ok(labels(images).includes('dockwise-test/busybox'), `repositories: ${labels(images).join(', ')}`);
    const layered = images.find((n) => n.label === 'dockwise-test/layered');
    assert.ok(layered, 'the layered repository is listed');
    const tag = layered.children?.find((n) => n.label === '1.0');
    assert.ok(tag, 'its 1.0 tag is listed');
    const [wasted, ...layers] = tag.children ?? [];
    assert.equal(wasted.label, 'Wasted space', 'the first row measures wasted space on demand');
    assert.equal(wasted.description, 'expand to read the layers');
    assert.deepEqual(
      layers.map((l) => l.label.replace(/^\d+\. (\S+).*/, '$1')),
      ['ADD', 'ENV', 'WORKDIR', 'RUN', 'CMD'],
      'layers base first, one per step',
    );
    assert.match(layers[0].description ?? '', /^2\.0 MB · shared with dockwise-test\/busybox:1\.0$/);
    assert.equal(layers[1].description, 'empty (metadata only)');
    assert.match(layers[3].label, /^4\. RUN mkdir -p \/app && echo "hello from a layer"/);
    assert.match(layers[3].description ?? '', /^6\d\.\d kB$|^6\d kB$/);
    assert.match(layers[3].tooltip ?? '', /head -c 65536 \/dev\/zero/);

    await vscode.commands.executeCommand('dockwise.explorer.reveal', 'images', ['dockwise-test/layered', '1.0']);
    // Wide enough to read the layers' instructions in the README's picture.
    const narrow = await widenSidebar();
    try {
      await screenshot('explorer-image-layers');
    } finally {
      await narrow();
    }
  });

  it('lists the volume, the network and both containers, running first', async () => {
    const s = await snapshot({ views: ['containers', 'volumes', 'networks'] });
    const containers = labels(s.views.containers);
    assert.ok(containers.indexOf(SEED.runningContainer) >= 0 && containers.indexOf(SEED.runningContainer) < containers.indexOf(SEED.exitedContainer), containers.join(', '));
    const volume = s.views.volumes?.find((v) => v.label === SEED.volume);
    assert.equal(volume?.description, `local · used by 1`);
    const network = s.views.networks?.find((n) => n.label === SEED.network);
    assert.match(network?.description ?? '', /^bridge · local · internal · 0 containers$/);
  });

  it('shows a new volume and a removed container through daemon events within a second', async () => {
    await snapshot({ views: ['containers', 'volumes'] });
    let t0 = Date.now();
    await daemon.docker.createVolume({ Name: 'explorer-live-volume' });
    await waitFor('the new volume in the tree', async () => (labels((await snapshot({ views: ['volumes'] })).views.volumes).includes('explorer-live-volume') ? true : undefined), 1000);
    const volumeMs = Date.now() - t0;

    const c = await daemon.docker.createContainer({ name: 'explorer-doomed', Image: SEED.busyboxImage, Cmd: ['true'], HostConfig: { NetworkMode: 'none' } });
    await waitFor('the new container in the tree', async () => (labels((await snapshot({ views: ['containers'] })).views.containers).includes('explorer-doomed') ? true : undefined), 1000);
    t0 = Date.now();
    await c.remove({ force: true });
    await waitFor('the removed container gone from the tree', async () => (labels((await snapshot({ views: ['containers'] })).views.containers).includes('explorer-doomed') ? undefined : true), 1000);
    const containerMs = Date.now() - t0;
    console.log(`explorer: volume shown after ${volumeMs} ms, removed container gone after ${containerMs} ms`);
    await daemon.docker.getVolume('explorer-live-volume').remove();
  });

  it('inspects, copies IDs, creates a volume and opens a shell from commands', async () => {
    const info = await daemon.docker.getContainer(SEED.runningContainer).inspect();
    const ref = { kind: 'container', id: info.Id, label: SEED.runningContainer };
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('dockwise.explorer.inspect', ref);
    assert.equal(editor.document.uri.scheme, 'dockwise-inspect');
    assert.equal(editor.document.languageId, 'json');
    const inspected = JSON.parse(editor.document.getText()) as { Id: string; State: { Running: boolean } };
    assert.equal(inspected.Id, info.Id);
    assert.equal(inspected.State.Running, true);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    const copied = await vscode.commands.executeCommand<string>('dockwise.explorer.copyId', ref);
    assert.equal(copied, info.Id);
    assert.equal(await vscode.env.clipboard.readText(), info.Id);

    assert.equal(await vscode.commands.executeCommand('dockwise.explorer.volume.create', 'explorer-made'), 'explorer-made');
    await waitFor('the created volume in the tree', async () => (labels((await snapshot({ views: ['volumes'] })).views.volumes).includes('explorer-made') ? true : undefined), 2000);
    await daemon.docker.getVolume('explorer-made').remove();

    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('dockwise.explorer.container.shell', ref);
    assert.equal(terminal.name, `sh: ${SEED.runningContainer}`);
    const opts = terminal.creationOptions as vscode.TerminalOptions;
    assert.equal(opts.shellPath, 'docker');
    assert.deepEqual(opts.shellArgs, ['exec', '-it', info.Id, 'sh']);
    assert.equal(opts.env?.DOCKER_HOST, daemon.host);
    terminal.dispose();
    await waitFor('the shell terminal closed', () => (vscode.window.terminals.includes(terminal) ? undefined : true), 5000);
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('turns into its welcome state when the daemon stops, and comes back when it restarts', async () => {
    await daemon.stopProcess();
    try {
      await waitFor('the explorer to notice the daemon is gone', async () => ((await snapshot({ views: [] })).state === 'down' ? true : undefined), 10_000);
      const s = await snapshot();
      assert.deepEqual(s.views.images, [], 'an empty tree shows the welcome content');
      assert.deepEqual(s.views.containers, []);
      await vscode.commands.executeCommand('dockwise.explorer.focus');
      await screenshot('explorer-welcome-no-daemon');
    } finally {
      await daemon.startProcess();
    }
    await waitFor('the explorer to reconnect', async () => ((await snapshot({ views: [] })).state === 'up' ? true : undefined), 20_000);
    const back = await snapshot({ views: ['images', 'containers'] });
    assert.ok(labels(back.views.images).includes('dockwise-test/layered'));
    assert.ok(labels(back.views.containers).includes(SEED.runningContainer));
    await screenshot('explorer-after-restart');
  });
});
