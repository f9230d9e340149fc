import * as vscode from 'vscode';
import type { DaemonWatcher } from '../docker/daemonWatcher';
import { formatSize, HistoryEntry, LineLayer, matchHistory } from './historyMatch';

interface ImageSummary {
  Id: string;
  Created: number;
  RepoTags?: string[] | null;
}

interface Match {
  image: string;
  layers: LineLayer[];
}

/** How many of the newest local images are compared with an open Dockerfile. */
const CANDIDATES = 40;
const LESSON = 'dockwise.todoApp#layers';

/**
 * CodeLenses with the size each Dockerfile line added to the newest local image built from it ("+162 MB"), the
 * largest marked. The image is found by matching its history with the final stage; nothing shows without a daemon.
 */
export class LayerSizeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly cache = new Map<string, Promise<Match | undefined>>();
  private readonly history = new Map<string, Promise<HistoryEntry[]>>();
  /** The image last built from a Dockerfile in the editor, by document: it wins over newer look-alikes. */
  private readonly built = new Map<string, string>();
  private readonly unsubscribe: () => void;

  constructor(private readonly watcher: DaemonWatcher) {
    const refresh = () => {
      this.cache.clear();
      this.changed.fire();
    };
    const onBatch = (events: { Type: string }[]) => events.some((e) => e.Type === 'image') && refresh();
    watcher.on('batch', onBatch);
    watcher.on('state', refresh);
    this.unsubscribe = () => (watcher.off('batch', onBatch), watcher.off('state', refresh));
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (this.watcher.state !== 'up') return [];
    const key = `${doc.uri.toString()}@${doc.version}`;
    let match = this.cache.get(key);
    if (!match) {
      match = this.find(doc.getText(), this.built.get(doc.uri.toString())).catch(() => undefined);
      this.cache.set(key, match);
    }
    const m = await match;
    if (!m || token.isCancellationRequested) return [];
    const sizes = m.layers.filter((l) => !l.empty).map((l) => l.size);
    const total = sizes.reduce((a, b) => a + b, 0);
    const largest = Math.max(0, ...sizes);
    return m.layers.map((l) => {
      const big = !l.empty && l.size === largest && l.size > 0.25 * total && l.size > 1_000_000;
      const title = l.empty ? `${m.image}: no layer (config only)` : `${big ? '$(flame) ' : ''}+${formatSize(l.size)}${big ? ' — the largest layer' : ''} in ${m.image}`;
      return new vscode.CodeLens(new vscode.Range(l.line, 0, l.line, 0), {
        title,
        tooltip: big ? 'Most of the image comes from this line. Open the lesson on image size and layers.' : 'What this line added to the image. Open the lesson on layers.',
        command: 'dockwise.openLesson',
        arguments: [LESSON],
      });
    });
  }

  /** Shows the sizes of `imageId`, just built from `uri`, at once. */
  showBuilt(uri: vscode.Uri, imageId: string): void {
    this.built.set(uri.toString(), imageId);
    this.cache.clear();
    this.changed.fire();
  }

  /** The image just built from this file if it still matches, else the newest local image that matches most of the final stage. */
  private async find(text: string, builtId?: string): Promise<Match | undefined> {
    const images = await this.watcher.api.get<ImageSummary[]>('/images/json', { timeoutMs: 5000 });
    const byAge = images.sort((a, b) => b.Created - a.Created);
    const candidates = [...byAge.filter((i) => i.Id === builtId), ...byAge.filter((i) => i.Id !== builtId).slice(0, CANDIDATES)];
    let best: (Match & { matched: number }) | undefined;
    for (const img of candidates) {
      let h = this.history.get(img.Id);
      if (!h) {
        h = this.watcher.api.get<HistoryEntry[]>(`/images/${encodeURIComponent(img.Id)}/history`, { timeoutMs: 5000 });
        this.history.set(img.Id, h);
      }
      const { layers, matched, steps } = matchHistory(text, await h);
      if (matched >= Math.max(2, Math.ceil(steps / 2)) && (!best || matched > best.matched)) {
        const name = img.RepoTags?.find((t) => t !== '<none>:<none>') ?? img.Id.replace(/^sha256:/, '').slice(0, 12);
        best = { image: name, layers, matched };
        if (matched === steps) break;
      }
    }
    return best;
  }

  dispose(): void {
    this.unsubscribe();
    this.changed.dispose();
  }
}
