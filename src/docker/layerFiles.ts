/**
 * What each layer of an image really holds, read from the image's `docker save` archive (`GET /images/{id}/get`)
 * as it streams: every layer's tar is parsed inside the outer tar (gzip-compressed blobs of the containerd store
 * too), headers only, so memory grows with the number of files, never with their bytes.
 *
 * For each layer: the files it added, changed and deleted (whiteouts `.wh.<name>` and opaque directories
 * `.wh..wh..opq`), against the filesystem the layers below it make. For the image: the bytes its layers store that
 * the final filesystem no longer shows, because a later layer deleted or overwrote them — and, beside it, dive's
 * "potential wasted space" (dive/filetree/efficiency.go), which counts every copy of a path found in more than one
 * layer, the surviving one too, and sees a deleted directory only if it was empty where it was made.
 */
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import type { DockerApi } from './api';

export type ChangeKind = 'added' | 'changed' | 'deleted';
export type FileType = 'file' | 'dir' | 'symlink' | 'link' | 'other';

export interface FileChange {
  /** Path inside the image, without a leading slash. */
  path: string;
  kind: ChangeKind;
  type: FileType;
  /** Bytes the layer stores for it (0 for a deletion). */
  size: number;
  /** For a deletion: the bytes it hid, from the layers below. */
  hiddenBytes?: number;
  linkTarget?: string;
}

export interface LayerChanges {
  /** Position among the image's filesystem layers (RootFS order), 0 = base. */
  index: number;
  changes: FileChange[];
  added: number;
  changed: number;
  deleted: number;
  /** Bytes of file content the layer stores. */
  bytes: number;
  /** The layer could not be read (a compression this reader does not know); why. */
  unreadable?: string;
  /** Stopped listing after this many entries. */
  truncated?: boolean;
}

export interface WastedFile {
  path: string;
  /** Bytes of lower layers this hid. */
  bytes: number;
  /** The filesystem layer that hid them. */
  layer: number;
  how: 'deleted' | 'overwritten';
}

export interface ImageFiles {
  layers: LayerChanges[];
  /** Bytes stored in the layers that the final filesystem does not show: deleted or overwritten by a later layer. */
  wastedBytes: number;
  /** What hid them, biggest first. */
  wasted: WastedFile[];
  /** dive's figures: potential wasted space (every copy of a path in more than one layer) and efficiency score. */
  dive: { wastedBytes: number; efficiency: number; paths: number };
  totalBytes: number;
}

/** Longest list kept per layer; a layer with more entries is summarised from what was read. */
export const MAX_ENTRIES_PER_LAYER = 300_000;

interface RawEntry {
  path: string;
  type: FileType;
  size: number;
  linkTarget?: string;
}

/** A directory tree of the filesystem the layers build, to tell added from changed and to size what a deletion hides. */
class FsNode {
  children?: Map<string, FsNode>;
  constructor(
    public size = 0,
    public isDir = false,
  ) {}

  total(): number {
    let sum = this.size;
    if (this.children) for (const c of this.children.values()) sum += c.total();
    return sum;
  }
}

class Stacked {
  readonly root = new FsNode(0, true);

  get(path: string): FsNode | undefined {
    let node: FsNode | undefined = this.root;
    for (const part of path.split('/')) {
      node = node.children?.get(part);
      if (!node) return undefined;
    }
    return node;
  }

  set(path: string, size: number, isDir: boolean): void {
    const parts = path.split('/');
    let node = this.root;
    for (let i = 0; i < parts.length; i++) {
      node.children ??= new Map();
      let next = node.children.get(parts[i]);
      const last = i === parts.length - 1;
      if (!next) {
        next = new FsNode(last ? size : 0, last ? isDir : true);
        node.children.set(parts[i], next);
      } else if (last) {
        next.size = size;
        // A file replacing a directory drops what was under it.
        if (!isDir) next.children = undefined;
        next.isDir = isDir;
      }
      node = next;
    }
  }

