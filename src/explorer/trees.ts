/**
 * The four tree views (images, containers, volumes, networks) over the ExplorerStore. Elements are kept per key and
 * updated in place, so a change to one container redraws that container only; a list that changed shape redraws
 * from its root. Nothing is read from the daemon until a view asks, and an image's layers only when it is expanded.
 */
import * as vscode from 'vscode';
import { DaemonCallError } from '../docker/api';
import { ExplorerStore, ResourceKind, StoreChange } from '../docker/explorerStore';
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

export type ExplorerNode =
  | { type: 'repository'; key: string; group: ImageGroup }
  | { type: 'danglingImages'; key: string; images: ImageTag[] }
  | { type: 'image'; key: string; image: ImageTag }
  | { type: 'layer'; key: string; layer: Layer; total: number }
  | { type: 'container'; key: string; container: ContainerItem }
  | { type: 'volume'; key: string; volume: VolumeItem }
  | { type: 'network'; key: string; network: NetworkItem }
  | { type: 'detail'; key: string; label: string; description?: string; tooltip?: string; icon: string; contextValue?: string; resourceId?: string }
  | { type: 'message'; key: string; label: string; tooltip?: string };

/** The Docker ID (or name) an action works on, for nodes that stand for a daemon object. */
export function resourceOf(node: ExplorerNode): { kind: 'image' | 'container' | 'volume' | 'network'; id: string; label: string } | undefined {
  switch (node.type) {
    case 'image':
      return { kind: 'image', id: node.image.id, label: node.image.ref };
    case 'container':
      return { kind: 'container', id: node.container.id, label: node.container.name };
    case 'volume':
      return { kind: 'volume', id: node.volume.name, label: node.volume.name };
    case 'network':
      return { kind: 'network', id: node.network.id, label: node.network.name };
    default:
      return undefined;
  }
}

export abstract class ResourceTree implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Elements by key, reused across reads so VS Code can redraw one of them. */
  protected readonly nodes = new Map<string, ExplorerNode>();
  private readonly parents = new Map<string, ExplorerNode | undefined>();
  private readonly listener = (c: StoreChange) => this.onStoreChange(c);
  private readonly errorListener = (k: ResourceKind) => k === this.kind && this.changed.fire(undefined);

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

  private onStoreChange(c: StoreChange): void {
    if (c.kind !== this.kind) return;
    if (c.structural) return this.changed.fire(undefined);
    for (const key of c.changed) {
      const node = this.nodes.get(this.nodeKey(key));
      if (node) this.changed.fire(node);
      else return this.changed.fire(undefined);
    }
  }

  /** Maps a store key to this tree's element key. */
  protected nodeKey(storeKey: string): string {
    return storeKey;
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
    return treeItem(node);
  }
}

export class ImagesTree extends ResourceTree {
  constructor(store: ExplorerStore) {
    super(store, 'images');
  }

  protected override nodeKey(storeKey: string): string {
    return storeKey; // `repo:<name>` and `dangling` are the element keys too
  }

  protected async children(element?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!element) {
      const listing = await this.store.imageListing();
      const roots: ExplorerNode[] = listing.groups.map((group) => this.intern({ type: 'repository', key: `repo:${group.repository}`, group }));
      if (listing.dangling.length) roots.push(this.intern({ type: 'danglingImages', key: 'dangling', images: listing.dangling }));
      return roots;
    }
    if (element.type === 'repository') return element.group.tags.map((image) => this.intern({ type: 'image', key: `image:${image.ref}`, image }));
    if (element.type === 'danglingImages') return element.images.map((image) => this.intern({ type: 'image', key: `image:${image.id}`, image }));
    if (element.type === 'image') {
      const layers = await this.store.layers(element.image.id);
      return layers.map((layer) => this.intern({ type: 'layer', key: `layer:${element.image.ref}:${layer.index}`, layer, total: layers.length }));
    }
    return [];
  }
}

export class ContainersTree extends ResourceTree {
  constructor(store: ExplorerStore) {
    super(store, 'containers');
  }

  protected override nodeKey(storeKey: string): string {
    return `container:${storeKey}`;
  }

