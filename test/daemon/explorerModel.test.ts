import * as assert from 'node:assert/strict';
import { DockerApi } from '../../src/docker/api';
import {
  fetchContainers,
  fetchImages,
  fetchLayers,
  fetchNetworks,
  fetchVolumes,
  imageRefs,
  LayerIndex,
  shapeContainers,
  shapeNetworks,
  shapeVolumes,
} from '../../src/docker/model';
import { imageArchive, loadArchive, makeTar, startTestDaemon, TestDaemon } from '../support/testDaemon';

describe('explorer model against a real daemon', function () {
  this.timeout(90_000);
  let d: TestDaemon;
  let api: DockerApi;

  before(async () => {
    d = await startTestDaemon();
    api = new DockerApi(d.docker, 10_000);
  });
  after(async () => {
    await d?.stop();
  });

  it('groups images by repository with their tags, sizes and ages', async () => {
    await d.docker.getImage(d.seeded.layeredImage).tag({ repo: 'dockwise-test/layered', tag: '2.0' });
    const listing = await fetchImages(api);
    const layered = listing.groups.find((g) => g.repository === 'dockwise-test/layered');
    assert.deepEqual(layered?.tags.map((t) => t.tag).sort(), ['1.0', '2.0']);
    assert.ok(listing.groups.some((g) => g.repository === 'dockwise-test/busybox' && g.tags[0].ref === d.seeded.busyboxImage));
    assert.ok(layered!.tags[0].size > 65536);
    assert.equal(listing.dangling.length, 0);
  });

  it('shows dangling images apart', async () => {
    const layer = makeTar([{ type: 'file', name: 'only.txt', content: Buffer.from('dangling\n') }]);
    await loadArchive(d.docker, imageArchive({ repoTags: [], layers: [{ tar: layer }], history: [{ created_by: 'COPY only.txt / # buildkit' }] }));
    const listing = await fetchImages(api);
    assert.equal(listing.dangling.length, 1);
    assert.equal(listing.dangling[0].repository, '<none>');
    assert.ok(!listing.groups.some((g) => g.repository === '<none>'));
  });

  it('lists the layered image base first, with instructions, sizes, empty steps and the shared base layer', async () => {
    const listing = await fetchImages(api);
    const id = listing.groups.find((g) => g.repository === 'dockwise-test/layered')!.tags[0].id;
    const index = new LayerIndex();
    const before = api.calls;
    const layers = await fetchLayers(api, id, imageRefs(listing), index);
    assert.deepEqual(
      layers.map((l) => [l.instruction.split(' ')[0], l.empty]),
      [['ADD', false], ['ENV', true], ['WORKDIR', true], ['RUN', false], ['CMD', true]],
    );
    assert.equal(layers[1].instruction, 'ENV GREETING=hello');
    assert.match(layers[3].instruction, /^RUN mkdir -p \/app && echo "hello from a layer"/);
    assert.doesNotMatch(layers[3].instruction, /# buildkit/);
    assert.ok(layers[3].size >= 65536);
    assert.ok(layers[0].size > 1_000_000, 'the base layer holds busybox');
    assert.deepEqual(layers[0].sharedWith, [d.seeded.busyboxImage]);
    assert.deepEqual(layers[3].sharedWith, [], 'the 2.0 tag is the same image, not another one');
    assert.ok(layers[0].diffId?.startsWith('sha256:'));
    // history + inspect for the image, and one inspect per other image not yet indexed
    const otherImages = imageRefs(listing).length - 1;
    assert.equal(api.calls - before, 2 + otherImages);
    const again = api.calls;
    await fetchLayers(api, id, imageRefs(listing), index);
    assert.equal(api.calls - again, 2, 'images already indexed are not inspected again');
  });

  it('lists containers running first, with mounts and networks', async () => {
    const containers = shapeContainers(await fetchContainers(api));
    const names = containers.map((c) => c.name);
    assert.ok(names.indexOf(d.seeded.runningContainer) < names.indexOf(d.seeded.exitedContainer));
    const running = containers.find((c) => c.name === d.seeded.runningContainer)!;
    assert.equal(running.running, true);
    assert.deepEqual(running.mounts.map((m) => [m.type, m.name, m.destination]), [['volume', d.seeded.volume, '/data']]);
    assert.deepEqual(running.networks.map((n) => n.name), ['none']);
    assert.equal(containers.find((c) => c.name === d.seeded.exitedContainer)!.state, 'exited');
  });

  it('lists volumes with the containers using them, and dangling ones', async () => {
    await d.docker.createVolume({ Name: 'model-unused' });
    const volumes = shapeVolumes(await fetchVolumes(api), shapeContainers(await fetchContainers(api)));
    const seeded = volumes.find((v) => v.name === d.seeded.volume)!;
    assert.deepEqual(seeded.usedBy, [d.seeded.runningContainer]);
    assert.equal(seeded.dangling, false);
    assert.equal(seeded.driver, 'local');
    assert.ok(seeded.mountpoint.includes(d.seeded.volume));
    assert.equal(volumes.find((v) => v.name === 'model-unused')!.dangling, true);
  });

  it('lists networks with driver, scope, internal flag and the containers on them with addresses', async () => {
    const c = await d.docker.createContainer({
      name: 'model-networked',
      Image: d.seeded.busyboxImage,
      Cmd: ['/bin/sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
      HostConfig: { NetworkMode: d.seeded.network },
    });
    await c.start();
    try {
      const networks = shapeNetworks(await fetchNetworks(api), shapeContainers(await fetchContainers(api)));
      const net = networks.find((n) => n.name === d.seeded.network)!;
      assert.equal(net.driver, 'bridge');
      assert.equal(net.scope, 'local');
      assert.equal(net.internal, true);
      assert.equal(net.builtIn, false);
      assert.equal(net.containers.length, 1);
      assert.equal(net.containers[0].name, 'model-networked');
      assert.match(net.containers[0].ipAddress ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      assert.ok(networks.findIndex((n) => n.builtIn) > networks.indexOf(net), 'user networks come before built-in ones');
    } finally {
      await c.remove({ force: true });
    }
  });
});
