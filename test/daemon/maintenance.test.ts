import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { DockerApi } from '../../src/docker/api';
import { createDockerClient, parseHost } from '../../src/docker/connection';
import { fetchImageFiles } from '../../src/docker/layerFiles';
import { fetchPrunePlan, imageDependents, pruneVolumes, systemPrune, volumePruneQuery } from '../../src/docker/maintenance';
import { StatsStream } from '../../src/docker/stats';
import { imageArchive, loadArchive, makeTar, startTestDaemon, TestDaemon } from '../support/testDaemon';

const endpointFor = (host: string) => ({ ...parseHost(host), source: 'env' as const, description: host });

describe('cleaning up, stats and layer files against a real daemon', function () {
  this.timeout(120_000);
  let d: TestDaemon;
  let api: DockerApi;

  before(async () => {
    d = await startTestDaemon();
    api = new DockerApi(d.docker, 30_000);
  });
  after(async () => {
    await d?.stop();
  });

  it('prunes named and anonymous unused volumes on API 1.41, where the daemon rejects the "all" filter', async () => {
    const version = (await api.get<{ ApiVersion: string }>('/version')).ApiVersion;
    assert.equal(version, '1.41');
    await d.docker.createVolume({ Name: 'named-unused' });
    const anonymous = (await d.docker.createVolume({})) as unknown as { name: string };
    // Why the filter depends on the version: this daemon refuses it.
    await assert.rejects(api.post('/volumes/prune', { query: { filters: JSON.stringify({ all: ['true'] }) } }), /invalid filter 'all'/i);
    const { deleted } = await pruneVolumes(api, version);
    assert.deepEqual(deleted.sort(), ['named-unused', anonymous.name].sort());
    assert.ok((await d.docker.listVolumes()).Volumes.some((v) => v.Name === d.seeded.volume), 'a volume a container uses stays');
  });

  it('asks an API 1.42+ daemon for all unused volumes, named ones included', async () => {
    const dir = fs.mkdtempSync('/tmp/dw-fake-');
    const socket = path.join(dir, 'docker.sock');
    const queries: string[] = [];
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/volumes/prune')) queries.push(decodeURIComponent(req.url));
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ VolumesDeleted: ['named', 'anon'], SpaceReclaimed: 10 }));
    });
    await new Promise<void>((r) => server.listen(socket, r));
    try {
      const fake = new DockerApi(createDockerClient(endpointFor(`unix://${socket}`)), 2000);
      assert.deepEqual(await pruneVolumes(fake, '1.43'), { deleted: ['named', 'anon'], bytes: 10 });
      await pruneVolumes(fake, '1.41');
      assert.deepEqual(queries, ['/volumes/prune?filters={"all":["true"]}', '/volumes/prune?']);
      assert.deepEqual(volumePruneQuery('1.42'), { filters: '{"all":["true"]}' });
      assert.deepEqual(volumePruneQuery('2.0'), { filters: '{"all":["true"]}' });
      assert.deepEqual(volumePruneQuery(undefined), {});
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what a system prune removes and about how much it frees, and frees that', async () => {
    const exited = await d.docker.createContainer({ name: 'df-exited', Image: d.seeded.busyboxImage, Cmd: ['/bin/sh', '-c', 'head -c 400000 /dev/zero > /junk'], HostConfig: { NetworkMode: 'none' } });
    await exited.start();
    await exited.wait();
    await d.docker.createNetwork({ Name: 'df-unused', Driver: 'bridge', Internal: true });
    await loadArchive(d.docker, imageArchive({ repoTags: [], layers: [{ tar: makeTar([{ type: 'file', name: 'old.bin', content: Buffer.alloc(500_000, 1) }]) }], history: [{ created_by: 'COPY old.bin /' }] }));
    const plan = await fetchPrunePlan(api);
    assert.deepEqual(plan.containers.map((c) => c.name).sort(), ['df-exited', d.seeded.exitedContainer].sort());
    assert.ok(plan.networks.includes('df-unused') && plan.networks.includes(d.seeded.network), plan.networks.join(', '));
    assert.equal(plan.images.length, 1);
    const done = await systemPrune(api);
    assert.equal(done.containers, 2);
    assert.equal(done.networks, plan.networks.length);
    // The estimate is the space the daemon then reports freeing (both count a shared layer once, at most).
    assert.ok(Math.abs(done.bytes - plan.bytes) <= plan.bytes * 0.1, `estimated ${plan.bytes}, freed ${done.bytes}`);
    assert.ok(done.bytes > 800_000, `freed ${done.bytes}`);
  });

  it('names what depends on an image: its tags and the containers created from it', async () => {
    const id = (await d.docker.getImage(d.seeded.busyboxImage).inspect()).Id;
    await d.docker.getImage(d.seeded.busyboxImage).tag({ repo: 'dockwise-test/busybox', tag: 'second' });
    const deps = await imageDependents(api, id);
    assert.deepEqual(deps.tags.sort(), [d.seeded.busyboxImage, 'dockwise-test/busybox:second']);
    assert.ok(deps.containers.some((c) => c.name === d.seeded.runningContainer && c.state === 'running'));
  });

  it('follows a running container\'s stats, and the stream ends when the container stops', async () => {
    const c = await d.docker.createContainer({ Image: d.seeded.busyboxImage, Cmd: ['/bin/sh', '-c', 'trap "exit 0" TERM; while true; do :; done'], StopTimeout: 1, HostConfig: { NetworkMode: 'none' } });
    await c.start();
    const stream = new StatsStream(api, c.id);
    const samples: { cpuPercent: number; memoryBytes: number; memoryLimit: number }[] = [];
    const ended = new Promise<string>((resolve) => stream.on('end', resolve));
    stream.on('sample', (s) => samples.push(s));
    await stream.start();
    const deadline = Date.now() + 10_000;
    while (samples.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(samples.length >= 3, `${samples.length} samples`);
    const last = samples[samples.length - 1];
    assert.ok(last.cpuPercent > 5, `a busy loop uses CPU: ${last.cpuPercent}`);
    assert.ok(last.memoryBytes > 0 && last.memoryLimit > last.memoryBytes);
    await c.stop();
    assert.match(await Promise.race([ended, new Promise<string>((r) => setTimeout(() => r('still streaming'), 10_000))]), /stopped|ended|closed/);
    await c.remove({ force: true });
  });

  it('streams an image archive and lists its layers\' files', async () => {
    const files = await fetchImageFiles(api, d.seeded.layeredImage);
    assert.equal(files.layers.length, 2);
    assert.ok(files.layers[0].changes.some((c) => c.path === 'bin/busybox' && c.kind === 'added' && c.size > 1_000_000));
    assert.deepEqual(files.layers[1].changes.map((c) => `${c.kind} ${c.path} ${c.size}`), ['added app 0', 'added app/data.bin 65536', 'added app/hello.txt 19']);
    assert.equal(files.wastedBytes, 0);
  });
});
