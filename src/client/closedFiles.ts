import * as vscode from 'vscode';
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';

/** Asks the server to lint a document again and publish its diagnostics. */
export const RELINT_NOTIFICATION = 'dockwise/relint';

/**
 * VS Code keeps a document "open" for extensions for a while after its last tab closes, so the server's
 * didClose comes late. Users expect a closed file's problems to leave the Problems view with the tab: hide them
 * when the last tab of a file closes, and have the server publish afresh when the file is shown again.
 */
export class ClosedFileDiagnostics {
  private readonly hidden = new Set<string>();
  private client: LanguageClient | undefined;

  readonly middleware: Middleware = {
    handleDiagnostics: (uri, diagnostics, next) => next(uri, this.hidden.has(uri.toString()) ? [] : diagnostics),
  };

  attach(client: LanguageClient): vscode.Disposable {
    this.client = client;
    return vscode.window.tabGroups.onDidChangeTabs((e) => {
      const shown = new Set(allTabUris());
      for (const tab of e.closed) {
        const uri = uriOf(tab);
        if (uri && !shown.has(uri.toString())) {
          this.hidden.add(uri.toString());
          client.diagnostics?.delete(uri);
        }
      }
      for (const tab of [...e.opened, ...e.changed]) {
        const uri = uriOf(tab);
        if (uri && this.hidden.delete(uri.toString())) void this.client?.sendNotification(RELINT_NOTIFICATION, { uri: uri.toString() });
      }
    });
  }
}

function uriOf(tab: vscode.Tab): vscode.Uri | undefined {
  return tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
}

function allTabUris(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.map(uriOf)).filter((u): u is vscode.Uri => !!u).map((u) => u.toString());
}
