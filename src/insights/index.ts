import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DaemonWatcher } from '../docker/daemonWatcher';
import { ImageBuilder } from './buildImage';
import { ImageFactsFeed } from './imageFacts';
import { ImageHover } from './imageHover';
import { LayerSizeLenses } from './layerLens';
import { PinFromDaemon } from './pinFromDaemon';

const DOCKERFILES: vscode.DocumentFilter[] = [{ language: 'dockerfile', scheme: 'file' }, { language: 'dockerfile', scheme: 'untitled' }];
const COMPOSE: vscode.DocumentFilter[] = [{ language: 'dockercompose', scheme: 'file' }];

/**
 * What the editor learns from the live daemon: base image facts for the linter, image hovers, layer sizes per line;
 * and building the image from the editor.
 */
export function registerDaemonInsights(context: vscode.ExtensionContext, client: LanguageClient, watcher: DaemonWatcher, log: vscode.LogOutputChannel): void {
  const lenses = new LayerSizeLenses(watcher);
  const hover = new ImageHover(watcher);
  const builder = new ImageBuilder(context, watcher, lenses, log);
  context.subscriptions.push(
    new ImageFactsFeed(client, watcher, log),
    lenses,
    vscode.languages.registerCodeLensProvider(DOCKERFILES, lenses),
    vscode.languages.registerHoverProvider(DOCKERFILES, hover),
    vscode.languages.registerHoverProvider(COMPOSE, hover),
    vscode.languages.registerCodeActionsProvider([...DOCKERFILES, ...COMPOSE], new PinFromDaemon(watcher), { providedCodeActionKinds: PinFromDaemon.kinds }),
    builder,
    vscode.commands.registerCommand('dockwise.buildImage', (uri?: unknown, opts?: { tag?: unknown }) =>
      builder.build(uri, typeof opts?.tag === 'string' ? { tag: opts.tag } : {}),
    ),
  );
}