  remove(path: string): FsNode | undefined {
    const slash = path.lastIndexOf('/');
    const parent = slash < 0 ? this.root : this.get(path.slice(0, slash));
    const name = path.slice(slash + 1);
    const node = parent?.children?.get(name);
    if (node) parent!.children!.delete(name);
    return node;
  }
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

function normalise(name: string): string {
  return name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

function typeOf(header: tar.Headers): FileType {
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'link';
    default:
      return 'other';
  }
}

/**
 * Applies the layers in order, each against the filesystem the ones below it make: what each added, changed and
 * deleted, and dive's wasted space.
 */
export function analyseLayers(layers: { entries: RawEntry[]; unreadable?: string; truncated?: boolean }[]): ImageFiles {
  const fs = new Stacked();
  const seen = new Map<string, { cumulative: number; min: number; layers: number[] }>();
  const out: LayerChanges[] = [];
  const wasted: WastedFile[] = [];
  let totalBytes = 0;

  const count = (path: string, size: number, layer: number) => {
    let s = seen.get(path);
    if (!s) seen.set(path, (s = { cumulative: 0, min: size, layers: [] }));
    s.cumulative += size;
    s.min = Math.min(s.min, size);
    s.layers.push(layer);
  };

  layers.forEach((layer, index) => {
    const changes: FileChange[] = [];
    const opaque: string[] = [];
    const whiteouts: string[] = [];
    const present: RawEntry[] = [];
    const hasChildren = new Set<string>();
    for (const e of layer.entries) {
      const slash = e.path.lastIndexOf('/');
      const base = e.path.slice(slash + 1);
      const dir = slash < 0 ? '' : e.path.slice(0, slash);
      if (dir) hasChildren.add(dir);
      if (base === OPAQUE) opaque.push(dir);
      else if (base.startsWith(WHITEOUT)) whiteouts.push((dir ? dir + '/' : '') + base.slice(WHITEOUT.length));
      else present.push(e);
    }
    // An opaque directory hides everything the lower layers put in it; what this layer puts there is added afresh.
    for (const dir of opaque) {
      const node = dir ? fs.get(dir) : fs.root;
      for (const [name, child] of node?.children ?? []) {
        const path = (dir ? dir + '/' : '') + name;
        const hiddenBytes = child.total();
        changes.push({ path, kind: 'deleted', type: child.isDir ? 'dir' : 'file', size: 0, hiddenBytes });
        if (hiddenBytes) wasted.push({ path, bytes: hiddenBytes, layer: index, how: 'deleted' });
      }
      if (node) node.children = undefined;
    }
    for (const path of whiteouts) {
      const hidden = fs.remove(path);
      const hiddenBytes = hidden?.total() ?? 0;
      changes.push({ path, kind: 'deleted', type: hidden?.isDir ? 'dir' : 'file', size: 0, hiddenBytes });
      if (hiddenBytes) wasted.push({ path, bytes: hiddenBytes, layer: index, how: 'deleted' });
      // dive counts a deleted directory with everything under it, a deleted file as nothing (its earlier copy counts).
      count(path, hidden?.isDir ? hiddenBytes : 0, index);
    }
    let bytes = 0;
    for (const e of present) {
      const before = fs.get(e.path);
      const kind: ChangeKind = before ? 'changed' : 'added';
      if (before && e.type !== 'dir') {
        const hiddenBytes = before.total();
        if (hiddenBytes) wasted.push({ path: e.path, bytes: hiddenBytes, layer: index, how: 'overwritten' });
      }
      fs.set(e.path, e.size, e.type === 'dir');
      bytes += e.size;
      // Directories that only carry their children's changes are not changes of their own.
      if (e.type === 'dir' && before?.isDir) continue;
      changes.push({ path: e.path, kind, type: e.type, size: e.size, linkTarget: e.linkTarget });
      if (e.type !== 'dir' || !hasChildren.has(e.path)) count(e.path, e.size, index);
    }
    totalBytes += bytes;
    changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    out.push({
      index,
      changes,
      added: changes.filter((c) => c.kind === 'added' && c.type !== 'dir').length,
      changed: changes.filter((c) => c.kind === 'changed' && c.type !== 'dir').length,
      deleted: changes.filter((c) => c.kind === 'deleted').length,
      bytes,
      unreadable: layer.unreadable,
      truncated: layer.truncated,
    });
  });

  let diveWasted = 0;
  let divePaths = 0;
  let minimum = 0;
  let discovered = 0;
  for (const s of seen.values()) {
    minimum += s.min;
    discovered += s.cumulative;
    if (s.layers.length > 1) {
      divePaths++;
      diveWasted += s.cumulative;
    }
  }
  wasted.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  return {
    layers: out,
    wastedBytes: wasted.reduce((sum, w) => sum + w.bytes, 0),
    wasted,
    dive: { wastedBytes: diveWasted, efficiency: discovered === 0 ? 1 : minimum / discovered, paths: divePaths },
    totalBytes,
  };
}

/** Reads the entries of one layer tar as it streams by. */
function readLayerTar(input: Readable): Promise<{ entries: RawEntry[]; truncated?: boolean }> {
  return new Promise((resolve, reject) => {
    const entries: RawEntry[] = [];
    let truncated = false;
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => {
      const path = normalise(header.name);
      if (path) {
        if (entries.length < MAX_ENTRIES_PER_LAYER) entries.push({ path, type: typeOf(header), size: header.type === 'file' || header.type === 'contiguous-file' ? header.size ?? 0 : 0, linkTarget: header.linkname ?? undefined });
        else truncated = true;
      }
      stream.on('end', next);
      stream.resume();
    });
    extract.on('finish', () => resolve({ entries, truncated }));
    extract.on('error', reject);
    input.on('error', reject);
    input.pipe(extract);
  });
}