  protected async children(element?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!element) return (await this.store.containers()).map((container) => this.intern({ type: 'container', key: `container:${container.id}`, container }));
    if (element.type !== 'container') return [];
    const c = element.container;
    const details: ExplorerNode[] = [];
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
      details.push({ type: 'detail', key: `${element.key}:net:${n.name}`, label: n.name, description: n.ipAddress ?? 'no address', tooltip: `network ${n.name}`, icon: 'type-hierarchy' });
    }
    if (!details.length) details.push({ type: 'detail', key: `${element.key}:none`, label: 'No mounts or networks', icon: 'info' });
    return details;
  }
}

export class VolumesTree extends ResourceTree {
  constructor(store: ExplorerStore) {
    super(store, 'volumes');
  }

  protected override nodeKey(storeKey: string): string {
    return `volume:${storeKey}`;
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

  protected override nodeKey(storeKey: string): string {
    return `network:${storeKey}`;
  }

  protected async children(element?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!element) return (await this.store.networks()).map((network) => this.intern({ type: 'network', key: `network:${network.id}`, network }));
    if (element.type !== 'network') return [];
    const n = element.network;
    if (!n.containers.length) return [{ type: 'detail', key: `${element.key}:empty`, label: 'No containers attached', icon: 'info' }];
    return n.containers.map((c) => ({ type: 'detail' as const, key: `${element.key}:c:${c.id}`, label: c.name, description: c.ipAddress ?? 'no address', icon: 'package', resourceId: c.id }));
  }
}

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

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
      item.description = `${formatBytes(i.size)} · ${formatAge(i.created)}`;
      item.iconPath = icon('file-binary');
      item.contextValue = 'dockwise.image';
      item.tooltip = new vscode.MarkdownString(`**${esc(i.ref)}**\n\nID \`${shortId(i.id)}\` · ${formatBytes(i.size)} · created ${formatAge(i.created)}\n\nExpand to see the layers, base first.`);
      break;
    }
    case 'layer': {
      const l = node.layer;
      item = new vscode.TreeItem(`${l.index + 1}. ${shorten(l.instruction)}`, None);
      const parts = l.empty ? ['empty (metadata only)'] : [formatBytes(l.size)];
      if (l.sharedWith.length) parts.push(`shared with ${l.sharedWith[0]}${l.sharedWith.length > 1 ? ` +${l.sharedWith.length - 1}` : ''}`);
      item.description = parts.join(' · ');
      item.iconPath = l.empty ? icon('symbol-property') : l.sharedWith.length ? icon('layers-active', 'charts.green') : icon('layers');
      item.contextValue = l.empty ? 'dockwise.layer.empty' : 'dockwise.layer';
      const md = new vscode.MarkdownString();
      md.appendMarkdown(codeBlock(l.createdBy, 'dockerfile'));
      md.appendMarkdown(l.empty ? '\n\nA metadata-only step: it changes the image config, adds no files.' : `\n\n${formatBytes(l.size)} of files · \`${shortId(l.diffId ?? '')}\``);
      if (l.sharedWith.length) md.appendMarkdown(`\n\nShared with ${l.sharedWith.map(esc).join(', ')}: stored once on disk.`);
      if (l.comment) md.appendMarkdown(`\n\n${esc(l.comment)}`);
      item.tooltip = md;
      break;
    }
    case 'container': {
      const c = node.container;
      item = new vscode.TreeItem(c.name, Collapsed);
      item.description = [c.status, c.image, c.ports.join(', ')].filter(Boolean).join(' · ');
      item.iconPath = c.running ? icon('vm-running', 'charts.green') : c.state === 'paused' ? icon('debug-pause') : c.state === 'restarting' ? icon('sync') : icon('vm-outline');
      item.contextValue = c.running ? 'dockwise.container.running' : 'dockwise.container.stopped';
      item.tooltip = new vscode.MarkdownString(`**${esc(c.name)}** (\`${shortId(c.id)}\`)\n\n${esc(c.status)}\n\nimage ${inlineCode(c.image)}${c.ports.length ? `\n\nports ${esc(c.ports.join(', '))}` : ''}\n\ncreated ${formatAge(c.created)}`);
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
