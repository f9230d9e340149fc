import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { analyseLayers, changeTree, readImageArchive } from '../../../src/docker/layerFiles';
import { imageArchive, makeTar } from '../../support/testDaemon';

const file = (path: string, size: number) => ({ path, type: 'file' as const, size });
const dir = (path: string) => ({ path, type: 'dir' as const, size: 0 });

describe('what each layer holds', () => {
  it('tells added, changed and deleted files apart against the layers below', () => {
    const files = analyseLayers([
      { entries: [dir('bin'), file('bin/sh', 1000), dir('data'), file('data/blob', 3000), file('data/keep.txt', 2)] },
      { entries: [dir('data'), file('data/.wh.blob', 0), file('data/keep.txt', 3), file('data/new.txt', 5)] },
    ]);
    const top = files.layers[1];
    assert.deepEqual(
      top.changes.map((c) => [c.path, c.kind, c.size]),
      [['data/blob', 'deleted', 0], ['data/keep.txt', 'changed', 3], ['data/new.txt', 'added', 5]],
      'the directory that only carries its children is not a change',
    );
    assert.equal(top.changes[0].hiddenBytes, 3000);
    assert.deepEqual([top.added, top.changed, top.deleted, top.bytes], [1, 1, 1, 8]);
    assert.deepEqual(files.layers[0].changes.map((c) => c.kind), ['added', 'added', 'added', 'added', 'added']);
  });

  it('counts the bytes later layers hide, and dive\'s figures beside them', () => {
    const files = analyseLayers([
      { entries: [file('a', 100), file('b', 10), dir('d'), file('d/x', 40), file('d/y', 60)] },
      { entries: [file('a', 120)] },
      { entries: [file('.wh.b', 0), file('.wh.d', 0), file('.wh.a', 0)] },
    ]);
    assert.deepEqual(
      files.wasted.map((w) => [w.path, w.bytes, w.layer, w.how]),
      [['a', 120, 2, 'deleted'], ['a', 100, 1, 'overwritten'], ['d', 100, 2, 'deleted'], ['b', 10, 2, 'deleted']],
    );
    assert.equal(files.wastedBytes, 330, 'everything stored is hidden by the end');
    assert.deepEqual(files.layers[2].changes.map((c) => [c.path, c.type, c.hiddenBytes]), [['a', 'file', 120], ['b', 'file', 10], ['d', 'dir', 100]]);
    // dive: a appears 3 times (100 + 120 + 0), b twice (10 + 0); d's whiteout counts its subtree but d was no leaf
    // where it was made, so it appears once and is not "wasted" for dive.
    assert.equal(files.dive.wastedBytes, 230);
    assert.equal(files.dive.paths, 2);
    const min = 0 + 0 + 40 + 60 + 100;
    const all = 220 + 10 + 40 + 60 + 100;
    assert.equal(files.dive.efficiency, min / all);
  });

  it('an opaque directory hides everything below it', () => {
    const files = analyseLayers([
      { entries: [dir('etc'), file('etc/a', 1), file('etc/b', 2)] },
      { entries: [dir('etc'), file('etc/.wh..wh..opq', 0), file('etc/c', 3)] },
    ]);
    assert.deepEqual(files.layers[1].changes.map((c) => [c.path, c.kind]), [['etc/a', 'deleted'], ['etc/b', 'deleted'], ['etc/c', 'added']]);
  });

  it('groups a layer into folders with totals', () => {
    const files = analyseLayers([{ entries: [dir('usr'), dir('usr/lib'), file('usr/lib/x.so', 500), file('usr/lib/y.so', 300), file('top.txt', 1)] }]);
    const root = changeTree(files.layers[0]);
    assert.deepEqual([...root.dirs.keys()], ['usr']);
    assert.deepEqual(root.files.map((f) => f.path), ['top.txt']);
    const lib = root.dirs.get('usr')!.dirs.get('lib')!;
    assert.deepEqual([lib.added, lib.bytes, root.added, root.bytes], [2, 800, 3, 801]);
  });

  it('reads layers from a docker save archive, plain or gzip-compressed, in manifest order', async () => {
    const base = makeTar([{ type: 'dir', name: 'app' }, { type: 'file', name: 'app/one.txt', content: Buffer.alloc(700, 1) }]);
    const top = makeTar([{ type: 'file', name: 'app/.wh.one.txt', content: Buffer.alloc(0) }, { type: 'file', name: 'app/two.txt', content: Buffer.from('2') }]);
    const archive = imageArchive({ repoTags: ['x:1'], layers: [{ tar: base }, { tar: top }], history: [{ created_by: 'COPY one' }, { created_by: 'RUN rm' }] });
    const layers = await readImageArchive(Readable.from([archive]));
    assert.deepEqual(layers.map((l) => l.entries.map((e) => e.path)), [['app', 'app/one.txt'], ['app/.wh.one.txt', 'app/two.txt']]);
    const zipped = imageArchive({ repoTags: ['x:1'], layers: [{ tar: base }], history: [{ created_by: 'COPY one' }] });
    // The same archive with its layer gzip-compressed, as the containerd image store saves it.
    const gz = makeTar([
      { type: 'file', name: 'blobs/sha256/aaaa', content: gzipSync(base) },
      { type: 'file', name: 'manifest.json', content: Buffer.from(JSON.stringify([{ Config: 'c', Layers: ['blobs/sha256/aaaa'] }])) },
    ]);
    assert.deepEqual((await readImageArchive(Readable.from([gz])))[0].entries.map((e) => [e.path, e.size]), [['app', 0], ['app/one.txt', 700]]);
    assert.ok(zipped.length > 0);
  });

  it('rejects an archive without a manifest with a clear message', async () => {
    await assert.rejects(readImageArchive(Readable.from([makeTar([{ type: 'file', name: 'x', content: Buffer.from('{}') }])])), /no manifest\.json/);
    await assert.rejects(readImageArchive(Readable.from([Buffer.from('not a tar at all')])), /./);
  });
});