/** How a blob starts: a tar, gzip, zstd, or something else (the image config, an index). */
function sniff(head: Buffer): 'tar' | 'gzip' | 'zstd' | 'other' {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return 'other';
}

type ParsedBlob = { kind: 'layer'; entries: RawEntry[]; truncated?: boolean } | { kind: 'unreadable'; why: string } | { kind: 'json'; text: string } | { kind: 'skipped' };

/** One entry of the outer archive: a layer (parsed as it streams), a small JSON file (kept), or anything else (drained). */
function readBlob(stream: Readable, size: number): Promise<ParsedBlob> {
  return new Promise((resolve, reject) => {
    const done = (p: Promise<ParsedBlob> | ParsedBlob) => Promise.resolve(p).then(resolve, reject);
    const drain = (result: ParsedBlob) => {
      stream.on('end', () => resolve(result));
      stream.on('error', reject);
      stream.resume();
    };
    if (size === 0) return drain({ kind: 'skipped' });
    // Peek at the first bytes (a tar's magic is at offset 257), put them back, then hand the stream on whole.
    const onReadable = () => {
      let head = stream.read(Math.min(512, size)) as Buffer | null;
      if (head === null) {
        if (!stream.readableEnded) return;
        head = Buffer.alloc(0);
      }
      stream.off('readable', onReadable);
      stream.off('error', reject);
      const kind = sniff(head);
      // The peeked bytes first, then the rest of the entry (which may already have ended).
      const whole = () => {
        const pass = new PassThrough();
        pass.write(head);
        stream.on('error', (e: Error) => pass.destroy(e));
        return stream.pipe(pass);
      };
      if (kind === 'tar') return done(readLayerTar(whole()).then((r) => ({ kind: 'layer' as const, ...r })));
      if (kind === 'gzip') return done(readLayerTar(whole().pipe(createGunzip())).then((r) => ({ kind: 'layer' as const, ...r })));
      if (kind === 'zstd') return drain({ kind: 'unreadable', why: 'compressed with zstd, which Dockwise cannot read' });
      if (size > 4_000_000) return drain({ kind: 'skipped' });
      const chunks: Buffer[] = [];
      const rest = whole();
      rest.on('data', (c: Buffer) => chunks.push(c));
      rest.on('end', () => resolve({ kind: 'json', text: Buffer.concat(chunks).toString('utf8') }));
      rest.on('error', reject);
    };
    stream.on('readable', onReadable);
    stream.on('error', reject);
  });
}

/** Resolves `a/../b/layer.tar` style links inside the archive. */
function join(from: string, target: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const p of target.split('/')) {
    if (p === '..') parts.pop();
    else if (p && p !== '.') parts.push(p);
  }
  return parts.join('/');
}

/**
 * Reads a `docker save` archive (the classic `<id>/layer.tar` layout or the OCI `blobs/sha256/…` one) and returns
 * each layer's entries in RootFS order, from manifest.json.
 */
