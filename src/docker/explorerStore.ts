/**
 * The explorer's view of the daemon: lists read lazily on first use, kept while the daemon is up, and re-read only
 * for the kinds a batch of events touched. Each re-read is compared with what was shown, so listeners learn which
 * entries changed and whether the list itself changed shape (something added, removed or reordered).
 */
import { EventEmitter } from 'node:events';
import { DaemonState, DaemonWatcher, DockerEvent } from './daemonWatcher';
import { fetchImageFiles, ImageFiles } from './layerFiles';
import {
  ApiContainerSummary,
  ApiNetwork,
  ApiVolume,
  ContainerItem,
  fetchContainers,
  fetchImages,
  fetchLayers,
  fetchNetworks,
  fetchVolumes,
  ImageListing,
  imageRefs,
  Layer,
  LayerIndex,
  NetworkItem,
  shapeContainers,
  shapeNetworks,
  shapeVolumes,
  VolumeItem,
} from './model';

export type ResourceKind = 'images' | 'containers' | 'volumes' | 'networks';
export const RESOURCE_KINDS: ResourceKind[] = ['images', 'containers', 'volumes', 'networks'];

export interface StoreChange {
  kind: ResourceKind;
  /** The whole list must be redrawn (entries added, removed or moved, or the daemon came or went). */
  structural: boolean;
  /** Keys of entries whose content changed (image repositories, container IDs, volume names, network IDs). */
  changed: string[];
}

type Raw = 'images' | 'containers' | 'volumes' | 'networks';

/** Which lists a Docker event can change. Exec and attach noise changes nothing shown. */
export function kindsForEvent(e: DockerEvent): Raw[] {
  switch (e.Type) {
    case 'container':
      if (/^(exec_|attach|resize|top|archive-path|extract-to-dir|export|copy)/.test(e.Action)) return [];
      if (e.Action === 'commit') return ['containers', 'images'];
      return ['containers'];
    case 'image':
      return /^(push|save)$/.test(e.Action) ? [] : ['images'];
    case 'volume':
      return /^(create|destroy|prune)$/.test(e.Action) ? ['volumes'] : [];
    case 'network':
      if (/^(connect|disconnect)$/.test(e.Action)) return ['containers'];
      return /^(create|destroy|remove|prune)$/.test(e.Action) ? ['networks'] : [];
    case 'daemon':
      return ['images', 'containers', 'volumes', 'networks'];
    default:
      return [];
  }
}

/** One cached list: concurrent readers share a fetch, and a fetch overtaken by a newer one is discarded. */
class Cached<T> {
  private value: T | undefined;
  private inflight: Promise<T> | undefined;
  private version = 0;
  constructor(private readonly load: () => Promise<T>) {}

  get loaded(): boolean {
    return this.value !== undefined;
  }
  peek(): T | undefined {
    return this.value;
  }
  get(): Promise<T> {
    if (this.value !== undefined) return Promise.resolve(this.value);
    return this.inflight ?? this.reload();
  }
  reload(): Promise<T> {
    const v = ++this.version;
    const p = this.load().then(
      (value) => {
        if (v === this.version) {
          this.value = value;
          this.inflight = undefined;
        }
        return v === this.version ? value : this.get();
      },
      (err) => {
        if (v === this.version) this.inflight = undefined;
        throw err;
      },
    );
    this.inflight = p;
    return p;
  }
  clear(): void {
    this.version++;
    this.value = this.inflight = undefined;
  }
}

/** Key → fingerprint of what a view shows, to tell what changed between two reads. */
function diff(before: Map<string, string> | undefined, after: Map<string, string>): { structural: boolean; changed: string[] } {
  if (!before) return { structural: true, changed: [] };
  const a = [...before.keys()];
  const b = [...after.keys()];
  const structural = a.length !== b.length || a.some((k, i) => k !== b[i]);
  const changed = b.filter((k) => before.has(k) && before.get(k) !== after.get(k));
  return { structural, changed };
}

export interface ExplorerStoreEvents {
  change: [StoreChange];
  error: [kind: ResourceKind, error: Error];
}

