/**
 * The Docker explorer: four tree views in their own activity-bar container, a status bar item with the daemon's
 * state, and the actions on Docker objects. It listens to the one DaemonWatcher the extension shares.
 */
import * as vscode from 'vscode';
import { EndpointError, resolveEndpoint } from '../docker/connection';
import { DaemonState, DaemonWatcher } from '../docker/daemonWatcher';
import { ExplorerStore, ResourceKind } from '../docker/explorerStore';
import { ExplorerActions, INSPECT_SCHEME, InspectDocuments } from './actions';
import { ContainersTree, ExplorerNode, ImagesTree, NetworksTree, ResourceTree, treeItem, VolumesTree } from './trees';

export const VIEW_IDS: Record<ResourceKind, string> = {
  images: 'dockwise.images',
  containers: 'dockwise.containers',
  volumes: 'dockwise.volumes',
  networks: 'dockwise.networks',
};

/** Resolves the daemon address from the `dockwise.dockerHost` setting; an invalid setting falls back with a warning. */
export function endpointFromSettings(log?: vscode.LogOutputChannel) {
  const setting = vscode.workspace.getConfiguration('dockwise').get<string>('dockerHost') ?? '';
  try {
    return resolveEndpoint({ setting });
  } catch (e) {
    if (!(e instanceof EndpointError)) throw e;
    log?.warn(`dockwise.dockerHost: ${e.message}; using DOCKER_HOST or the Docker context instead`);
    void vscode.window.showWarningMessage(`dockwise.dockerHost is not a Docker address (${e.message}).`);
    try {
      return resolveEndpoint({});
    } catch {
      return resolveEndpoint({ env: {} });
    }
  }
}

/** The one watcher the extension shares; call `start()` (registerExplorer does) and dispose it with the extension. */
export function createDaemonWatcher(log?: vscode.LogOutputChannel): DaemonWatcher {
  return new DaemonWatcher({ endpoint: endpointFromSettings(log), log: (m) => log?.info(m) });
}

export interface SnapshotNode {
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  children?: SnapshotNode[];
}

export interface ExplorerSnapshot {
  state: DaemonState;
  endpoint: string;
  version?: string;
  views: Partial<Record<ResourceKind, SnapshotNode[]>>;
}

async function snapshotOf(tree: ResourceTree, depth: number, element?: ExplorerNode): Promise<SnapshotNode[]> {
  const children = await tree.getChildren(element);
  return Promise.all(
    children.map(async (child) => {
      const item = treeItem(child);
      const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
      const node: SnapshotNode = { label: String(typeof item.label === 'string' ? item.label : item.label?.label), description: item.description as string | undefined, tooltip, contextValue: item.contextValue };
      if (depth > 1 && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) node.children = await snapshotOf(tree, depth - 1, child);
      return node;
    }),
  );
}

export function registerExplorer(context: vscode.ExtensionContext, watcher: DaemonWatcher, log: vscode.LogOutputChannel): void {
  const store = new ExplorerStore(watcher);
  const trees: Record<ResourceKind, ResourceTree> = {
    images: new ImagesTree(store),
    containers: new ContainersTree(store),
    volumes: new VolumesTree(store),
    networks: new NetworksTree(store),
  };
  const views = (Object.keys(trees) as ResourceKind[]).map((kind) =>
    vscode.window.createTreeView(VIEW_IDS[kind], { treeDataProvider: trees[kind], showCollapseAll: kind !== 'volumes' }),
  );
  const actions = new ExplorerActions(watcher, log);

  const status = vscode.window.createStatusBarItem('dockwise.docker', vscode.StatusBarAlignment.Left, 10);
  status.name = 'Docker daemon';
  status.command = 'dockwise.explorer.focus';

  const showState = () => {
    const state = watcher.state;
    void vscode.commands.executeCommand('setContext', 'dockwise.docker.state', state);
    const where = watcher.endpoint.description;
    // Which daemon, on the first view only: the others would repeat it.
    views.forEach((v, i) => (v.description = state === 'up' ? (i === 0 ? shortWhere(watcher) : undefined) : state === 'connecting' ? 'connecting…' : 'not running'));
    if (state === 'up') {
      status.text = `$(vm-active) Docker ${watcher.version?.Version ?? ''}`.trimEnd();
      status.tooltip = `Docker ${watcher.version?.Version ?? ''} (API ${watcher.version?.ApiVersion ?? '?'}) at ${where}. Click to open the Docker explorer.`;
      status.backgroundColor = undefined;
    } else if (state === 'connecting') {
      status.text = '$(sync~spin) Docker';
      status.tooltip = `Connecting to ${where}…`;
      status.backgroundColor = undefined;
    } else {
      status.text = '$(vm-outline) Docker: not running';
      status.tooltip = `No Docker daemon at ${where}${watcher.lastError ? `: ${watcher.lastError}` : ''}. Click for help.`;
      status.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    status.show();
  };
  watcher.on('state', showState);
  showState();

  context.subscriptions.push(
    ...views,
    ...Object.values(trees),
    actions,
    status,
    { dispose: () => watcher.off('state', showState) },
    { dispose: () => store.dispose() },
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new InspectDocuments(watcher)),
    ...actions.register(),
    vscode.commands.registerCommand('dockwise.explorer.refresh', () => store.refreshAll()),
    vscode.commands.registerCommand('dockwise.explorer.retry', () => watcher.retryNow()),
    vscode.commands.registerCommand('dockwise.explorer.focus', () => vscode.commands.executeCommand(`${VIEW_IDS.images}.focus`)),
    vscode.commands.registerCommand('dockwise.explorer.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', 'dockwise.dockerHost')),
    // Reads the trees exactly as the views do, for tests and for anyone scripting the explorer.
    vscode.commands.registerCommand('dockwise.explorer.snapshot', async (opts?: { depth?: number; views?: ResourceKind[] }): Promise<ExplorerSnapshot> => {
      const depth = Math.max(1, Math.min(opts?.depth ?? 1, 4));
      const kinds = opts?.views ?? (Object.keys(trees) as ResourceKind[]);
      const out: ExplorerSnapshot = { state: watcher.state, endpoint: watcher.endpoint.description, version: watcher.version?.Version, views: {} };
      for (const kind of kinds) out.views[kind] = await snapshotOf(trees[kind], depth);
      return out;
    }),
    // Shows and expands the element found by following labels from the root, e.g. ('images', ['dockwise-test/layered', '1.0']).
    vscode.commands.registerCommand('dockwise.explorer.reveal', async (kind: ResourceKind, labels: string[]): Promise<boolean> => {
      const tree = trees[kind];
      const view = views[(Object.keys(trees) as ResourceKind[]).indexOf(kind)];
      if (!tree || !view || !Array.isArray(labels)) return false;
      let element: ExplorerNode | undefined;
      for (const label of labels) {
        const children = await tree.getChildren(element);
        element = children.find((c) => treeItem(c).label === label);
        if (!element) return false;
      }
      if (element) await view.reveal(element, { expand: true, focus: false, select: true });
      return true;
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('dockwise.dockerHost')) watcher.setEndpoint(endpointFromSettings(log));
    }),
  );
  watcher.start();
}

/** A short "which daemon" for the view description: where the address came from, and the address. */
function shortWhere(watcher: DaemonWatcher): string {
  const ep = watcher.endpoint;
  const source = ep.source === 'env' ? 'DOCKER_HOST' : ep.source === 'context' ? `context ${ep.contextName}` : ep.source === 'setting' ? 'setting' : 'default';
  return `${source} · ${ep.host.replace(/^unix:\/\//, '')}`;
}
