import {
  CodeActionKind,
  createConnection,
  Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import type { LintConfig } from '../diagnostics/config';
import { lint, prepareLint } from '../diagnostics/engine';
import { runShellcheck } from '../diagnostics/shellcheck';
import { applyImageFacts, ImageFacts, SilencedFinding } from '../diagnostics/imageFacts';
import { kindOfFileName, kindOfLanguageId } from '../diagnostics/fileKinds';
import { ResolvedConfig, resolveProjectConfig } from '../diagnostics/projectConfig';
import type { FileKind } from '../diagnostics/types';
import { codeActions, FIX_ALL_KIND } from './codeActions';
import { documentHost, filePathOf } from './documentHost';
import { hover } from './hover';
import { toDiagnostic } from './toDiagnostic';

/** The `dockwise` settings the server reads per document. */
interface Settings {
  rules?: LintConfig['rules'];
  shellcheck?: { enabled?: boolean };
  lint?: { debounceMs?: number; baseImageMaxAgeDays?: number };
}

/** Facts about local images, sent by the editor when a daemon answers (see src/client/imageFacts.ts). */
let imageFacts: Record<string, ImageFacts> = {};
/** Why daemon facts silenced a finding, per document, for the hover on that line. */
const silencedByUri = new Map<string, SilencedFinding[]>();

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const host = documentHost(documents);
const timers = new Map<string, NodeJS.Timeout>();
const settingsCache = new Map<string, Promise<Settings>>();
let canPullSettings = false;

connection.onInitialize((params) => {
  canPullSettings = params.capabilities.workspace?.configuration === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
    },
    serverInfo: { name: 'dockwise' },
  };
});

connection.onInitialized(() => {
  if (canPullSettings) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dockwise' });
  // The shell parser (WebAssembly) loads after start-up, off the first diagnostics' path; RUN-body rules join in
  // with a re-lint once it is ready.
  void prepareLint().then(() => {
    for (const doc of documents.all()) if (kindOf(doc) === 'dockerfile') schedule(doc, 0);
  });
});

/** ShellCheck runs per document, after the engine's findings are out; a newer edit cancels the older run. */
const shellchecks = new Map<string, AbortController>();

function settingsFor(uri: string): Promise<Settings> {
  if (!canPullSettings) return Promise.resolve({});
  let s = settingsCache.get(uri);
  if (!s) {
    s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'dockwise' }).then((v) => (v ?? {}) as Settings, () => ({}));
    settingsCache.set(uri, s);
  }
  return s;
}

/**
 * The project configuration for a document: its settings under the nearest `.dockwise.yaml`/`.hadolint.yaml`.
 * Cached per folder and settings, because finding it walks up to the root reading files, and lints run on every
 * pause in typing; dropped when a config file changes on disk (the client watches them) or the settings change.
 */
const configCache = new Map<string, ResolvedConfig>();

function projectConfigFor(filePath: string | undefined, settings: Settings): ResolvedConfig {
  const base = { rules: settings.rules ?? {}, shellcheck: settings.shellcheck?.enabled !== false };
  const key = `${filePath ? path.dirname(filePath) : ''}\0${JSON.stringify(base)}`;
  let resolved = configCache.get(key);
  if (!resolved) {
    resolved = resolveProjectConfig(filePath, host, base);
    configCache.set(key, resolved);
  }
  return resolved;
}

function kindOf(doc: TextDocument): FileKind | undefined {
  return kindOfLanguageId(doc.languageId) ?? kindOfFileName(doc.uri);
}

connection.onCodeAction(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  const kind = doc && kindOf(doc);
  if (!doc || !kind) return [];
  try {
    const settings = await settingsFor(doc.uri);
    const filePath = filePathOf(doc.uri);
    const { config } = projectConfigFor(filePath, settings);
    return codeActions(doc, params, kind, { filePath, config, host });
  } catch (e) {
    connection.console.error(`Code actions for ${doc.uri} failed: ${(e as Error).stack ?? e}`);
    return [];
  }
});

