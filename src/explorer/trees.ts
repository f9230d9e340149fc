/**
 * The four tree views (images, containers, volumes, networks) over the ExplorerStore. Elements are kept per key and
 * updated in place: after each batch of daemon events a view re-reads its (cached) lists, refreshes the data its
 * elements carry, and redraws exactly the elements whose content changed — a list that changed shape redraws from
 * its root. Nothing is read from the daemon until a view asks; an image's layers when it is expanded, what a layer
 * holds when the layer is, and a container's stats while it is expanded.
 */
import * as vscode from 'vscode';
import { DaemonCallError } from '../docker/api';
import { ComposeProject, composeProjects } from '../docker/compose';
import { ExplorerStore, ResourceKind, StoreChange } from '../docker/explorerStore';
import { ChangeDir, changeTree, FileChange, ImageFiles } from '../docker/layerFiles';
import { codeBlock, escapeMarkdown as esc, inlineCode } from '../language/markdown';
import {
  ContainerItem,
  formatAge,
  formatBytes,
  ImageGroup,
  ImageTag,
  Layer,
  NetworkItem,
  shorten,
  shortId,
  VolumeItem,
} from '../docker/model';
import { ContainerStats, StatsStream } from '../docker/stats';
import { findLayerSources, LayerSource } from './layerSource';

export type PublishedPort = ContainerItem['published'][number];

export type ExplorerNode =
  | { type: 'repository'; key: string; group: ImageGroup }
  | { type: 'danglingImages'; key: string; images: ImageTag[] }
  | { type: 'image'; key: string; image: ImageTag; wastedBytes?: number }
  | { type: 'wasted'; key: string; image: ImageTag; files?: ImageFiles; layers?: Layer[] }
  | { type: 'layer'; key: string; layer: Layer; total: number; image: ImageTag; fsIndex?: number; source?: LayerSource }
  | { type: 'layerDir'; key: string; image: ImageTag; fsIndex: number; dir: ChangeDir }
  | { type: 'layerFile'; key: string; change: FileChange }
  | { type: 'composeProject'; key: string; project: ComposeProject }
  | { type: 'container'; key: string; container: ContainerItem }
  | { type: 'stats'; key: string; containerId: string; stats?: ContainerStats; note?: string }
  | { type: 'port'; key: string; container: ContainerItem; port: PublishedPort }
  | { type: 'volume'; key: string; volume: VolumeItem }
  | { type: 'network'; key: string; network: NetworkItem }
  | { type: 'detail'; key: string; label: string; description?: string; tooltip?: string; icon: string; contextValue?: string; resourceId?: string; copy?: string }
  | { type: 'message'; key: string; label: string; tooltip?: string };

/** The Docker ID (or name) an action works on, for nodes that stand for a daemon object. */
export function resourceOf(node: ExplorerNode): { kind: 'image' | 'container' | 'volume' | 'network'; id: string; label: string } | undefined {
  switch (node.type) {
    case 'image':
      return { kind: 'image', id: node.image.id, label: node.image.ref };
    case 'container':
      return { kind: 'container', id: node.container.id, label: node.container.name };
    case 'port':
      return { kind: 'container', id: node.container.id, label: node.container.name };
    case 'volume':
      return { kind: 'volume', id: node.volume.name, label: node.volume.name };
    case 'network':
      return { kind: 'network', id: node.network.id, label: node.network.name };
    default:
      return undefined;
  }
}

/** What VS Code last drew for an element: kept so tests can check the view, not the data behind it. */
export interface RenderedItem {
  label: string;
  description?: string;
  contextValue?: string;
  tooltip?: string;
}

/** What an element shows and carries, to tell whether it must be redrawn; a layer's file lists never change. */
function fingerprint(node: ExplorerNode): string {
  return JSON.stringify(node, (k, v) => (k === 'files' || k === 'dir' || k === 'layers' ? undefined : v));
}

