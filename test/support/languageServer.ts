/**
 * Starts the built language server (dist/server.js) over stdio and talks LSP to it, as an editor does: for tests
 * of its behaviour (stale diagnostics, trust, cleanup) and for the benchmark. No editor, no mocks.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionParams,
  createMessageConnection,
  Diagnostic,
  Hover,
  MessageConnection,
  Position,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';

export const SERVER_JS = path.resolve(__dirname, '..', '..', 'dist', 'server.js');

export interface Published {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
  /** performance.now() when it arrived. */
  at: number;
  /** The version the client's document had when it arrived. */
  clientVersion: number;
}

export interface ServerOptions {
  /** `initializationOptions.trusted`; true by default. */
  trusted?: boolean;
  /** The `dockwise` settings returned for every scope. */
  settings?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export class LanguageServer {
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  readonly published: Published[] = [];
  readonly logs: { type: number; message: string }[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private listeners: (() => void)[] = [];
  stderr = '';

  private constructor(private readonly options: ServerOptions) {
    this.child = spawn(process.execPath, [SERVER_JS, '--stdio'], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      this.published.push({ ...p, at: performance.now(), clientVersion: this.versions.get(p.uri) ?? -1 });
      for (const l of this.listeners.splice(0)) l();
    });
    this.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => this.logs.push(p));
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.options.settings ?? {}));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  static async start(options: ServerOptions = {}): Promise<LanguageServer> {
    const s = new LanguageServer(options);
    await s.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { codeAction: { dataSupport: true, resolveSupport: { properties: ['edit'] } } } },
      initializationOptions: { trusted: options.trusted ?? true },
    });
    await s.connection.sendNotification('initialized', {});
    return s;
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Replaces the whole text (a full-document change). */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** Inserts text at a position, as typing does (an incremental change). */
  type(uri: string, at: Position, insert: string): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: insert }] });
    return version;
  }

  close(uri: string): void {
    this.versions.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? -1;
  }

  notify(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  /** The next publication for `uri` that satisfies `test`, from now on (or already received since `since`). */
  async diagnostics(uri: string, test: (p: Published) => boolean = () => true, timeoutMs = 60_000, since = 0): Promise<Published> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = this.published.slice(since).find((p) => p.uri === uri && test(p));
      if (hit) return hit;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} matching the test within ${timeoutMs} ms (${this.published.filter((p) => p.uri === uri).length} published)\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 500));
        this.listeners.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', params);
  }

  resolve(action: CodeAction): Promise<CodeAction> {
    return this.connection.sendRequest('codeAction/resolve', action);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  /** Shuts down and exits as an editor does; kills the process if it does not go. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
      void this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
    this.connection.dispose();
  }
}
