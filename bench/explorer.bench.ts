/**
 * Docker explorer against a real daemon seeded with 500 image tags (five loaded archives, 100 tags each) and 200
 * volumes: time to the first full render of each view's root (cold cache, through the tree providers), time to expand
 * one image's layers, time from a daemon change to the tree showing it, and daemon calls for each.
 * The providers run under a small stand-in for the `vscode` module, since this runs in plain Node.
 */
import Module from 'node:module';
import { performance } from 'node:perf_hooks';
import { parseHost } from '../src/docker/connection';
import { DaemonWatcher } from '../src/docker/daemonWatcher';
import type { ExplorerStore as Store } from '../src/docker/explorerStore';
import { busyboxRootfsTar, imageArchive, loadArchive, makeTar, startTestDaemon } from '../test/support/testDaemon';
import { Suite, Table, time, us } from './harness';

/** Just enough of the editor API for the tree providers to build their items. */
function vscodeStub(): unknown {
  class EventEmitter<T> {
    private listeners: ((e: T) => void)[] = [];
    event = (l: (e: T) => void) => {
      this.listeners.push(l);
      return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
    };
    fire(e: T) {
      for (const l of this.listeners) l(e);
    }
    dispose() {
      this.listeners = [];
    }
  }
  class TreeItem {
    description?: string;
    tooltip?: unknown;
    iconPath?: unknown;
    contextValue?: string;
    id?: string;
    constructor(
      public label: string,
      public collapsibleState = 0,
    ) {}
  }
  class MarkdownString {
    value = '';
    constructor(v = '') {
      this.value = v;
    }
    appendMarkdown(s: string) {
      this.value += s;
      return this;
    }
    appendCodeblock(s: string) {
      this.value += '\n```\n' + s + '\n```\n';
      return this;
    }
  }
  return {
    EventEmitter,
    TreeItem,
    MarkdownString,
    ThemeIcon: class { constructor(public id: string, public color?: unknown) {} },
    ThemeColor: class { constructor(public id: string) {} },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  };
}