export function readImageArchive(archive: Readable): Promise<{ entries: RawEntry[]; unreadable?: string; truncated?: boolean }[]> {
  return new Promise((resolve, reject) => {
    const blobs = new Map<string, ParsedBlob>();
    const links = new Map<string, string>();
    const extract = tar.extract();
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      archive.destroy();
      extract.destroy();
      reject(e);
    };
    extract.on('entry', (header, stream, next) => {
      const name = normalise(header.name);
      if (header.type === 'symlink' && header.linkname) {
        links.set(name, join(name, header.linkname));
        stream.on('end', next);
        stream.resume();
        return;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        stream.on('end', next);
        stream.resume();
        return;
      }
      readBlob(stream, header.size ?? 0).then(
        (blob) => {
          blobs.set(name, blob);
          next();
        },
        (e: Error) => fail(e),
      );
    });
    extract.on('finish', () => {
      if (failed) return;
      const manifest = blobs.get('manifest.json');
      if (!manifest || manifest.kind !== 'json') return fail(new Error('the image archive has no manifest.json'));
      let layers: string[];
      try {
        layers = (JSON.parse(manifest.text) as { Layers?: string[] }[])[0]?.Layers ?? [];
      } catch {
        return fail(new Error('the image archive has an unreadable manifest.json'));
      }
      const out = layers.map((path) => {
        let p = normalise(path);
        for (let hops = 0; links.has(p) && hops < 10; hops++) p = links.get(p)!;
        const blob = blobs.get(p);
        if (blob?.kind === 'layer') return { entries: blob.entries, truncated: blob.truncated };
        if (blob?.kind === 'unreadable') return { entries: [], unreadable: blob.why };
        return { entries: [], unreadable: `${path} is missing from the archive` };
      });
      resolve(out);
    });
    extract.on('error', fail);
    archive.on('error', fail);
    archive.pipe(extract);
  });
}

/**
 * Streams an image's archive from the daemon and analyses its layers. The daemon prepares the whole archive before
 * its first byte (Engine 20.10 exports to a temporary folder), so the wait for an answer is long; cancel with `signal`.
 */
export async function fetchImageFiles(api: DockerApi, imageId: string, signal?: AbortSignal, firstByteTimeoutMs = 600_000): Promise<ImageFiles> {
  const stream = await api.stream(`/images/${encodeURIComponent(imageId)}/get`, { signal, timeoutMs: firstByteTimeoutMs });
  signal?.addEventListener('abort', () => stream.destroy(new Error('cancelled')), { once: true });
  return analyseLayers(await readImageArchive(stream));
}

/** A directory view over one layer's changes, for a tree: children of a folder, with totals for folders. */
export interface ChangeDir {
  name: string;
  path: string;
  /** The change recorded for the directory itself (added, deleted), when there is one. */
  own?: FileChange;
  dirs: Map<string, ChangeDir>;
  files: FileChange[];
  added: number;
  changed: number;
  deleted: number;
  bytes: number;
}

export function changeTree(layer: LayerChanges): ChangeDir {
  const root: ChangeDir = { name: '', path: '', dirs: new Map(), files: [], added: 0, changed: 0, deleted: 0, bytes: 0 };
  const dirFor = (path: string): ChangeDir => {
    let d = root;
    if (!path) return d;
    let sofar = '';
    for (const part of path.split('/')) {
      sofar = sofar ? `${sofar}/${part}` : part;
      let next = d.dirs.get(part);
      if (!next) d.dirs.set(part, (next = { name: part, path: sofar, dirs: new Map(), files: [], added: 0, changed: 0, deleted: 0, bytes: 0 }));
      d = next;
    }
    return d;
  };
  for (const c of layer.changes) {
    const slash = c.path.lastIndexOf('/');
    const parentPath = slash < 0 ? '' : c.path.slice(0, slash);
    if (c.type === 'dir' && c.kind !== 'deleted') {
      dirFor(c.path).own = c;
      continue;
    }
    if (c.type === 'dir' && c.kind === 'deleted') {
      const d = dirFor(c.path);
      d.own = c;
    } else dirFor(parentPath).files.push(c);
    // Totals on every folder above.
    let d: ChangeDir | undefined = root;
    const parts = parentPath ? parentPath.split('/') : [];
    const bump = (x: ChangeDir) => {
      x[c.kind]++;
      x.bytes += c.kind === 'deleted' ? 0 : c.size;
    };
    bump(root);
    for (const part of parts) {
      d = d.dirs.get(part);
      if (!d) break;
      bump(d);
    }
    if (c.type === 'dir') bump(dirFor(c.path));
  }
  return root;
}
