/**
 * The Docker explorer: four tree views in their own activity-bar container, a status bar item with the daemon's
 * state, the daemon chooser, compose, and the actions on Docker objects. It listens to the one DaemonWatcher the
 * extension shares.
 */
import * as vscode from 'vscode';
import { EndpointError, resolveEndpoint } from '../docker/connection';
import { DaemonState, DaemonWatcher } from '../docker/daemonWatcher';
import { ExplorerStore, ResourceKind } from '../docker/explorerStore';
import { ExplorerActions, INSPECT_SCHEME, InspectDocuments } from './actions';
import { registerCompose } from './composeActions';
import { ChooseOptions, chooseDaemon, currentEndpoint, DaemonChoices } from './daemonChooser';
import { ContainersTree, ExplorerNode, ImagesTree, NetworksTree, RenderedItem, ResourceTree, treeItem, VolumesTree } from './trees';

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
  /** Why the daemon is down, when it is. */
  problem?: string;
  lastError?: string;
  version?: string;
  /** The remembered daemon choice, if any. */
  choice?: unknown;
  views: Partial<Record<ResourceKind, SnapshotNode[]>>;
  /** With `rendered: true`: what VS Code last drew for each element, by key. */
  rendered?: Partial<Record<ResourceKind, Record<string, RenderedItem>>>;
  /** Containers whose stats are followed. */
  followingStats?: string[];
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
  const choices = new DaemonChoices(context.globalState);
  // A daemon chosen earlier wins over what the setting and the environment say.
  if (choices.get()) watcher.setEndpoint(currentEndpoint(choices, log));
  const store = new ExplorerStore(watcher);
  const containersTree = new ContainersTree(store);
  const trees: Record<ResourceKind, ResourceTree> = {
    images: new ImagesTree(store),
    containers: containersTree,
    volumes: new VolumesTree(store),
    networks: new NetworksTree(store),
  };
  const views = (Object.keys(trees) as ResourceKind[]).map((kind) =>
    vscode.window.createTreeView(VIEW_IDS[kind], { treeDataProvider: trees[kind], showCollapseAll: kind !== 'volumes' }),
  );
  const containersView = views[1];
  const actions = new ExplorerActions(watcher, log);

  const status = vscode.window.createStatusBarItem('dockwise.docker', vscode.StatusBarAlignment.Left, 10);
  status.name = 'Docker daemon';

  const showState = () => {
    const state = watcher.state;
    void vscode.commands.executeCommand('setContext', 'dockwise.docker.state', state);
    void vscode.commands.executeCommand('setContext', 'dockwise.docker.problem', watcher.problem ?? '');
    const where = watcher.endpoint.description;
    const down = watcher.problem === 'frozen' ? 'not answering' : watcher.problem === 'denied' ? 'permission denied' : watcher.problem === 'config' ? 'TLS files missing' : 'not running';
    // Which daemon, on the first two views: the others would repeat it.
    views.forEach((v, i) => (v.description = state === 'up' ? (i < 2 ? shortWhere(watcher) : undefined) : state === 'connecting' ? 'connecting…' : down));
    if (state === 'up') {
      status.text = `$(vm-active) Docker ${watcher.version?.Version ?? ''}`.trimEnd();
      status.tooltip = `Docker ${watcher.version?.Version ?? ''} (API ${watcher.version?.ApiVersion ?? '?'}) at ${where}. Click to choose another daemon.`;
      status.backgroundColor = undefined;
      status.command = 'dockwise.explorer.chooseDaemon';
    } else if (state === 'connecting') {
      status.text = '$(sync~spin) Docker';
      status.tooltip = `Connecting to ${where}…`;
      status.backgroundColor = undefined;
      status.command = 'dockwise.explorer.focus';
    } else {
      status.text = `$(vm-outline) Docker: ${down}`;
      status.tooltip = `No Docker daemon at ${where}${watcher.lastError ? `: ${watcher.lastError}` : ''}. Click for help.`;
      status.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      status.command = 'dockwise.explorer.focus';
    }
    status.show();
    if (state !== 'up') containersTree.stopAllStats();
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
    vscode.commands.registerCommand('dockwise.explorer.chooseDaemon', (opts?: ChooseOptions) => chooseDaemon(choices, watcher, log, opts && typeof opts === 'object' ? opts : {})),
    // Older links name the picker by its first id.
    vscode.commands.registerCommand('dockwise.explorer.openSettings', () => chooseDaemon(choices, watcher, log)),
    ...registerCompose(watcher, log),
    containersView.onDidExpandElement((e) => containersTree.followStats(e.element)),
    containersView.onDidCollapseElement((e) => e.element.type === 'container' && containersTree.stopStats(e.element.container.id)),
    containersView.onDidChangeVisibility((e) => !e.visible && containersTree.stopAllStats()),
    // Reads the trees exactly as the views do, for tests and for anyone scripting the explorer. With `rendered`, it
    // reads nothing and returns what VS Code last drew instead.
    vscode.commands.registerCommand('dockwise.explorer.snapshot', async (opts?: { depth?: number; views?: ResourceKind[]; rendered?: boolean; under?: string[] }): Promise<ExplorerSnapshot> => {
      const depth = Math.max(1, Math.min(opts?.depth ?? 1, 6));
      const kinds = opts?.views ?? (Object.keys(trees) as ResourceKind[]);
      const out: ExplorerSnapshot = {
        state: watcher.state,
        endpoint: watcher.endpoint.description,
        problem: watcher.problem,
        lastError: watcher.lastError,
        version: watcher.version?.Version,
        choice: choices.get(),
        views: {},
        followingStats: containersTree.following,
      };
      if (opts?.rendered) {
        out.rendered = {};
        for (const kind of kinds) out.rendered[kind] = Object.fromEntries(trees[kind].rendered);
        return out;
      }
      for (const kind of kinds) {
        // `under`: start below the element these labels lead to, instead of the root.
        const start = opts?.under ? await follow(trees[kind], opts.under) : undefined;
        out.views[kind] = opts?.under && !start ? [] : await snapshotOf(trees[kind], depth, start);
      }
      return out;
    }),
    { dispose: () => containersTree.stopAllStats() },
    // Shows and expands the element found by following labels from the root, e.g. ('images', ['dockwise-test/layered', '1.0']),
    // and returns it (commands that act on tree elements accept it).
    vscode.commands.registerCommand('dockwise.explorer.reveal', async (kind: ResourceKind, labels: string[], opts?: { expand?: boolean }): Promise<ExplorerNode | undefined> => {
      const tree = trees[kind];
      const view = views[(Object.keys(trees) as ResourceKind[]).indexOf(kind)];
      if (!tree || !view || !Array.isArray(labels)) return undefined;
      // Ancestors one by one: revealing a deep element at once can leave its ancestors collapsed.
      for (let i = 1; i < labels.length; i++) {
        const ancestor = await follow(tree, labels.slice(0, i));
        if (!ancestor) return undefined;
        await view.reveal(ancestor, { expand: true, focus: false, select: false });
      }
      const element = await follow(tree, labels);
      if (element) await view.reveal(element, { expand: opts?.expand ?? true, focus: false, select: true });
      return element;
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('dockwise.dockerHost')) return;
      // Setting the address is the newest explicit choice: it wins over one made in the picker before.
      await choices.set(undefined);
      watcher.setEndpoint(currentEndpoint(choices, log));
    }),
  );
  watcher.start();
}

/** The element found by following labels from the root. */
async function follow(tree: ResourceTree, labels: string[]): Promise<ExplorerNode | undefined> {
  let element: ExplorerNode | undefined;
  for (const label of labels) {
    const children = await tree.getChildren(element);
    element = children.find((c) => treeItem(c).label === label);
    if (!element) return undefined;
  }
  return element;
}

/** A short "which daemon" for the view description: where the address came from, and the address. */
function shortWhere(watcher: DaemonWatcher): string {
  const ep = watcher.endpoint;
  const source = ep.source === 'env' ? 'DOCKER_HOST' : ep.source === 'context' ? `context ${ep.contextName}` : ep.source === 'setting' ? 'setting' : ep.source === 'chosen' ? 'chosen' : 'default';
  return `${source} · ${ep.host.replace(/^unix:\/\//, '')}`;
}