export abstract class ResourceTree implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  protected readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Elements by key, reused across reads so VS Code can redraw one of them. */
  protected readonly nodes = new Map<string, ExplorerNode>();
  private readonly parents = new Map<string, ExplorerNode | undefined>();
  readonly rendered = new Map<string, RenderedItem>();
  private readonly listener = (c: StoreChange) => void this.onStoreChange(c);
  private readonly errorListener = (k: ResourceKind) => k === this.kind && this.changed.fire(undefined);
  /** Serialises updates so two batches never interleave their re-reads. */
  private updating: Promise<void> = Promise.resolve();

  constructor(
    protected readonly store: ExplorerStore,
    readonly kind: ResourceKind,
  ) {
    store.on('change', this.listener);
    store.on('error', this.errorListener);
  }

  dispose(): void {
    this.store.off('change', this.listener);
    this.store.off('error', this.errorListener);
    this.changed.dispose();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  private onStoreChange(c: StoreChange): Promise<void> {
    if (c.kind !== this.kind) return Promise.resolve();
    this.updating = this.updating.then(() => this.update(c.structural));
    return this.updating;
  }

  /**
   * Refreshes the data of the elements shown (from the store's cache, no daemon call) and redraws those whose
   * content changed. An element redrawn with the data it had when first listed would show the old state.
   */
  private async update(structural: boolean): Promise<void> {
    if (structural) return this.changed.fire(undefined);
    const before = new Map<string, string>();
    for (const [key, node] of this.nodes) before.set(key, fingerprint(node));
    try {
      await this.reread();
    } catch {
      return this.changed.fire(undefined);
    }
    for (const [key, node] of this.nodes) {
      const was = before.get(key);
      if (was !== undefined && was !== fingerprint(node)) this.changed.fire(node);
    }
  }

  /** Re-lists the root and the groups under it, which re-interns their elements with fresh data. */
  protected async reread(): Promise<void> {
    for (const root of await this.children(undefined)) if (this.isGroup(root)) await this.children(root);
  }

  protected isGroup(_node: ExplorerNode): boolean {
    return false;
  }

  protected intern<T extends ExplorerNode>(node: T): T {
    const existing = this.nodes.get(node.key);
    if (existing && existing.type === node.type) {
      Object.assign(existing, node);
      return existing as T;
    }
    this.nodes.set(node.key, node);
    return node;
  }

  async getChildren(element?: ExplorerNode): Promise<ExplorerNode[]> {
    // Down or connecting: no elements, so the view shows its welcome content.
    if (!this.store.up) return [];
    try {
      const children = await this.children(element);
      for (const c of children) this.parents.set(c.key, element);
      return children;
    } catch (e) {
      const err = e as DaemonCallError;
      if (!this.store.up) return [];
      return [{ type: 'message', key: `error:${element?.key ?? ''}`, label: err.timedOut ? 'The Docker daemon is not answering' : `Could not read from Docker: ${err.message}`, tooltip: err.message }];
    }
  }

  protected abstract children(element?: ExplorerNode): Promise<ExplorerNode[]>;

  /** Needed by TreeView.reveal: the element each one was last listed under. */
  getParent(element: ExplorerNode): ExplorerNode | undefined {
    return this.parents.get(element.key);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const item = treeItem(node);
    const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
    this.rendered.set(node.key, { label: String(typeof item.label === 'string' ? item.label : item.label?.label), description: item.description as string | undefined, contextValue: item.contextValue, tooltip });
    return item;
  }

  /** The element with this key, as last listed. */
  node(key: string): ExplorerNode | undefined {
    return this.nodes.get(key);
  }
}

export class ImagesTree extends ResourceTree {
  constructor(store: ExplorerStore) {
    super(store, 'images');
  }

  protected override isGroup(node: ExplorerNode): boolean {
    return node.type === 'repository' || node.type === 'danglingImages';
  }