function installVscodeStub(): void {
  const stub = vscodeStub();
  const mod = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const load = mod._load;
  mod._load = function (request, parent, isMain) {
    if (request === 'vscode') return stub;
    return load.call(this, request, parent, isMain);
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(): Promise<Table[]> {
  installVscodeStub();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ImagesTree, ContainersTree, VolumesTree, NetworksTree } = require('../src/explorer/trees') as typeof import('../src/explorer/trees');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ExplorerStore } = require('../src/docker/explorerStore') as typeof import('../src/docker/explorerStore');

  const seedStart = performance.now();
  const daemon = await startTestDaemon();
  try {
    const rootfs = busyboxRootfsTar();
    for (let a = 0; a < 5; a++) {
      const app = makeTar([{ type: 'file', name: `app${a}.txt`, content: Buffer.alloc(1024 * (a + 1), 65 + a) }]);
      const tags = Array.from({ length: 100 }, (_, i) => `bench/app${a}:1.${i}`);
      await loadArchive(daemon.docker, imageArchive({ repoTags: tags, layers: [{ tar: rootfs }, { tar: app }], history: [{ created_by: '/bin/sh -c #(nop) ADD file:rootfs in / ' }, { created_by: `COPY app${a}.txt / # buildkit` }] }));
    }
    for (let i = 0; i < 200; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => daemon.docker.createVolume({ Name: `bench-vol-${i + j}` })));
    const seedMs = performance.now() - seedStart;

    const watcher = new DaemonWatcher({ endpoint: { ...parseHost(daemon.host), source: 'env', description: daemon.host } });
    watcher.start();
    await watcher.whenUp(10_000);

    const renderRows: (string | number)[][] = [];
    const trees = { Images: ImagesTree, Containers: ContainersTree, Volumes: VolumesTree, Networks: NetworksTree };
    for (const [name, Tree] of Object.entries(trees)) {
      let calls = 0;
      let items = 0;
      const t = await time(async () => {
        const store = new ExplorerStore(watcher);
        const tree = new Tree(store);
        const before = watcher.api.calls;
        const children = await tree.getChildren();
        for (const c of children) tree.getTreeItem(c);
        calls = watcher.api.calls - before;
        items = children.length;
        tree.dispose();
        store.dispose();
      }, 20, 3);
      renderRows.push([name, items, us(t.medianUs), us(t.p90Us), calls]);
    }
    {
      // The images view with every repository expanded: all 500 tag rows drawn, still one call.
      let calls = 0;
      let items = 0;
      const t = await time(async () => {
        const store = new ExplorerStore(watcher);
        const tree = new ImagesTree(store);
        const before = watcher.api.calls;
        items = 0;
        for (const repo of await tree.getChildren()) {
          tree.getTreeItem(repo);
          for (const tag of await tree.getChildren(repo)) {
            tree.getTreeItem(tag);
            items++;
          }
        }
        calls = watcher.api.calls - before;
        tree.dispose();
        store.dispose();
      }, 20, 3);
      renderRows.push(['Images, all repositories expanded', `${items} tags`, us(t.medianUs), us(t.p90Us), calls]);
    }

    // Expanding one image: its history and inspect, plus one inspect per other image ID not yet indexed.
    const store: Store = new ExplorerStore(watcher);
    const images = new ImagesTree(store);
    const repos = await images.getChildren();
    const tagNodes = await images.getChildren(repos[0]);
    let before = watcher.api.calls;
    let t0 = performance.now();
    const layers = await images.getChildren(tagNodes[0]);
    for (const l of layers) images.getTreeItem(l);
    const firstExpandMs = performance.now() - t0;
    const firstExpandCalls = watcher.api.calls - before;
    const otherRepoTags = await images.getChildren(repos[1]);
    before = watcher.api.calls;
    t0 = performance.now();
    await images.getChildren(otherRepoTags[0]);
    const nextExpandMs = performance.now() - t0;
    const nextExpandCalls = watcher.api.calls - before;

    // From a change in the daemon to the tree holding it: create a volume, wait for the tree's change event, re-read.
    const volumes = new VolumesTree(store);
    await volumes.getChildren();
    const latencies: number[] = [];
    const eventCalls: number[] = [];
    for (let i = 0; i < 15; i++) {
      const name = `bench-live-${i}`;
      const seen = new Promise<void>((resolve) => {
        const sub = volumes.onDidChangeTreeData(async () => {
          const kids = await volumes.getChildren();
          if (kids.some((k) => k.type === 'volume' && k.volume.name === name)) {
            sub.dispose();
            resolve();
          }
        });
      });
      const callsBefore = watcher.api.calls;
      const start = performance.now();
      await daemon.docker.createVolume({ Name: name });
      await seen;
      latencies.push(performance.now() - start);
      eventCalls.push(watcher.api.calls - callsBefore);
    }
    volumes.dispose();
    images.dispose();
    store.dispose();
    watcher.stop();

    return [
      {
        title: 'Explorer: first render of each view (cold cache, 500 image tags, 200 volumes)',
        columns: ['view', 'root items', 'median', 'p90', 'daemon calls'],
        rows: renderRows,
        notes: [`Daemon seeded in ${(seedMs / 1000).toFixed(1)} s. Target: first render under 300 ms median, no call per image.`],
      },
      {
        title: 'Explorer: expanding an image and reflecting events',
        columns: ['what', 'time', 'daemon calls'],
        rows: [
          ['expand first image (inspects the 6 other image IDs once, for shared layers)', `${firstExpandMs.toFixed(1)} ms`, firstExpandCalls],
          ['expand another image (index warm)', `${nextExpandMs.toFixed(1)} ms`, nextExpandCalls],
          [`volume created → tree shows it (median of ${latencies.length})`, `${median(latencies).toFixed(1)} ms`, median(eventCalls)],
          ['  slowest of those', `${Math.max(...latencies).toFixed(1)} ms`, Math.max(...eventCalls)],
        ],
        notes: ['Target: an event reflected in under 200 ms. Event batches are coalesced (60 ms quiet, 150 ms at most).'],
      },
    ];
  } finally {
    await daemon.stop();
  }
}

export const explorerSuite: Suite = { name: 'explorer', run };
