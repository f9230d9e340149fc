import Dockerode from 'dockerode';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { listImages } from './client/daemonCommands';
import { startLanguageClient } from './client/languageClient';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Dockwise', { log: true });
  context.subscriptions.push(log);

  client = await startLanguageClient(context, log);

  const docker = new Dockerode();
  context.subscriptions.push(
    vscode.commands.registerCommand('dockwise.showLog', () => log.show()),
    vscode.commands.registerCommand('dockwise.restartServer', () => client?.restart()),
    vscode.commands.registerCommand('dockwise.daemon.listImages', () => listImages(docker, log)),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
