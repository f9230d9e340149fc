/**
 * `dockwise-language-server --stdio`, the package's bin for editors other than VS Code, spoken to over stdio as
 * Neovim, Helix or Emacs would: initialize, open a Dockerfile, receive its diagnostics, ask for a hover.
 */
import * as assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };

interface PublishedDiagnostics {
  uri: string;
  diagnostics: { code?: string; severity?: number; message: string; range: { start: { line: number } }; codeDescription?: { href: string } }[];
}

describe('dockwise-language-server over stdio', function () {
  this.timeout(60_000);
  const bin = path.join(root, pkg.bin['dockwise-language-server'] ?? 'missing');
  let server: ChildProcessWithoutNullStreams;
  let lsp: MessageConnection;
  let stderr = '';
  const published: PublishedDiagnostics[] = [];

  before(() => {
    // The bin is the esbuild bundle; build it when a narrow test run comes before any build.
    if (!fs.existsSync(bin)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
    server = spawn(process.execPath, [bin, '--stdio'], { cwd: root });
    server.stderr.on('data', (d) => (stderr += d));
    lsp = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    lsp.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => published.push(p));
    lsp.listen();
  });

  after(async () => {
    try {
      await lsp.sendRequest('shutdown');
      await lsp.sendNotification('exit');
    } catch {
      // already gone
    }
    lsp.dispose();
    if (server.exitCode === null) server.kill();
  });

  const waitForDiagnostics = async (uri: string, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const last = published.filter((p) => p.uri === uri).pop();
      if (last && last.diagnostics.length) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no diagnostics for ${uri}; server stderr: ${stderr}`);
  };

  it('is a bin npm can install: package.json names it, and it starts with a shebang', () => {
    assert.equal(pkg.bin['dockwise-language-server'], './dist/server.js');
    assert.equal(fs.readFileSync(bin, 'utf8').split('\n')[0], '#!/usr/bin/env node');
  });

  it('initializes with what a generic client needs, without VS Code-only requests', async () => {
    const result = await lsp.sendRequest<{ capabilities: Record<string, unknown>; serverInfo?: { name: string } }>('initialize', {
      processId: process.pid,
      clientInfo: { name: 'a-generic-client' },
      rootUri: null,
      capabilities: { textDocument: { publishDiagnostics: {}, hover: { contentFormat: ['markdown', 'plaintext'] } } },
    });
    assert.equal(result.serverInfo?.name, 'dockwise');
    assert.ok(result.capabilities.hoverProvider);
    assert.ok(result.capabilities.codeActionProvider);
    assert.ok(result.capabilities.textDocumentSync);
    await lsp.sendNotification('initialized', {});
  });

  it('publishes diagnostics for an opened Dockerfile, with web pages only where they exist', async () => {
    const uri = 'file:///project/Dockerfile';
    await lsp.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM debian:latest\nRUN apt-get update\nRUN echo done\n' } });
    const { diagnostics } = await waitForDiagnostics(uri);
    const byCode = new Map(diagnostics.map((d) => [d.code, d]));
    assert.ok(byCode.has('no-latest-tag'), [...byCode.keys()].join(', '));
    assert.equal(byCode.get('no-latest-tag')?.range.start.line, 0);
    assert.equal(byCode.get('chain-run')?.codeDescription?.href, 'https://github.com/hadolint/hadolint/wiki/DL3059');
    for (const d of diagnostics) assert.doesNotMatch(d.codeDescription?.href ?? '', /github\.com\/dockwise/);
  });

  it('lints compose files a client names by file (Helix and Neovim give other language ids)', async () => {
    const uri = 'file:///project/compose.yaml';
    await lsp.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: 'services:\n  web:\n    image: nginx:latest\n    privileged: true\n' } });
    const { diagnostics } = await waitForDiagnostics(uri);
    assert.ok(diagnostics.some((d) => d.range.start.line === 3), diagnostics.map((d) => `${d.code}@${d.range.start.line}`).join(', '));
  });

  it('answers a hover on an instruction with markdown', async () => {
    const hover = await lsp.sendRequest<{ contents: { kind: string; value: string } } | null>('textDocument/hover', { textDocument: { uri: 'file:///project/Dockerfile' }, position: { line: 1, character: 1 } });
    assert.equal(hover?.contents.kind, 'markdown');
    assert.match(hover?.contents.value ?? '', /^\*\*RUN\*\* — /);
  });
});