async function validate(doc: TextDocument): Promise<void> {
  const kind = kindOf(doc);
  if (!kind) return;
  const version = doc.version;
  const settings = await settingsFor(doc.uri);
  const filePath = filePathOf(doc.uri);
  const diagnostics: Diagnostic[] = [];
  let config: LintConfig | undefined;
  try {
    const resolved = projectConfigFor(filePath, settings);
    config = resolved.config;
    for (const p of resolved.problems) {
      diagnostics.push({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Warning,
        code: 'config-invalid',
        source: 'dockwise',
        message: `Configuration ignored: ${p.message}`,
      });
    }
    let findings = lint({ text: doc.getText(), kind, filePath, config: resolved.config, host });
    if (kind === 'dockerfile') {
      const applied = applyImageFacts(findings, doc.getText(), imageFacts, { maxAgeDays: settings.lint?.baseImageMaxAgeDays });
      findings = applied.findings;
      silencedByUri.set(doc.uri, applied.silenced);
    }
    for (const f of findings) diagnostics.push(toDiagnostic(f, kind));
  } catch (e) {
    // The engine guards its rules; this is the last net so one odd file never takes the server down.
    connection.console.error(`Linting ${doc.uri} failed: ${(e as Error).stack ?? e}`);
  }
  // A newer edit may have arrived while settings were fetched; its own run will publish.
  if (documents.get(doc.uri)?.version !== version) return;
  void connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
  if (kind === 'dockerfile' && config && config.shellcheck !== false) void addShellcheck(doc, version, diagnostics, config, filePath);
}

async function addShellcheck(doc: TextDocument, version: number, diagnostics: Diagnostic[], config: LintConfig, filePath: string | undefined): Promise<void> {
  shellchecks.get(doc.uri)?.abort();
  const abort = new AbortController();
  shellchecks.set(doc.uri, abort);
  const found = await runShellcheck(
    { text: doc.getText(), filePath, config, host },
    { signal: abort.signal, onUnavailable: (m) => connection.console.info(m) },
  );
  if (abort.signal.aborted || !found.length || documents.get(doc.uri)?.version !== version) return;
  void connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: [...diagnostics, ...found.map((f) => toDiagnostic(f, 'dockerfile'))] });
}

function schedule(doc: TextDocument, delayMs?: number): void {
  clearTimeout(timers.get(doc.uri));
  const run = () => {
    timers.delete(doc.uri);
    const current = documents.get(doc.uri);
    if (current) void validate(current);
  };
  if (delayMs === 0) return run();
  void settingsFor(doc.uri).then((s) => {
    clearTimeout(timers.get(doc.uri));
    timers.set(doc.uri, setTimeout(run, delayMs ?? s.lint?.debounceMs ?? 200));
  });
}

// Fired on open as well as on edits: lint a newly opened file at once, debounce the edits that follow.
const linted = new Set<string>();
documents.onDidChangeContent((e) => {
  const first = !linted.has(e.document.uri);
  linted.add(e.document.uri);
  schedule(e.document, first ? 0 : undefined);
});
documents.onDidClose((e) => {
  linted.delete(e.document.uri);
  silencedByUri.delete(e.document.uri);
  shellchecks.get(e.document.uri)?.abort();
  shellchecks.delete(e.document.uri);
  clearTimeout(timers.get(e.document.uri));
  timers.delete(e.document.uri);
  settingsCache.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
  configCache.clear();
  for (const doc of documents.all()) schedule(doc, 0);
});

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  const kind = doc && kindOf(doc);
  if (!doc || !kind) return null;
  try {
    return hover(doc, params.position, kind, silencedByUri.get(doc.uri) ?? []);
  } catch (e) {
    connection.console.error(`Hover in ${doc.uri} failed: ${(e as Error).message}`);
    return null;
  }
});

// The editor learned about local images from the daemon: rules that depend on base images may change their mind.
connection.onNotification('dockwise/imageFacts', (params: { images: Record<string, ImageFacts> }) => {
  imageFacts = params.images ?? {};
  for (const doc of documents.all()) if (kindOf(doc) === 'dockerfile') schedule(doc, 0);
});

// The client shows a file again whose diagnostics it had hidden when its tab closed.
connection.onNotification('dockwise/relint', (params: { uri: string }) => {
  const doc = documents.get(params.uri);
  if (doc) schedule(doc, 0);
});

// A project config or .dockerignore changed on disk: everything open may lint differently now.
connection.onDidChangeWatchedFiles(() => {
  configCache.clear();
  for (const doc of documents.all()) schedule(doc, 0);
});

documents.listen(connection);
connection.listen();
