import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DaemonWatcher } from '../docker/daemonWatcher';
import { baseImages, finalBase, ImageFacts } from '../diagnostics/imageFacts';
import { healthcheckOf, inspectImage } from './localImage';

/**
 * Tells the language server what the local daemon knows about the base images of open Dockerfiles, so rules the
 * file alone cannot settle (a base image that already runs as non-root) can. Only ever after the first lint: the
 * server lints without facts and re-lints when they arrive.
 */
export class ImageFactsFeed implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastSent = '';

  constructor(
    private readonly client: LanguageClient,
    private readonly watcher: DaemonWatcher,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const soon = () => this.schedule();
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => d.languageId === 'dockerfile' && soon()),
      vscode.workspace.onDidSaveTextDocument((d) => d.languageId === 'dockerfile' && soon()),
    );
    const onState = () => soon();
    const onBatch = (events: { Type: string }[]) => events.some((e) => e.Type === 'image') && soon();
    watcher.on('state', onState);
    watcher.on('batch', onBatch);
    this.disposables.push({ dispose: () => (watcher.off('state', onState), watcher.off('batch', onBatch)) });
    soon();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.send(), 300);
  }

  private async send(): Promise<void> {
    const images: Record<string, ImageFacts> = {};
    if (this.watcher.state === 'up') {
      const refs = new Set<string>();
      for (const doc of vscode.workspace.textDocuments) {
        if (doc.languageId !== 'dockerfile') continue;
        const text = doc.getText();
        const base = finalBase(text);
        if (base) refs.add(base.image);
        // Every stage's base image too: undefined-var asks whether the image sets a variable.
        for (const image of baseImages(text)) refs.add(image);
      }
      await Promise.all(
        [...refs].map(async (ref) => {
          try {
            const img = await inspectImage(this.watcher, ref, 3000);
            images[ref] = { id: img.Id, user: img.Config?.User ?? '', healthcheck: healthcheckOf(img) !== undefined, created: img.Created, env: img.Config?.Env ?? [] };
          } catch {
            // Not on this daemon (never pulled): nothing is known, so nothing changes.
          }
        }),
      );
    }
    const payload = JSON.stringify(images);
    if (payload === this.lastSent) return;
    this.lastSent = payload;
    this.log.debug(`Base image facts for the linter: ${Object.keys(images).join(', ') || 'none'}`);
    await this.client.sendNotification('dockwise/imageFacts', { images });
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
