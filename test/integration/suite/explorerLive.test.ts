import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { attachTestDaemon, SEED, TestDaemon } from '../../support/testDaemon';
import { activateExtension, screenshot, waitFor } from '../support';
import { menuFor, rendered, snapshot, waitRendered, waitUp, widenSidebar } from './explorerSupport';

const LOOP = ['/bin/sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];

describe('Docker explorer: every view follows the daemon', function () {
  this.timeout(120_000);
  let narrow: (() => Promise<void>) | undefined;
  let daemon: TestDaemon;
  const cleanup: (() => Promise<unknown>)[] = [];

  before(async () => {
    daemon = attachTestDaemon(process.env.DOCKWISE_TEST_DAEMON_ROOT!);
    await activateExtension();
    await vscode.commands.executeCommand('dockwise.explorer.focus');
    await waitUp();
    // Every view open, so VS Code draws them all.
    for (const view of ['dockwise.containers', 'dockwise.volumes', 'dockwise.networks']) await vscode.commands.executeCommand(`${view}.focus`);
    narrow = await widenSidebar();
  });
  after(async () => {
    await narrow?.();
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
  });

  it('redraws a volume and a network in place when a container starts using them, connects and goes, without Refresh', async () => {
    const docker = daemon.docker;
    await docker.createVolume({ Name: 'live-vol' });
    cleanup.push(() => docker.getVolume('live-vol').remove());
    const net = await docker.createNetwork({ Name: 'live-net', Driver: 'bridge', Internal: true });
    const net2 = await docker.createNetwork({ Name: 'live-net2', Driver: 'bridge', Internal: true });
    cleanup.push(() => net.remove(), () => net2.remove());
    const volKey = 'volume:live-vol';
    const net2Key = `network:${net2.id}`;
    await waitRendered('volumes', volKey, (i) => i.description === 'local · dangling', 'the new volume drawn as dangling', 5000);
    await waitRendered('networks', net2Key, (i) => /0 containers$/.test(i.description ?? ''), 'the second network drawn with no container', 5000);

    // From here on nothing reads the trees but VS Code: what is checked is what the views draw.
    const c = await docker.createContainer({ name: 'live-user', Image: SEED.busyboxImage, Cmd: LOOP, StopTimeout: 1, HostConfig: { NetworkMode: 'live-net', Mounts: [{ Type: 'volume', Source: 'live-vol', Target: '/data' }] } });
    cleanup.push(() => c.remove({ force: true }));
    await c.start();
    let t0 = Date.now();
    await waitRendered('volumes', volKey, (i) => i.description === 'local · used by 1' && i.contextValue === 'dockwise.volume', 'the volume drawn as used', 2000);
    const volumeMs = Date.now() - t0;
    await waitRendered('networks', `network:${net.id}`, (i) => /1 container$/.test(i.description ?? ''), 'live-net drawn with its container', 2000);

    t0 = Date.now();
    await net2.connect({ Container: c.id });
    await waitRendered('networks', net2Key, (i) => /1 container$/.test(i.description ?? ''), 'live-net2 drawn with the connected container', 2000);
    const networkMs = Date.now() - t0;
    await screenshot('explorer-live-volumes-networks');

    await net2.disconnect({ Container: c.id });
    await waitRendered('networks', net2Key, (i) => /0 containers$/.test(i.description ?? ''), 'live-net2 back to no container', 2000);
    await c.remove({ force: true });
    await waitRendered('volumes', volKey, (i) => i.description === 'local · dangling', 'the volume dangling again after the container went', 2000);
    await waitRendered('networks', `network:${net.id}`, (i) => /0 containers$/.test(i.description ?? ''), 'live-net empty after the container went', 2000);
    console.log(`      volume redrawn ${volumeMs} ms after start, network ${networkMs} ms after connect`);
  });

  it('offers Unpause, not Start, on a paused container, and pauses and unpauses it', async () => {
    const c = await daemon.docker.createContainer({ name: 'live-pausable', Image: SEED.busyboxImage, Cmd: LOOP, StopTimeout: 1, HostConfig: { NetworkMode: 'none' } });
    cleanup.push(() => c.remove({ force: true }));
    await c.start();
    const key = `container:${c.id}`;
    await waitRendered('containers', key, (i) => i.contextValue === 'dockwise.container.running', 'the container drawn running', 5000);
    const ref = { kind: 'container', id: c.id, label: 'live-pausable' };
    assert.ok(menuFor('dockwise.container.running', 'dockwise.containers').includes('dockwise.explorer.container.pause'));

    assert.equal(await vscode.commands.executeCommand('dockwise.explorer.container.pause', ref), true);
    const paused = await waitRendered('containers', key, (i) => i.contextValue === 'dockwise.container.paused', 'the container drawn paused');
    assert.match(paused.description ?? '', /Paused/);
    const menu = menuFor('dockwise.container.paused', 'dockwise.containers');
    assert.ok(menu.includes('dockwise.explorer.container.unpause'), menu.join(', '));
    assert.ok(!menu.includes('dockwise.explorer.container.start'), 'a paused container is not offered Start');
    assert.ok(!menu.includes('dockwise.explorer.container.pause'));
    await vscode.commands.executeCommand('dockwise.explorer.reveal', 'containers', ['live-pausable'], { expand: false });
    await screenshot('explorer-paused-container');

    // Start on a paused container (from a script or a stale menu) explains instead of failing.
    assert.equal(await vscode.commands.executeCommand('dockwise.explorer.container.start', ref), false);
    assert.equal((await c.inspect()).State.Paused, true);

    assert.equal(await vscode.commands.executeCommand('dockwise.explorer.container.unpause', ref), true);
    await waitRendered('containers', key, (i) => i.contextValue === 'dockwise.container.running', 'the container drawn running again');
    assert.equal((await c.inspect()).State.Running, true);
  });

  it('draws every view as a fresh read of the daemon would after a burst of changes', async () => {
    const docker = daemon.docker;
    const made = await Promise.all(
      Array.from({ length: 4 }, (_, i) => docker.createContainer({ name: `live-burst-${i}`, Image: SEED.busyboxImage, Cmd: LOOP, StopTimeout: 1, HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: `live-burst-vol-${i % 2}`, Target: '/d' }] } })),
    );
    cleanup.push(...made.map((c) => () => c.remove({ force: true })), () => docker.getVolume('live-burst-vol-0').remove(), () => docker.getVolume('live-burst-vol-1').remove());
    await Promise.all(made.map((c) => c.start()));
    await Promise.all(made.slice(0, 2).map((c) => c.stop({ t: 0 })));
    // Then compare what is drawn with a fresh read.
    await waitFor(
      'the drawn volumes to match a fresh read',
      async () => {
        const fresh = (await snapshot({ views: ['volumes'] })).views.volumes ?? [];
        const drawn = await rendered('volumes');
        return fresh.filter((v) => v.label.startsWith('live-burst-vol')).every((v) => drawn[`volume:${v.label}`]?.description === v.description) && fresh.some((v) => v.label.startsWith('live-burst-vol')) ? true : undefined;
      },
      3000,
    );
    const volumes = (await snapshot({ views: ['volumes'] })).views.volumes ?? [];
    assert.deepEqual(volumes.filter((v) => v.label.startsWith('live-burst-vol')).map((v) => v.description), ['local · used by 2', 'local · used by 2']);
  });
});