export class ExplorerStore extends EventEmitter<ExplorerStoreEvents> {
  private readonly images = new Cached<ImageListing>(() => fetchImages(this.watcher.api));
  private readonly containersRaw = new Cached<ApiContainerSummary[]>(() => fetchContainers(this.watcher.api));
  private readonly volumesRaw = new Cached<ApiVolume[]>(() => fetchVolumes(this.watcher.api));
  private readonly networksRaw = new Cached<ApiNetwork[]>(() => fetchNetworks(this.watcher.api));
  private readonly layerCache = new Map<string, Promise<Layer[]>>();
  /** Image ID → what its layers hold. IDs are content addresses, so entries never go stale; only a few are kept. */
  private readonly filesCache = new Map<string, Promise<ImageFiles>>();
  private readonly filesDone = new Map<string, ImageFiles>();
  private readonly layerIndex = new LayerIndex();
  private readonly shown = new Map<ResourceKind, Map<string, string>>();
  private readonly onState = (s: DaemonState) => this.stateChanged(s);
  private readonly onBatch = (events: DockerEvent[]) => void this.applyEvents(events);

  constructor(readonly watcher: DaemonWatcher) {
    super();
    watcher.on('state', this.onState);
    watcher.on('batch', this.onBatch);
  }

  dispose(): void {
    this.watcher.off('state', this.onState);
    this.watcher.off('batch', this.onBatch);
    this.removeAllListeners();
  }

  get up(): boolean {
    return this.watcher.state === 'up';
  }

  async imageListing(): Promise<ImageListing> {
    const listing = await this.images.get();
    this.remember('images', listing);
    return listing;
  }

  async containers(): Promise<ContainerItem[]> {
    const items = shapeContainers(await this.containersRaw.get());
    this.remember('containers', items);
    return items;
  }

  async volumes(): Promise<VolumeItem[]> {
    const [volumes, containers] = await Promise.all([this.volumesRaw.get(), this.containersRaw.get()]);
    const items = shapeVolumes(volumes, shapeContainers(containers));
    this.remember('volumes', items);
    return items;
  }

  async networks(): Promise<NetworkItem[]> {
    const [networks, containers] = await Promise.all([this.networksRaw.get(), this.containersRaw.get()]);
    const items = shapeNetworks(networks, shapeContainers(containers));
    this.remember('networks', items);
    return items;
  }

  /** An image's layers, read when first asked for and kept until the set of local images changes. */
  layers(imageId: string): Promise<Layer[]> {
    let p = this.layerCache.get(imageId);
    if (!p) {
      p = this.images.get().then((listing) => fetchLayers(this.watcher.api, imageId, imageRefs(listing), this.layerIndex));
      p.catch(() => this.layerCache.delete(imageId));
      this.layerCache.set(imageId, p);
    }
    return p;
  }

  /** What each layer of an image holds, from its archive; read once per image, the last few kept. */
  imageFiles(imageId: string, signal?: AbortSignal): Promise<ImageFiles> {
    let p = this.filesCache.get(imageId);
    if (!p) {
      p = fetchImageFiles(this.watcher.api, imageId, signal);
      this.filesCache.set(imageId, p);
      p.then(
        (files) => this.filesDone.set(imageId, files),
        () => this.filesCache.delete(imageId),
      );
      while (this.filesCache.size > 4) {
        const oldest = this.filesCache.keys().next().value!;
        this.filesCache.delete(oldest);
        this.filesDone.delete(oldest);
      }
    }
    return p;
  }

  /** An image's file analysis if it was already read. */
  peekImageFiles(imageId: string): ImageFiles | undefined {
    return this.filesDone.get(imageId);
  }

  /** Forgets everything and tells every view to redraw (the Refresh command). */
  refreshAll(): void {
    this.clear();
    for (const kind of RESOURCE_KINDS) this.emit('change', { kind, structural: true, changed: [] });
  }

  private clear(): void {
    for (const c of [this.images, this.containersRaw, this.volumesRaw, this.networksRaw]) c.clear();
    this.layerCache.clear();
    this.shown.clear();
  }

