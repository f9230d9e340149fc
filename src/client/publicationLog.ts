import * as vscode from 'vscode';
import type { LanguageClient, MessageStrategy } from 'vscode-languageclient/node';

/** Asks the server to answer once it has handled every message sent before: it has seen the edits made so far. */
export const SYNC_REQUEST = 'dockwise/sync';

/** One `textDocument/publishDiagnostics` as it reached the client. */
export interface Publication {
  /** The document version the server linted. */
  version?: number;
  /** The version the editor had when the publication arrived. */
  editorVersion?: number;
  diagnostics: Array<{ code: string; line: number }>;
}

/**
 * For the extension's own tests (extension mode Test only): every diagnostics publication the client receives, with
 * the version it was computed on, in the order received. Commands:
 * - `dockwise.test.publications` (uri) → the publications for that document so far;
 * - `dockwise.test.syncServer` (uri) → once the server has handled everything sent before: `received`, the number of
 *   publications for that document received until then, and `linting`, the version the server is linting (or null).
 *   A publication received later than that, for an older version than the editor had when it asked, was sent by a
 *   server that already knew the version was replaced.
 */
export interface SyncReply {
  received: number;
  linting: number | null;
}

export class PublicationLog {
  private readonly log: Array<Publication & { uri: string }> = [];

  readonly messageStrategy: MessageStrategy = {
    handleMessage: (message, next) => {
      const m = message as { method?: string; params?: { uri: string; version?: number; diagnostics: Array<{ code?: string | number; range: { start: { line: number } } }> } };
      if (m.method === 'textDocument/publishDiagnostics' && m.params) {
        const { uri, version, diagnostics } = m.params;
        const editorVersion = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)?.version;
        this.log.push({ uri, version, editorVersion, diagnostics: diagnostics.map((d) => ({ code: String(d.code), line: d.range.start.line })) });
      }
      next(message);
    },
  };

  register(client: LanguageClient): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.commands.registerCommand('dockwise.test.publications', (uri: string) => this.log.filter((p) => p.uri === uri).map(({ uri: _, ...p }) => p)),
      vscode.commands.registerCommand('dockwise.test.syncServer', async (uri: string): Promise<SyncReply> => {
        // The edits made so far go out first: their didChange notifications are queued within this turn.
        await new Promise((resolve) => setTimeout(resolve, 0));
        const { linting } = await client.sendRequest<{ linting: number | null }>(SYNC_REQUEST, { uri });
        return { received: this.log.filter((p) => p.uri === uri).length, linting };
      }),
    );
  }
}
