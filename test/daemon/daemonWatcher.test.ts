import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { DaemonCallError, DockerApi } from '../../src/docker/api';
import { createDockerClient, parseHost } from '../../src/docker/connection';
import { DaemonState, DaemonWatcher, DockerEvent } from '../../src/docker/daemonWatcher';
import { ExplorerStore, StoreChange } from '../../src/docker/explorerStore';
import { startTestDaemon, TestDaemon } from '../support/testDaemon';

const endpointFor = (host: string) => ({ ...parseHost(host), source: 'env' as const, description: `DOCKER_HOST (${host})` });

function waitFor<T>(emitter: { on(e: string, l: (v: T) => void): unknown; off(e: string, l: (v: T) => void): unknown }, event: string, pred: (v: T) => boolean, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, on);
      reject(new Error(`no matching '${event}' within ${ms} ms`));
    }, ms);
    const on = (v: T) => {
      if (!pred(v)) return;
      clearTimeout(timer);
      emitter.off(event, on);
      resolve(v);
    };
    emitter.on(event, on);
  });
}

describe('daemon watcher and explorer store against a real daemon', function () {
  this.timeout(120_000);
  let d: TestDaemon;
  let watcher: DaemonWatcher;
  let store: ExplorerStore;

  before(async () => {
    d = await startTestDaemon();
    watcher = new DaemonWatcher({ endpoint: endpointFor(d.host), backoff: { initialMs: 100, maxMs: 1000 } });
    store = new ExplorerStore(watcher);
    watcher.start();
    await watcher.whenUp(10_000);
  });
  after(async () => {
    store?.dispose();
    watcher?.stop();
    await d?.stop();
  });

  it('is up with the daemon version', () => {
    assert.equal(watcher.state, 'up');
    assert.match(watcher.version?.Version ?? '', /^20\.10/);
    assert.match(watcher.endpoint.description, /^DOCKER_HOST/);
  });

  it('reports a new volume in the volumes list within a second, through events', async () => {
    const before = await store.volumes();
    assert.ok(before.some((v) => v.name === d.seeded.volume));
    const t0 = Date.now();
    const change = waitFor<StoreChange>(store, 'change', (c) => c.kind === 'volumes', 1000);
    await d.docker.createVolume({ Name: 'watched-volume' });
    const c = await change;
    assert.equal(c.structural, true);
    assert.ok((await store.volumes()).some((v) => v.name === 'watched-volume'));
    assert.ok(Date.now() - t0 < 1000);
  });

  it('reports a removed container, and the volume it used as changed but not moved', async () => {
    await store.containers();
    await store.volumes();
    const c = await d.docker.createContainer({ name: 'short-lived', Image: d.seeded.busyboxImage, Cmd: ['true'], HostConfig: { NetworkMode: 'none', Binds: ['watched-volume:/w'] } });
    await waitFor<StoreChange>(store, 'change', (ch) => ch.kind === 'containers', 2000);
    assert.deepEqual((await store.volumes()).find((v) => v.name === 'watched-volume')?.usedBy, ['short-lived']);
    const containersGone = waitFor<StoreChange>(store, 'change', (ch) => ch.kind === 'containers', 1000);
    const volumeFreed = waitFor<StoreChange>(store, 'change', (ch) => ch.kind === 'volumes', 1000);
    await c.remove({ force: true });
    assert.equal((await containersGone).structural, true);
    assert.deepEqual(await volumeFreed, { kind: 'volumes', structural: false, changed: ['watched-volume'] });
    assert.ok(!(await store.containers()).some((x) => x.name === 'short-lived'));
  });

  it('coalesces a burst of events into a few batches', async () => {
    const batches: DockerEvent[][] = [];
    const onBatch = (b: DockerEvent[]) => batches.push(b);
    watcher.on('batch', onBatch);
    try {
      await Promise.all(Array.from({ length: 20 }, (_, i) => d.docker.createVolume({ Name: `burst-${i}` })));
      const deadline = Date.now() + 2000;
      while (batches.flat().filter((e) => e.Type === 'volume' && e.Actor.ID.startsWith('burst-')).length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(batches.flat().filter((e) => e.Actor.ID.startsWith('burst-')).length, 20);
      assert.ok(batches.length <= 5, `${batches.length} batches for 20 events`);
    } finally {
      watcher.off('batch', onBatch);
    }
  });

  it('goes down when the daemon stops and comes back, with fresh lists, when it restarts', async () => {
    await store.containers();
    const states: DaemonState[] = [];
    const onState = (s: DaemonState) => states.push(s);
    watcher.on('state', onState);
    try {
      const back = waitFor<DaemonState>(watcher, 'state', (s) => s === 'up', 30_000);
      await d.restart();
      await back;
      assert.ok(states.includes('down'), `states seen: ${states.join(', ')}`);
      assert.equal(states[states.length - 1], 'up');
      const containers = await store.containers();
      assert.ok(containers.some((c) => c.name === d.seeded.runningContainer));
      // events flow again on the new stream
      const change = waitFor<StoreChange>(store, 'change', (c) => c.kind === 'volumes', 1000);
      await store.volumes();
      await d.docker.createVolume({ Name: 'after-restart' });
      await change;
    } finally {
      watcher.off('state', onState);
    }
  });
});

describe('daemon watcher against a hung or broken daemon', function () {
  this.timeout(20_000);
  let dir: string;
  let server: http.Server | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync('/tmp/dw-fake-');
  });
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function serve(handler: http.RequestListener): Promise<string> {
    const socket = path.join(dir, 'docker.sock');
    server = http.createServer(handler);
    await new Promise<void>((r) => server!.listen(socket, r));
    return `unix://${socket}`;
  }

  it('a call to a daemon that never answers fails after its time limit', async () => {
    const host = await serve(() => undefined);
    const api = new DockerApi(createDockerClient(endpointFor(host)), 300);
    const t0 = Date.now();
    await assert.rejects(api.get('/version'), (e: DaemonCallError) => e.timedOut && /within 300 ms/.test(e.message));
    assert.ok(Date.now() - t0 < 1500);
  });

  it('a call can be cancelled', async () => {
    const host = await serve(() => undefined);
    const api = new DockerApi(createDockerClient(endpointFor(host)), 10_000);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(api.get('/version', { signal: ac.signal }), (e: DaemonCallError) => e.cancelled);
  });

  it('the watcher reports a hung daemon as down instead of waiting forever', async () => {
    const host = await serve(() => undefined);
    const watcher = new DaemonWatcher({ endpoint: endpointFor(host), callTimeoutMs: 200, backoff: { initialMs: 5000, maxMs: 5000 } });
    try {
      const down = waitFor<DaemonState>(watcher, 'state', (s) => s === 'down', 2000);
      watcher.start();
      await down;
      assert.match(watcher.lastError ?? '', /did not answer/);
    } finally {
      watcher.stop();
    }
  });

  it('a missing socket is down with a plain reason, and retryNow tries again', async () => {
    const watcher = new DaemonWatcher({ endpoint: endpointFor(`unix://${dir}/absent.sock`), backoff: { initialMs: 60_000, maxMs: 60_000 } });
    try {
      const down = waitFor<DaemonState>(watcher, 'state', (s) => s === 'down', 2000);
      watcher.start();
      await down;
      assert.match(watcher.lastError ?? '', /Cannot reach the Docker daemon/);
      const again = waitFor<DaemonState>(watcher, 'state', (s) => s === 'connecting', 2000);
      watcher.retryNow();
      await again;
    } finally {
      watcher.stop();
    }
  });

  it('keeps retrying in the background while down without flickering through connecting', async () => {
    const watcher = new DaemonWatcher({ endpoint: endpointFor(`unix://${dir}/absent.sock`), backoff: { initialMs: 50, maxMs: 50 } });
    const states: DaemonState[] = [];
    watcher.on('state', (s) => states.push(s));
    try {
      watcher.start();
      await new Promise((r) => setTimeout(r, 600));
      assert.deepEqual(states, ['connecting', 'down']);
    } finally {
      watcher.stop();
    }
  });

  it('skips garbage in the event stream and keeps the valid events', async () => {
    const host = await serve((req, res) => {
      if (req.url?.includes('/version')) {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ Version: '99.0', ApiVersion: '1.41' }));
      } else if (req.url?.includes('/events')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('\u0000\u0001garbage{{{\n[1,2]\n{"Type":5}\n');
        res.write('{"Type":"volume","Action":"create","Actor":{"ID":"v1"},"time":1}\n{"Type":"volume","Act');
        res.write('ion":"destroy","Actor":{"ID":"v1"},"time":2}\n');
      } else res.end();
    });
    const watcher = new DaemonWatcher({ endpoint: endpointFor(host) });
    const events: DockerEvent[] = [];
    watcher.on('event', (e) => events.push(e));
    try {
      watcher.start();
      await watcher.whenUp(2000);
      assert.equal(watcher.version?.Version, '99.0');
      const deadline = Date.now() + 2000;
      while (events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(events.map((e) => `${e.Type}:${e.Action}`), ['volume:create', 'volume:destroy']);
    } finally {
      watcher.stop();
    }
  });
});
