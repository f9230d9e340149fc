import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { listImages } from './client/daemonCommands';
import { startLanguageClient } from './client/languageClient';
import { registerRulePages } from './client/rulePages';
import { createDaemonWatcher, registerExplorer } from './explorer';
import { registerDaemonInsights } from './insights';
import { registerCourse } from './walkthroughs';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Dockwise', { log: true });
  context.subscriptions.push(log);

  // One connection to the daemon, shared by the explorer, the course and the editor insights.
  const watcher = createDaemonWatcher(log);
  context.subscriptions.push({ dispose: () => watcher.stop() });
  registerExplorer(context, watcher, log);
  registerCourse(context, watcher, log);
  registerRulePages(context, log);

  client = await startLanguageClient(context, log);
  registerDaemonInsights(context, client, watcher, log);

  context.subscriptions.push(
    vscode.commands.registerCommand('dockwise.showLog', () => log.show()),
    vscode.commands.registerCommand('dockwise.restartServer', () => client?.restart()),
    vscode.commands.registerCommand('dockwise.daemon.listImages', () => listImages(watcher.docker, log)),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