  protected async children(element?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!element) {
      const listing = await this.store.imageListing();
      const roots: ExplorerNode[] = listing.groups.map((group) => this.intern({ type: 'repository', key: `repo:${group.repository}`, group }));
      if (listing.dangling.length) roots.push(this.intern({ type: 'danglingImages', key: 'dangling', images: listing.dangling }));
      return roots;
    }
    switch (element.type) {
      case 'repository':
        return element.group.tags.map((image) => this.imageNode(`image:${image.ref}`, image));
      case 'danglingImages':
        return element.images.map((image) => this.imageNode(`image:${image.id}`, image));
      case 'image':
        return this.imageChildren(element);
      case 'wasted':
        return this.wastedChildren(element);
      case 'layer':
        return this.layerChildren(element.image, element.fsIndex, element.key);
      case 'layerDir':
        return this.dirChildren(element.image, element.fsIndex, element.dir, element.key);
      default:
        return [];
    }
  }

  private imageNode(key: string, image: ImageTag): ExplorerNode {
    return this.intern({ type: 'image', key, image, wastedBytes: this.store.peekImageFiles(image.id)?.wastedBytes });
  }

  private async imageChildren(element: Extract<ExplorerNode, { type: 'image' }>): Promise<ExplorerNode[]> {
    const layers = await this.store.layers(element.image.id);
    const sources = findLayerSources(layers);
    let fs = 0;
    const layerNodes = layers.map((layer, i) =>
      this.intern({ type: 'layer', key: `layer:${element.image.ref}:${layer.index}`, layer, total: layers.length, image: element.image, fsIndex: layer.empty ? undefined : fs++, source: sources?.[i] }),
    );
    const files = this.store.peekImageFiles(element.image.id);
    const wasted = this.intern({ type: 'wasted', key: `wasted:${element.image.ref}`, image: element.image, files, layers });
    return [wasted, ...layerNodes];
  }

  /** Reads the image's archive once (with progress in the view) and redraws the image and its summary row. */
  private async files(image: ImageTag): Promise<ImageFiles> {
    const known = this.store.peekImageFiles(image.id);
    if (known) return known;
    // Docker prepares the whole archive before sending it: seconds for a large image, so it can be cancelled.
    const files = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading the layers of ${image.ref} from its archive (docker save)…`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return this.store.imageFiles(image.id, abort.signal);
      },
    );
    for (const node of this.nodes.values()) {
      if ((node.type === 'image' || node.type === 'wasted') && node.image.id === image.id) {
        if (node.type === 'image') node.wastedBytes = files.wastedBytes;
        else node.files = files;
        this.changed.fire(node);
      }
    }
    return files;
  }

  private async wastedChildren(element: Extract<ExplorerNode, { type: 'wasted' }>): Promise<ExplorerNode[]> {
    const files = await this.files(element.image);
    const layers = element.layers ?? (await this.store.layers(element.image.id));
    const fsLayers = layers.filter((l) => !l.empty);
    if (!files.wasted.length) return [{ type: 'detail', key: `${element.key}:none`, label: 'No layer deletes or overwrites what a layer below it stored', icon: 'pass', description: formatBytes(files.totalBytes) }];
    const shown = files.wasted.slice(0, 100);
    const rows: ExplorerNode[] = shown.map((w, i) => ({
      type: 'detail',
      key: `${element.key}:${i}`,
      label: '/' + w.path,
      description: `${formatBytes(w.bytes)} ${w.how} by layer ${(fsLayers[w.layer]?.index ?? w.layer) + 1}`,
      tooltip: `${formatBytes(w.bytes)} stored below, ${w.how} by ${shorten(fsLayers[w.layer]?.instruction ?? `layer ${w.layer + 1}`, 120)}. The bytes still ship with the image.`,
      icon: w.how === 'deleted' ? 'diff-removed' : 'diff-modified',
    }));
    if (files.wasted.length > shown.length) rows.push({ type: 'detail', key: `${element.key}:more`, label: `… and ${files.wasted.length - shown.length} more`, icon: 'ellipsis' });
    return rows;
  }

  private async layerChildren(image: ImageTag, fsIndex: number | undefined, key: string): Promise<ExplorerNode[]> {
    if (fsIndex === undefined) return [];
    const files = await this.files(image);
    const layer = files.layers[fsIndex];
    if (!layer) return [{ type: 'message', key: `${key}:missing`, label: 'This layer is not in the image archive' }];
    if (layer.unreadable) return [{ type: 'message', key: `${key}:unreadable`, label: `Cannot list this layer: ${layer.unreadable}` }];
    if (!layer.changes.length) return [{ type: 'detail', key: `${key}:empty`, label: 'No files', icon: 'info' }];
    return this.dirChildren(image, fsIndex, changeTree(layer), key);
  }

  private dirChildren(image: ImageTag, fsIndex: number, dir: ChangeDir, key: string): ExplorerNode[] {
    const dirs = [...dir.dirs.values()].sort((a, b) => a.name.localeCompare(b.name));
    const files = [...dir.files].sort((a, b) => a.path.localeCompare(b.path));
    const out: ExplorerNode[] = dirs.map((d) => this.intern({ type: 'layerDir', key: `${key}/${d.name}`, image, fsIndex, dir: d }));
    for (const f of files.slice(0, 2000)) out.push({ type: 'layerFile', key: `${key}/${f.path.slice(f.path.lastIndexOf('/') + 1)}`, change: f });
    if (files.length > 2000) out.push({ type: 'detail', key: `${key}/…`, label: `… and ${files.length - 2000} more files`, icon: 'ellipsis' });
    return out;
  }
}

export class ContainersTree extends ResourceTree {
  private readonly streams = new Map<string, StatsStream>();

  constructor(store: ExplorerStore) {
    super(store, 'containers');
  }

  override dispose(): void {
    this.stopAllStats();
    super.dispose();
  }

  protected override isGroup(node: ExplorerNode): boolean {
    return node.type === 'composeProject';
  }

  protected async children(element?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!element) {
      const containers = await this.store.containers();
      const projects = composeProjects(containers).map((project) => this.intern({ type: 'composeProject', key: `project:${project.name}`, project }));
      const loose = containers.filter((c) => !c.compose).map((container) => this.containerNode(container));
      return [...projects, ...loose];
    }
    if (element.type === 'composeProject') return element.project.containers.map((c) => this.containerNode(c));
    if (element.type !== 'container') return [];
    const c = element.container;
    const details: ExplorerNode[] = [];
    if (c.running) details.push(this.intern({ type: 'stats', key: `${element.key}:stats`, containerId: c.id, stats: this.streams.get(c.id)?.last, note: this.streams.has(c.id) ? undefined : 'expand to follow' }));
    for (const port of c.published) details.push(this.intern({ type: 'port', key: `${element.key}:port:${port.ip ?? ''}:${port.hostPort}:${port.protocol}`, container: c, port }));
    for (const m of c.mounts) {
      details.push({
        type: 'detail',
        key: `${element.key}:mount:${m.destination}`,
        label: m.destination,
        description: `${m.type === 'volume' ? `volume ${m.name ?? ''}` : m.type === 'bind' ? `bind ${m.source ?? ''}` : m.type}${m.rw ? '' : ' (read-only)'}`,
        tooltip: `${m.type} mount${m.source ? ` from ${m.source}` : ''} at ${m.destination}`,
        icon: m.type === 'volume' ? 'database' : 'folder',
      });
    }
    for (const n of c.networks) {
      details.push({
        type: 'detail',
        key: `${element.key}:net:${n.name}`,
        label: n.name,
        description: n.ipAddress ?? 'no address',
        tooltip: `network ${n.name}${n.ipAddress ? `: ${c.name} is ${n.ipAddress} there` : ''}`,
        icon: 'type-hierarchy',
        contextValue: n.ipAddress ? 'dockwise.address' : undefined,
        copy: n.ipAddress,
      });
    }
    if (!details.length) details.push({ type: 'detail', key: `${element.key}:none`, label: 'No mounts or networks', icon: 'info' });
    return details;
  }

  private containerNode(container: ContainerItem): ExplorerNode {
    const node = this.intern({ type: 'container', key: `container:${container.id}`, container });
    if (!container.running) this.stopStats(container.id);
    return node;
  }

  /** Follows the stats of an expanded running container, redrawing its stats row with each sample. */
  followStats(node: ExplorerNode): void {
    if (node.type !== 'container' || !node.container.running || this.streams.has(node.container.id)) return;
    const id = node.container.id;
    const stream = new StatsStream(this.store.watcher.api, id);
    this.streams.set(id, stream);
    const row = () => this.nodes.get(`${node.key}:stats`) as Extract<ExplorerNode, { type: 'stats' }> | undefined;
    stream.on('sample', (stats) => {
      const r = row();
      if (!r) return;
      r.stats = stats;
      r.note = undefined;
      this.changed.fire(r);
    });
    stream.on('end', (reason) => {
      if (this.streams.get(id) === stream) this.streams.delete(id);
      const r = row();
      if (r && reason !== 'stopped') {
        r.note = 'stats ended';
        this.changed.fire(r);
      }
    });
    void stream.start();
    const r = row();
    if (r && !r.stats) {
      r.note = 'reading…';
      this.changed.fire(r);
    }
  }

  stopStats(containerId: string): void {
    const s = this.streams.get(containerId);
    if (!s) return;
    this.streams.delete(containerId);
    s.stop();
  }

  stopAllStats(): void {
    for (const id of [...this.streams.keys()]) this.stopStats(id);
  }

  /** Containers whose stats are being followed (for tests and the benchmark). */
  get following(): string[] {
    return [...this.streams.keys()];
  }
}

export class VolumesTree extends ResourceTree {
  constructor(store: ExplorerStore) {
    super(store, 'volumes');
  }

  protected async children(element?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!element) return (await this.store.volumes()).map((volume) => this.intern({ type: 'volume', key: `volume:${volume.name}`, volume }));
    if (element.type !== 'volume') return [];
    const v = element.volume;
    if (!v.usedBy.length) return [{ type: 'detail', key: `${element.key}:unused`, label: 'Not used by any container', icon: 'info' }];
    return v.usedBy.map((name) => ({ type: 'detail' as const, key: `${element.key}:user:${name}`, label: name, description: 'uses this volume', icon: 'package' }));
  }
}

export class NetworksTree extends ResourceTree {
  constructor(store: ExplorerStore) {
    super(store, 'networks');
  }

  protected async children(element?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!element) return (await this.store.networks()).map((network) => this.intern({ type: 'network', key: `network:${network.id}`, network }));
    if (element.type !== 'network') return [];
    const n = element.network;
    if (!n.containers.length) return [{ type: 'detail', key: `${element.key}:empty`, label: 'No containers attached', icon: 'info' }];
    return n.containers.map((c) => ({ type: 'detail' as const, key: `${element.key}:c:${c.id}`, label: c.name, description: c.ipAddress ?? 'no address', icon: 'package', resourceId: c.id, contextValue: c.ipAddress ? 'dockwise.address' : undefined, copy: c.ipAddress }));
  }
}

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

const CHANGE_ICON: Record<FileChange['kind'], [string, string]> = {
  added: ['diff-added', 'gitDecoration.addedResourceForeground'],
  changed: ['diff-modified', 'gitDecoration.modifiedResourceForeground'],
  deleted: ['diff-removed', 'gitDecoration.deletedResourceForeground'],
};

/** "12 added · 3 changed · 1 deleted". */
function changeCounts(x: { added: number; changed: number; deleted: number }): string {
  return [x.added && `${x.added} added`, x.changed && `${x.changed} changed`, x.deleted && `${x.deleted} deleted`].filter(Boolean).join(' · ') || 'no changes';
}

export function containerState(c: ContainerItem): 'running' | 'paused' | 'restarting' | 'stopped' {
  return c.state === 'running' || c.state === 'paused' || c.state === 'restarting' ? c.state : 'stopped';
}

/** A published port's address as a browser would reach it from here. */
export function portUrl(port: PublishedPort): string {
  const host = !port.ip || port.ip === '0.0.0.0' || port.ip === '::' ? 'localhost' : port.ip.includes(':') ? `[${port.ip}]` : port.ip;
  return `http://${host}:${port.hostPort}/`;
}