  private stateChanged(state: DaemonState): void {
    if (state === 'connecting') return;
    // Up again after a gap, or down: whatever was read before can no longer be trusted.
    this.refreshAll();
  }

  /** Re-reads what the events touched (only lists someone has read) and reports what changed. */
  async applyEvents(events: DockerEvent[]): Promise<void> {
    const raw = new Set<Raw>();
    for (const e of events) for (const k of kindsForEvent(e)) raw.add(k);
    if (!raw.size || !this.up) return;
    const reloads: Promise<unknown>[] = [];
    const reload = <T>(c: Cached<T>) => {
      if (c.loaded) reloads.push(c.reload());
      else c.clear();
    };
    if (raw.has('images')) {
      reload(this.images);
      this.layerCache.clear();
    }
    if (raw.has('containers')) reload(this.containersRaw);
    if (raw.has('volumes')) reload(this.volumesRaw);
    if (raw.has('networks')) reload(this.networksRaw);
    try {
      await Promise.all(reloads);
    } catch (e) {
      // The watcher notices a daemon that went away; a single failed read just leaves the lists to re-read later.
      this.clear();
      for (const kind of RESOURCE_KINDS) this.emit('error', kind, e as Error);
      return;
    }
    const affected = new Set<ResourceKind>();
    if (raw.has('images')) affected.add('images');
    if (raw.has('containers')) ['containers', 'volumes', 'networks'].forEach((k) => affected.add(k as ResourceKind));
    if (raw.has('volumes')) affected.add('volumes');
    if (raw.has('networks')) affected.add('networks');
    for (const kind of affected) await this.report(kind);
  }

  private async report(kind: ResourceKind): Promise<void> {
    const before = this.shown.get(kind);
    if (!before) return; // nobody has looked at this list yet
    let after: Map<string, string>;
    switch (kind) {
      case 'images':
        after = fingerprints('images', await this.images.get());
        break;
      case 'containers':
        after = fingerprints('containers', shapeContainers(await this.containersRaw.get()));
        break;
      case 'volumes':
        after = fingerprints('volumes', shapeVolumes(await this.volumesRaw.get(), shapeContainers(await this.containersRaw.get())));
        break;
      case 'networks':
        after = fingerprints('networks', shapeNetworks(await this.networksRaw.get(), shapeContainers(await this.containersRaw.get())));
        break;
    }
    const d = diff(before, after);
    if (!d.structural && !d.changed.length) return;
    this.shown.set(kind, after);
    this.emit('change', { kind, ...d });
  }

  private remember(kind: ResourceKind, data: ImageListing | ContainerItem[] | VolumeItem[] | NetworkItem[]): void {
    this.shown.set(kind, fingerprints(kind, data));
  }
}

/** Keys in display order, each with a fingerprint of what is shown for it. */
export function fingerprints(kind: ResourceKind, data: ImageListing | ContainerItem[] | VolumeItem[] | NetworkItem[]): Map<string, string> {
  const m = new Map<string, string>();
  if (kind === 'images') {
    const listing = data as ImageListing;
    for (const g of listing.groups) m.set(`repo:${g.repository}`, JSON.stringify(g.tags.map((t) => [t.ref, t.id, t.size])));
    if (listing.dangling.length) m.set('dangling', JSON.stringify(listing.dangling.map((t) => t.id)));
  } else if (kind === 'containers') {
    for (const c of data as ContainerItem[]) m.set(c.id, JSON.stringify([c.name, c.state, c.status.replace(/\d+ \w+( ago)?|About an? \w+( ago)?|Less than a second( ago)?/g, ''), c.ports, c.mounts, c.networks, c.compose?.project]));
  } else if (kind === 'volumes') {
    for (const v of data as VolumeItem[]) m.set(v.name, JSON.stringify([v.driver, v.usedBy]));
  } else {
    for (const n of data as NetworkItem[]) m.set(n.id, JSON.stringify([n.name, n.internal, n.containers]));
  }
  return m;
}
