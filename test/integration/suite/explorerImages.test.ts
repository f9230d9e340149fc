import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as vscode from 'vscode';
import { attachTestDaemon, imageArchive, loadArchive, makeTar, SEED, TestDaemon } from '../../support/testDaemon';
import { activateExtension, screenshot, waitFor } from '../support';
import { menuFor, Registry, snapshot, startRegistry, toastShown, waitRendered, waitUp, widenSidebar } from './explorerSupport';

interface Asked {
  message: string;
  detail: string;
  buttons: string[];
}

/** Fetches a page the daemon publishes on localhost: from this machine, through the daemon's network namespace. */
function fetchText(url: string, daemon: TestDaemon): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url.replace('localhost', daemon.network?.publishedAddress ?? '127.0.0.1'), (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('Docker explorer: images, containers and cleaning up', function () {
  this.timeout(180_000);
  let narrow: (() => Promise<void>) | undefined;
  let daemon: TestDaemon;
  let registry: Registry;
  const cleanup: (() => Promise<unknown>)[] = [];

  before(async () => {
    daemon = attachTestDaemon(process.env.DOCKWISE_TEST_DAEMON_ROOT!);
    // The daemon runs in a network namespace of its own: it reaches this machine at the link's host address.
    registry = await startRegistry(daemon.network?.hostAddress);
    await activateExtension();
    await vscode.commands.executeCommand('dockwise.explorer.focus');
    await waitUp();
    narrow = await widenSidebar();
  });
  after(async () => {
    await narrow?.();
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    await registry?.close();
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('runs an image with the ports it exposes, opens it in the browser, follows its stats and copies its address and ports', async () => {
    const docker = daemon.docker;
    // An image that exposes 8080 and serves a page on it.
    const base = docker.getContainer(SEED.runningContainer);
    const commit = (await base.commit({
      repo: 'dockwise-test/web',
      tag: '1.0',
      changes: ['EXPOSE 8080', 'CMD ["/bin/sh", "-c", "echo hello from dockwise > /tmp/index.html; exec /bin/busybox httpd -f -p 8080 -h /tmp"]'],
    } as never)) as unknown as { Id: string };
    cleanup.push(() => docker.getImage(commit.Id).remove({ force: true }));
    // The test daemon has no default bridge: a network of its own that can publish ports.
    const net = await docker.createNetwork({ Name: 'dockwise-web-net', Driver: 'bridge' });
    cleanup.push(() => net.remove());
    assert.ok(menuFor('dockwise.image', 'dockwise.images').includes('dockwise.explorer.image.run'));

    // The image as its row in the Images view hands it to the command.
    await waitFor('the image row', async () => ((await snapshot({ views: ['images'], under: ['dockwise-test/web', '1.0'] })).views.images?.length ? true : undefined), 5000);
    const image = await vscode.commands.executeCommand('dockwise.explorer.reveal', 'images', ['dockwise-test/web', '1.0'], { expand: false });
    assert.ok(image, 'the image row found');
    const run = await vscode.commands.executeCommand<{ id: string; name: string; ports: { hostPort: number; containerPort: number }[] }>('dockwise.explorer.image.run', image, { ports: ['8080'], name: 'dockwise-web', network: 'dockwise-web-net' });
    assert.ok(run, 'the container started');
    cleanup.unshift(() => docker.getContainer(run.id).remove({ force: true }));
    assert.equal(run.ports.length, 1);
    assert.equal(run.ports[0].containerPort, 8080);
    assert.equal((await docker.getContainer(run.id).inspect()).Config.Image, 'dockwise-test/web:1.0', 'run by its tag, as docker run would be');
    const port = run.ports[0].hostPort;
    assert.ok(port > 0);
    const ref = { kind: 'container', id: run.id, label: 'dockwise-web' };

    const url = await vscode.commands.executeCommand<string>('dockwise.explorer.container.openInBrowser', ref);
    assert.equal(url, `http://localhost:${port}/`);
    assert.match(await waitFor('the page', () => fetchText(url, daemon).catch(() => undefined), 10_000), /hello from dockwise/);

    const key = `container:${run.id}`;
    await waitRendered('containers', key, (i) => i.contextValue === 'dockwise.container.running.published', 'the container drawn running with a published port', 5000);
    assert.ok(menuFor('dockwise.container.running.published', 'dockwise.containers').includes('dockwise.explorer.container.openInBrowser'));
    await vscode.commands.executeCommand('dockwise.containers.focus');
    await vscode.commands.executeCommand('dockwise.explorer.reveal', 'containers', ['dockwise-web'], { expand: true });
    const stats = await waitRendered('containers', `${key}:stats`, (i) => /^CPU \d+\.\d %$/.test(i.label) && /^memory \d/.test(i.description ?? ''), 'live stats drawn', 10_000);
    assert.match(stats.description ?? '', /^memory [\d.]+ (B|kB|MB) of [\d.]+ (MB|GB|TB) \([\d.]+ %\)$/);
    const portRows = await waitFor('the port row', async () => {
      const rows = (await snapshot({ views: ['containers'], under: ['dockwise-web'] })).views.containers?.filter((n) => n.contextValue?.startsWith('dockwise.port'));
      return rows?.length ? rows : undefined;
    }, 5000);
    // One row, though the daemon reports the port on 0.0.0.0 and on ::.
    assert.deepEqual(portRows.map((r) => r.label), [`localhost:${port} → 8080/tcp`]);
    await screenshot('explorer-run-ports-stats');
    assert.deepEqual((await snapshot({ views: [] })).followingStats, [run.id]);
    await vscode.commands.executeCommand('workbench.actions.treeView.dockwise.containers.collapseAll');
    await waitFor('stats no longer followed once collapsed', async () => ((await snapshot({ views: [] })).followingStats?.length ? undefined : true), 5000);

    const ip = await vscode.commands.executeCommand<string>('dockwise.explorer.copyAddress', ref);
    assert.equal(ip, (await docker.getContainer(run.id).inspect()).NetworkSettings.Networks['dockwise-web-net'].IPAddress);
    assert.equal(await vscode.env.clipboard.readText(), ip);
    const ports = await vscode.commands.executeCommand<string>('dockwise.explorer.container.copyPorts', ref);
    assert.equal(ports, `localhost:${port} -> 8080/tcp`);
    assert.equal(await vscode.env.clipboard.readText(), ports);
  });

  it('tags an image, pushes it to a registry and pulls it back, in a terminal', async () => {
    const busybox = await daemon.docker.getImage(SEED.busyboxImage).inspect();
    const target = `${registry.host}/dockwise/busybox:pushed`;
    assert.equal(await vscode.commands.executeCommand('dockwise.explorer.image.tag', { kind: 'image', id: busybox.Id, label: SEED.busyboxImage }, { ref: target }), target);
    cleanup.push(() => daemon.docker.getImage(target).remove());
    await waitFor('the new tag in the view', async () => ((await snapshot({ views: ['images'] })).views.images?.some((n) => n.label === `${registry.host}/dockwise/busybox`) ? true : undefined), 5000);

    assert.equal(await vscode.commands.executeCommand('dockwise.explorer.image.push', { kind: 'image', id: busybox.Id, label: target }), 0, 'docker push exits 0');
    assert.ok(registry.manifests.has('dockwise/busybox:pushed'), 'the registry holds the pushed manifest');

    await daemon.docker.getImage(target).remove();
    await waitFor('the tag gone from the view', async () => ((await snapshot({ views: ['images'] })).views.images?.some((n) => n.label === `${registry.host}/dockwise/busybox`) ? undefined : true), 5000);
    assert.equal(await vscode.commands.executeCommand('dockwise.explorer.image.pull', undefined, { ref: target }), 0, 'docker pull exits 0');
    assert.equal((await daemon.docker.getImage(target).inspect()).Id, busybox.Id, 'the same image came back');
    await screenshot('explorer-push-pull');
    for (const t of vscode.window.terminals) t.dispose();
  });

  it('explains what depends on an image before removing it: other tags, containers', async () => {
    const docker = daemon.docker;
    const layered = await docker.getImage(SEED.layeredImage).inspect();
    await docker.getImage(SEED.layeredImage).tag({ repo: 'dockwise-test/layered', tag: 'extra' });
    const tagOnly = await vscode.commands.executeCommand<{ removed: boolean; asked: Asked }>('dockwise.explorer.image.remove', { kind: 'image', id: layered.Id, label: 'dockwise-test/layered:extra' }, { answer: 'Remove Tag' });
    assert.equal(tagOnly.asked.message, 'Remove tag dockwise-test/layered:extra?');
    assert.match(tagOnly.asked.detail, /^Only the tag dockwise-test\/layered:extra goes: the image stays under dockwise-test\/layered:1\.0\./);
    assert.equal(tagOnly.removed, true);
    assert.equal((await docker.getImage(SEED.layeredImage).inspect()).Id, layered.Id, 'the image stays');

    const commit = (await docker.getContainer(SEED.runningContainer).commit({ repo: 'dockwise-test/committed', tag: '1.0' } as never)) as unknown as { Id: string };
    cleanup.push(() => docker.getImage(commit.Id).remove({ force: true }));
    const user = await docker.createContainer({ name: 'uses-committed', Image: 'dockwise-test/committed:1.0', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } });
    cleanup.push(() => user.remove({ force: true }));
    const image = { kind: 'image', id: commit.Id, label: 'dockwise-test/committed:1.0' };
    const cancelled = await vscode.commands.executeCommand<{ removed: boolean; asked: Asked }>('dockwise.explorer.image.remove', image, { answer: 'Cancel' });
    assert.equal(cancelled.removed, false);
    assert.equal(cancelled.asked.message, 'Remove image dockwise-test/committed:1.0?');
    assert.match(cancelled.asked.detail, /Containers created from it: uses-committed \(created\)\. Docker will not remove an image a container uses/);
    assert.deepEqual(cancelled.asked.buttons, ['Remove 1 Container and the Image']);
    const done = await vscode.commands.executeCommand<{ removed: boolean; containersRemoved: string[] }>('dockwise.explorer.image.remove', image, { answer: 'Remove 1 Container and the Image' });
    assert.equal(done.removed, true);
    assert.deepEqual(done.containersRemoved, ['uses-committed']);
    await assert.rejects(docker.getImage(commit.Id).inspect());
    await assert.rejects(user.inspect());
    await toastShown(/Removed dockwise-test\/committed:1\.0 and uses-committed: \d+ layers? and config deleted\./);
    await screenshot('explorer-remove-image-dependents');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('prunes every unused volume, named and anonymous, and says so', async () => {
    const docker = daemon.docker;
    await docker.createVolume({ Name: 'prune-named' });
    const anonymous = (await docker.createVolume({})) as unknown as { name: string };
    const result = await vscode.commands.executeCommand<{ asked: Asked; summary: string; removed: string[] }>('dockwise.explorer.volumes.prune', { answer: 'Prune' });
    assert.equal(result.asked.message, 'Prune all unused volumes?');
    assert.match(result.asked.detail, /^Every volume no container uses, named or anonymous, is deleted with its data\./);
    assert.ok(result.removed.includes('prune-named'), result.removed.join(', '));
    assert.ok(result.removed.includes(anonymous.name));
    assert.ok(!result.removed.includes(SEED.volume), 'a volume a container uses stays');
    assert.match(result.summary, /^Pruned \d+ volumes?, freeing /);
    await toastShown(result.summary);
    await screenshot('explorer-volume-prune');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('says what a system prune removes and how much it frees, then does exactly that', async () => {
    const docker = daemon.docker;
    const exited = await docker.createContainer({ name: 'prune-me', Image: SEED.busyboxImage, Cmd: ['/bin/sh', '-c', 'head -c 200000 /dev/zero > /junk'], HostConfig: { NetworkMode: 'none' } });
    await exited.start();
    await exited.wait();
    await docker.createNetwork({ Name: 'prune-net', Driver: 'bridge', Internal: true });
    await loadArchive(docker, imageArchive({ repoTags: [], layers: [{ tar: makeTar([{ type: 'file', name: 'left-behind.bin', content: Buffer.alloc(300_000, 7) }]) }], history: [{ created_by: 'COPY left-behind.bin /' }] }));

    const asked = (await vscode.commands.executeCommand<{ asked: Asked }>('dockwise.explorer.system.prune', { answer: 'Cancel' })).asked;
    assert.match(asked.message, /^Remove \d+ stopped containers? \([\d.]+ kB\), \d+ unused networks?,? (and )?\d+ dangling images? \([\d.]+ (kB|MB)\)( and .*)?\?$/);
    assert.match(asked.detail, /^This frees about [\d.]+ (kB|MB)\./);
    assert.match(asked.detail, /Networks: .*prune-net/);
    assert.match(asked.detail, /Containers: .*prune-me/);
    assert.ok(await exited.inspect(), 'Cancel removes nothing');

    // The workbench drops toasts beyond 3 in 800 ms; a person answering the dialog takes longer than that.
    await new Promise((r) => setTimeout(r, 1000));
    const done = await vscode.commands.executeCommand<{ summary: string }>('dockwise.explorer.system.prune', { answer: 'Prune' });
    assert.match(done.summary, /^Removed \d+ containers?, \d+ networks?, \d+ image layers? and \d+ build cache records?, freeing [\d.]+ (kB|MB)\.$/);
    await assert.rejects(exited.inspect());
    assert.ok(!(await docker.listNetworks()).some((n) => n.Name === 'prune-net'));
    assert.equal((await docker.listImages({ filters: { dangling: ['true'] } })).length, 0);
    assert.ok(await docker.getContainer(SEED.runningContainer).inspect(), 'running containers stay');
    await toastShown(/Removed \d+ containers?, \d+ networks?/);
    await screenshot('explorer-system-prune');
    await vscode.commands.executeCommand('notifications.clearAll');

    // Put back what the seed made and the prune took, for the suites that follow.
    if (!(await docker.listNetworks()).some((n) => n.Name === SEED.network)) await docker.createNetwork({ Name: SEED.network, Driver: 'bridge', Internal: true, Labels: { 'dockwise.test': 'seed' } });
    const again = await docker.createContainer({ name: SEED.exitedContainer, Image: SEED.busyboxImage, Cmd: ['/bin/echo', 'hello from an exited container'], Labels: { 'dockwise.test': 'seed' }, HostConfig: { NetworkMode: 'none' } }).catch(() => undefined);
    if (again) {
      await again.start();
      await again.wait();
    }
  });
});
