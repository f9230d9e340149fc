import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { ClosedFileDiagnostics } from './closedFiles';
import { linkRulePages } from './rulePages';

/** Files whose change can alter what a Dockerfile or compose file lints to. */
const CONTEXT_FILES = '**/{.dockwise.yaml,.dockwise.yml,.hadolint.yaml,.hadolint.yml,.dockerignore,Dockerfile,*.Dockerfile,Dockerfile.*,Containerfile}';

/**
 * The commands the server's hover markdown may run: open a lesson or a rule page. Nothing that changes the daemon,
 * so no hover text can remove or prune anything, whatever reaches it.
 */
export const HOVER_COMMANDS = ['dockwise.openLesson', 'dockwise.showRule'];

/** Starts the Dockwise language server (dist/server.js) over IPC. */
export async function startLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const closedFiles = new ClosedFileDiagnostics();
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'dockerfile', scheme: 'file' },
      { language: 'dockerfile', scheme: 'untitled' },
      { language: 'dockercompose', scheme: 'file' },
      { language: 'dockercompose', scheme: 'untitled' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher(CONTEXT_FILES) },
    outputChannel: log,
    diagnosticCollectionName: 'dockwise',
    markdown: { isTrusted: { enabledCommands: HOVER_COMMANDS } },
    middleware: {
      ...closedFiles.middleware,
      handleDiagnostics: (uri, diagnostics, next) => closedFiles.middleware.handleDiagnostics!(uri, linkRulePages(diagnostics), next),
    },
  };
  const client = new LanguageClient('dockwise', 'Dockwise', serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push(closedFiles.attach(client));
  return client;
}
