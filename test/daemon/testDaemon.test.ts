import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { startTestDaemon, stopDaemonAt, TestDaemon } from '../support/testDaemon';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('test daemon', function () {
  this.timeout(90_000);
  let d: TestDaemon;

  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  it('answers on a short unix socket under its own root', async () => {
    assert.match(d.host, /^unix:\/\/\/tmp\/dw-/);
    assert.ok(d.socket.length < 100);
    assert.equal(String(await d.docker.ping()), 'OK');
  });

  it('seeds a busybox image and a two-layer image that shares its base layer', async () => {
    const busybox = await d.docker.getImage(d.seeded.busyboxImage).inspect();
    const layered = await d.docker.getImage(d.seeded.layeredImage).inspect();
    assert.equal(busybox.RootFS.Layers?.length, 1);
    assert.equal(layered.RootFS.Layers?.length, 2);
    assert.equal(layered.RootFS.Layers?.[0], busybox.RootFS.Layers?.[0]);
    const history = await d.docker.getImage(d.seeded.layeredImage).history();
    assert.ok(history.some((h: { CreatedBy: string }) => h.CreatedBy.includes('ENV GREETING=hello')));
    assert.ok(history.some((h: { CreatedBy: string; Size: number }) => h.CreatedBy.startsWith('RUN') && h.Size >= 65536));
  });

  it('seeds a volume, an internal bridge network, a running and an exited container', async () => {
    const vol = await d.docker.getVolume(d.seeded.volume).inspect();
    assert.equal(vol.Name, d.seeded.volume);
    const net = await d.docker.getNetwork(d.seeded.network).inspect();
    assert.equal(net.Driver, 'bridge');
    assert.equal(net.Internal, true);
    const running = await d.docker.getContainer(d.seeded.runningContainer).inspect();
    assert.equal(running.State.Running, true);
    const exited = await d.docker.getContainer(d.seeded.exitedContainer).inspect();
    assert.equal(exited.State.Status, 'exited');
    assert.equal(exited.State.ExitCode, 0);
  });

  it('restarts on the same root, keeping its data and bringing the running container back', async () => {
    const before = d.pid;
    await d.restart();
    assert.notEqual(d.pid, before);
    assert.equal(alive(before), false);
    assert.equal(String(await d.docker.ping()), 'OK');
    await d.docker.getImage(d.seeded.layeredImage).inspect();
    const deadline = Date.now() + 15_000;
    let running = false;
    while (!running && Date.now() < deadline) {
      running = (await d.docker.getContainer(d.seeded.runningContainer).inspect()).State.Running;
      if (!running) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(running, 'the unless-stopped container runs again after the daemon restarts');
  });
});

describe('test daemon lifecycle', function () {
  this.timeout(90_000);

  it('stop() kills the daemon by its pid, removes its bridge and deletes its root', async () => {
    const d = await startTestDaemon({ seed: false });
    const net = await d.docker.createNetwork({ Name: 'lifecycle-net', Driver: 'bridge', Internal: true });
    const bridge = `br-${net.id.slice(0, 12)}`;
    assert.match(execFileSync('ip', ['link', 'show'], { encoding: 'utf8' }), new RegExp(bridge));
    const pid = d.pid;
    await d.stop();
    assert.equal(alive(pid), false);
    assert.equal(fs.existsSync(d.root), false);
    assert.doesNotMatch(execFileSync('ip', ['link', 'show'], { encoding: 'utf8' }), new RegExp(bridge));
  });

  it('the CLI starts a daemon that outlives it and stops it by root', async () => {
    const script = path.join(__dirname, '..', 'support', 'testDaemon.ts');
    const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', script, 'start'], { encoding: 'utf8', timeout: 60_000 });
    const info = JSON.parse(out) as { host: string; pid: number; root: string };
    try {
      assert.ok(alive(info.pid));
      assert.equal(info.host, `unix://${info.root}/docker.sock`);
    } finally {
      execFileSync(process.execPath, ['-r', 'tsx/cjs', script, 'stop', info.root], { timeout: 60_000 });
    }
    assert.equal(alive(info.pid), false);
    assert.equal(fs.existsSync(info.root), false);
  });

  it('stopDaemonAt tolerates a root with no daemon', async () => {
    const root = fs.mkdtempSync('/tmp/dw-');
    await stopDaemonAt(root);
    assert.equal(fs.existsSync(root), false);
  });
});
