import * as assert from 'node:assert/strict';
import { kindsForEvent } from '../../../src/docker/explorerStore';
import { chainIds, formatAge, formatBytes, groupImages, instructionOf, LayerIndex, pairLayers, shapeContainers, splitRef } from '../../../src/docker/model';

const h = (CreatedBy: string, Size: number) => ({ Id: '<missing>', Created: 0, CreatedBy, Size });

describe('explorer model (pure)', () => {
  it('shortens recorded steps to the Dockerfile instruction', () => {
    assert.equal(instructionOf('/bin/sh -c #(nop)  ENV A=b'), 'ENV A=b');
    assert.equal(instructionOf('/bin/sh -c apt-get update'), 'RUN apt-get update');
    assert.equal(instructionOf('RUN |2 A=1 B= /bin/sh -c make   build # buildkit'), 'RUN make build');
    assert.equal(instructionOf('COPY . /app # buildkit'), 'COPY . /app');
    assert.equal(instructionOf(''), '(unknown step)');
  });

  it('pairs history with layer digests, base first, telling empty steps apart', () => {
    // newest first, as the API returns it
    const history = [h('CMD ["node"]', 0), h('WORKDIR /app', 0), h('RUN /bin/sh -c npm ci # buildkit', 0), h('ENV X=1', 0), h('/bin/sh -c #(nop) ADD file:x in /', 500)];
    const layers = pairLayers(history, ['sha256:a', 'sha256:b', 'sha256:c']);
    assert.deepEqual(layers.map((l) => [l.instruction.split(' ')[0], l.diffId ?? null]), [
      ['ADD', 'sha256:a'],
      ['ENV', null],
      ['RUN', 'sha256:b'],
      ['WORKDIR', 'sha256:c'],
      ['CMD', null],
    ]);
  });

  it('copes with history that does not match the layers', () => {
    const layers = pairLayers([h('x', 10)], ['sha256:a', 'sha256:b']);
    assert.equal(layers.length, 1);
    assert.equal(layers[0].diffId, 'sha256:a');
    assert.deepEqual(pairLayers([], ['sha256:a']), []);
  });

  it('finds layers shared with other images by chain, not by digest alone', () => {
    const index = new LayerIndex();
    index.set('img1', ['sha256:base', 'sha256:app'], ['a:1']);
    index.set('img2', ['sha256:base', 'sha256:other'], ['b:1']);
    index.set('img3', ['sha256:app'], ['c:1']); // same digest, different base: not the same layer
    const shared = index.sharedWith('img1', chainIds(['sha256:base', 'sha256:app']));
    assert.deepEqual(shared, [['b:1'], []]);
  });

  it('groups tags by repository and sets dangling images apart', () => {
    const listing = groupImages([
      { Id: 'sha256:1', RepoTags: ['registry:5000/team/app:1.0', 'registry:5000/team/app:2.0'], Created: 2, Size: 1 },
      { Id: 'sha256:2', RepoTags: ['<none>:<none>'], Created: 1, Size: 1 },
      { Id: 'sha256:3', RepoTags: null, Created: 3, Size: 1 },
      { Id: 'sha256:4', RepoTags: ['alpine:3'], Created: 1, Size: 1 },
    ]);
    assert.deepEqual(listing.groups.map((g) => [g.repository, g.tags.map((t) => t.tag)]), [['alpine', ['3']], ['registry:5000/team/app', ['1.0', '2.0']]]);
    assert.deepEqual(listing.dangling.map((d) => d.id), ['sha256:3', 'sha256:2']);
    assert.deepEqual(splitRef('localhost:5000/x'), { repository: 'localhost:5000/x', tag: 'latest' });
  });

  it('sorts containers running first and formats ports', () => {
    const base = { Image: 'i', ImageID: 'x', Status: '', Ports: [] };
    const items = shapeContainers([
      { ...base, Id: 'a', Names: ['/old'], Created: 1, State: 'exited' },
      { ...base, Id: 'b', Names: ['/web'], Created: 2, State: 'running', Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }] },
    ]);
    assert.deepEqual(items.map((c) => c.name), ['web', 'old']);
    assert.deepEqual(items[0].ports, ['8080→80/tcp']);
    // 0.0.0.0 and :: are one row: both are localhost:8080 to a browser.
    assert.deepEqual(items[0].published, [{ ip: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
  });

  it('maps events to the lists they change and ignores exec noise', () => {
    const ev = (Type: string, Action: string) => ({ Type, Action, Actor: { ID: 'x' }, time: 0 });
    assert.deepEqual(kindsForEvent(ev('container', 'exec_start: sh')), []);
    assert.deepEqual(kindsForEvent(ev('container', 'start')), ['containers']);
    assert.deepEqual(kindsForEvent(ev('volume', 'mount')), []);
    assert.deepEqual(kindsForEvent(ev('volume', 'create')), ['volumes']);
    assert.deepEqual(kindsForEvent(ev('network', 'connect')), ['containers']);
    assert.deepEqual(kindsForEvent(ev('image', 'tag')), ['images']);
    assert.deepEqual(kindsForEvent(ev('plugin', 'enable')), []);
  });

  it('formats sizes and ages for people', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(65555), '66 kB');
    assert.equal(formatBytes(1_982_256), '2.0 MB');
    assert.equal(formatBytes(-1), '?');
    assert.equal(formatAge(1000, 1000 * 1000 + 5000), '5 seconds ago');
    assert.equal(formatAge(0, 3 * 3600 * 1000), '3 hours ago');
  });
});