/** How each element looks: label, description, tooltip, icon, and the context value menus match on. */
export function treeItem(node: ExplorerNode): vscode.TreeItem {
  const None = vscode.TreeItemCollapsibleState.None;
  const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  let item: vscode.TreeItem;
  switch (node.type) {
    case 'repository': {
      const g = node.group;
      item = new vscode.TreeItem(g.repository, Collapsed);
      item.description = g.tags.length === 1 ? g.tags[0].tag : `${g.tags.length} tags`;
      item.iconPath = icon('repo');
      item.contextValue = 'dockwise.repository';
      item.tooltip = `${g.repository}: ${g.tags.map((t) => t.tag).join(', ')}`;
      break;
    }
    case 'danglingImages':
      item = new vscode.TreeItem('Dangling images', Collapsed);
      item.description = `${node.images.length} untagged`;
      item.iconPath = icon('warning', 'list.warningForeground');
      item.contextValue = 'dockwise.danglingImages';
      item.tooltip = 'Images no tag points to any more, usually left behind by rebuilds. Prune them to free space.';
      break;
    case 'image': {
      const i = node.image;
      item = new vscode.TreeItem(i.repository === '<none>' ? shortId(i.id) : i.tag, Collapsed);
      item.description = [formatBytes(i.size), formatAge(i.created), node.wastedBytes ? `${formatBytes(node.wastedBytes)} wasted` : ''].filter(Boolean).join(' · ');
      item.iconPath = icon('file-binary');
      item.contextValue = 'dockwise.image';
      item.tooltip = new vscode.MarkdownString(
        `**${esc(i.ref)}**\n\nID \`${shortId(i.id)}\` · ${formatBytes(i.size)} · created ${formatAge(i.created)}${node.wastedBytes ? `\n\n${formatBytes(node.wastedBytes)} of its layers are files a later layer deletes or overwrites.` : ''}\n\nExpand to see the layers, base first.`,
      );
      break;
    }
    case 'wasted': {
      const f = node.files;
      item = new vscode.TreeItem('Wasted space', Collapsed);
      item.iconPath = icon(f ? (f.wastedBytes ? 'flame' : 'pass') : 'search');
      item.contextValue = 'dockwise.wasted';
      if (!f) {
        item.description = 'expand to read the layers';
        item.tooltip = 'Reads the image archive to find files a later layer deletes or overwrites: their bytes still ship in the layer that made them.';
      } else {
        item.description = f.wastedBytes ? `${formatBytes(f.wastedBytes)} in ${f.wasted.length} file${f.wasted.length === 1 ? '' : 's'}` : 'none';
        item.tooltip = new vscode.MarkdownString(
          `${formatBytes(f.wastedBytes)} of ${formatBytes(f.totalBytes)} stored in the layers is hidden by a later layer: deleted or overwritten, yet still downloaded and stored. Delete files in the same \`RUN\` that creates them.\n\n` +
            `dive's measure: ${formatBytes(f.dive.wastedBytes)} potential wasted space (every copy of ${f.dive.paths} path${f.dive.paths === 1 ? '' : 's'} found in more than one layer), efficiency ${(f.dive.efficiency * 100).toFixed(1)} %.`,
        );
      }
      break;
    }
    case 'layer': {
      const l = node.layer;
      item = new vscode.TreeItem(`${l.index + 1}. ${shorten(l.instruction)}`, l.empty ? None : Collapsed);
      const parts = l.empty ? ['empty (metadata only)'] : [formatBytes(l.size)];
      if (l.sharedWith.length) parts.push(`shared with ${l.sharedWith[0]}${l.sharedWith.length > 1 ? ` +${l.sharedWith.length - 1}` : ''}`);
      if (node.source) parts.push(`${node.source.uri.path.slice(node.source.uri.path.lastIndexOf('/') + 1)}:${node.source.line + 1}`);
      item.description = parts.join(' · ');
      item.iconPath = l.empty ? icon('symbol-property') : l.sharedWith.length ? icon('layers-active', 'charts.green') : icon('layers');
      item.contextValue = (l.empty ? 'dockwise.layer.empty' : 'dockwise.layer') + (node.source ? '.source' : '');
      const md = new vscode.MarkdownString();
      md.appendMarkdown(codeBlock(l.createdBy, 'dockerfile'));
      md.appendMarkdown(l.empty ? '\n\nA metadata-only step: it changes the image config, adds no files.' : `\n\n${formatBytes(l.size)} of files · \`${shortId(l.diffId ?? '')}\` · expand to see what it added, changed and deleted`);
      if (l.sharedWith.length) md.appendMarkdown(`\n\nShared with ${l.sharedWith.map(esc).join(', ')}: stored once on disk.`);
      if (node.source) md.appendMarkdown(`\n\nMade by line ${node.source.line + 1} of ${esc(vscode.workspace.asRelativePath(node.source.uri))}.`);
      if (l.comment) md.appendMarkdown(`\n\n${esc(l.comment)}`);
      item.tooltip = md;
      break;
    }
    case 'layerDir': {
      const d = node.dir;
      item = new vscode.TreeItem(d.name + '/', Collapsed);
      item.description = `${changeCounts(d)}${d.bytes ? ` · ${formatBytes(d.bytes)}` : ''}${d.own ? ` · folder ${d.own.kind}` : ''}`;
      item.iconPath = d.own ? icon(CHANGE_ICON[d.own.kind][0], CHANGE_ICON[d.own.kind][1]) : icon('folder');
      item.contextValue = 'dockwise.layerDir';
      item.tooltip = `/${d.path}: ${changeCounts(d)} in this layer${d.own?.kind === 'deleted' ? `; the folder itself is deleted, hiding ${formatBytes(d.own.hiddenBytes ?? 0)}` : ''}`;
      break;
    }
    case 'layerFile': {
      const c = node.change;
      item = new vscode.TreeItem(c.path.slice(c.path.lastIndexOf('/') + 1) + (c.type === 'dir' ? '/' : ''), None);
      item.description = c.kind === 'deleted' ? `deleted${c.hiddenBytes ? `, hides ${formatBytes(c.hiddenBytes)}` : ''}` : `${c.kind}${c.type === 'symlink' ? ` → ${c.linkTarget ?? ''}` : c.type === 'file' ? ` · ${formatBytes(c.size)}` : ''}`;
      item.iconPath = icon(CHANGE_ICON[c.kind][0], CHANGE_ICON[c.kind][1]);
      item.contextValue = `dockwise.layerFile.${c.kind}`;
      item.tooltip = `/${c.path}: ${c.kind} by this layer${c.kind === 'deleted' ? ` (a whiteout). The ${formatBytes(c.hiddenBytes ?? 0)} it hides still ship in the layer below.` : ''}`;
      break;
    }
    case 'composeProject': {
      const p = node.project;
      item = new vscode.TreeItem(p.name, Collapsed);
      item.description = `compose · ${p.running} of ${p.containers.length} running`;
      item.iconPath = icon('layers', p.running ? 'charts.green' : undefined);
      item.contextValue = 'dockwise.composeProject';
      item.tooltip = `Compose project ${p.name}${p.workingDir ? ` in ${p.workingDir}` : ''}${p.configFiles.length ? `\nfrom ${p.configFiles.join(', ')}` : ''}`;
      break;
    }
    case 'container': {
      const c = node.container;
      const state = containerState(c);
      item = new vscode.TreeItem(c.name, Collapsed);
      item.description = [c.compose?.service ? `service ${c.compose.service}` : '', c.status, c.image, c.ports.join(', ')].filter(Boolean).join(' · ');
      item.iconPath = state === 'running' ? icon('vm-running', 'charts.green') : state === 'paused' ? icon('debug-pause', 'charts.yellow') : state === 'restarting' ? icon('sync') : icon('vm-outline');
      item.contextValue = `dockwise.container.${state}${c.published.length ? '.published' : ''}`;
      item.tooltip = new vscode.MarkdownString(`**${esc(c.name)}** (\`${shortId(c.id)}\`)\n\n${esc(c.status)}\n\nimage ${inlineCode(c.image)}${c.ports.length ? `\n\nports ${esc(c.ports.join(', '))}` : ''}${c.compose ? `\n\ncompose project ${inlineCode(c.compose.project)}${c.compose.service ? `, service ${inlineCode(c.compose.service)}` : ''}` : ''}\n\ncreated ${formatAge(c.created)}`);
      break;
    }
    case 'stats': {
      const s = node.stats;
      item = new vscode.TreeItem(s ? `CPU ${s.cpuPercent.toFixed(1)} %` : 'CPU and memory', None);
      item.description = s ? `memory ${formatBytes(s.memoryBytes)}${s.memoryLimit ? ` of ${formatBytes(s.memoryLimit)} (${s.memoryPercent.toFixed(1)} %)` : ''}` : node.note;
      item.iconPath = icon('pulse');
      item.contextValue = 'dockwise.stats';
      item.tooltip = 'Live from the daemon\'s stats stream while the container is expanded, computed as docker stats does: CPU as a share of one core, memory without the page cache.';
      break;
    }
    case 'port': {
      const p = node.port;
      const url = portUrl(p);
      item = new vscode.TreeItem(`${url.replace(/^http:\/\//, '').replace(/\/$/, '')} → ${p.containerPort}/${p.protocol}`, None);
      item.description = p.protocol === 'tcp' ? 'published' : `published (${p.protocol})`;
      item.iconPath = icon('globe');
      item.contextValue = p.protocol === 'tcp' ? 'dockwise.port.tcp' : 'dockwise.port';
      item.tooltip = `Port ${p.containerPort}/${p.protocol} of ${node.container.name} is published on ${p.ip ?? '0.0.0.0'}:${p.hostPort}.`;
      break;
    }
    case 'volume': {
      const v = node.volume;
      item = new vscode.TreeItem(v.name.length > 40 ? shortId(v.name) : v.name, Collapsed);
      item.description = [v.driver, v.dangling ? 'dangling' : `used by ${v.usedBy.length}`].join(' · ');
      item.iconPath = v.dangling ? icon('database', 'list.warningForeground') : icon('database');
      item.contextValue = v.dangling ? 'dockwise.volume.dangling' : 'dockwise.volume';
      item.tooltip = `${v.name}\ndriver ${v.driver}\nmount point ${v.mountpoint}\n${v.dangling ? 'No container uses it.' : `Used by ${v.usedBy.join(', ')}`}`;
      break;
    }
    case 'network': {
      const n = node.network;
      item = new vscode.TreeItem(n.name, Collapsed);
      item.description = [n.driver, n.scope, n.internal ? 'internal' : '', `${n.containers.length} container${n.containers.length === 1 ? '' : 's'}`].filter(Boolean).join(' · ');
      item.iconPath = icon('type-hierarchy');
      item.contextValue = n.builtIn ? 'dockwise.network.builtin' : 'dockwise.network';
      item.tooltip = `${n.name} (${shortId(n.id)})\ndriver ${n.driver}, scope ${n.scope}${n.internal ? ', internal: no route outside' : ''}${n.subnets.length ? `\nsubnets ${n.subnets.join(', ')}` : ''}`;
      break;
    }
    case 'detail':
      item = new vscode.TreeItem(node.label, None);
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.iconPath = icon(node.icon);
      item.contextValue = node.contextValue ?? 'dockwise.detail';
      break;
    case 'message':
      item = new vscode.TreeItem(node.label, None);
      item.tooltip = node.tooltip;
      item.iconPath = icon('error', 'errorForeground');
      item.contextValue = 'dockwise.message';
      break;
  }
  item.id = node.key;
  return item;
}
