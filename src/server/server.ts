/**
 * The Dockwise language server. Its message loop only keeps documents, schedules work and talks to the editor:
 * parsing, linting, fixes and hovers run in worker threads (lintService.ts), so one large file never holds up
 * another, and the ShellCheck processes run from here. A lint result is published only if the document has not
 * changed since: never a stale version.
 */
import {
  CodeAction,
  CodeActionKind,
  createConnection,
  Diagnostic,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import { kindOfFileName, kindOfLanguageId } from '../diagnostics/fileKinds';
import type { ImageFacts } from '../diagnostics/imageFacts';
import { checkScripts, cleanupShellcheck, shellcheckUnavailable, sweepStaleShellcheckFolders } from '../diagnostics/shellcheckRunner';
import { FileKind, range } from '../diagnostics/types';
import { filePathOf } from './filePath';
import { DocumentRef, FIX_ALL_KIND, isFixAllOfKind, LintReply, Settings, UNKNOWN_VERSION, WorkerMethod, WorkerMethods } from './protocol';
import { CANCELLED, Cancelled, OutOfMemoryError, WorkerLane } from './workerLane';

/** Documents larger than this are linted in a thread of their own, so small ones never wait behind them. */
const LARGE_DOCUMENT = 256 * 1024;
/** The most a debounce grows to for a document whose lint is slow. */
const MAX_DEBOUNCE_MS = 2000;
/** Open documents larger than this are not handed to the threads as unsaved content (they read the disk). */
const MAX_OVERLAY = 1024 * 1024;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = {
  info: (m: string) => connection.console.info(m),
  warn: (m: string) => connection.console.warn(m),
  error: (m: string) => connection.console.error(m),
};

/** Whether the workspace is trusted: ShellCheck (an executable) runs only then. The client says so and when it changes. */
let trusted = false;
let canPullSettings = false;
let imageFacts: Record<string, ImageFacts> = {};

// --- threads --------------------------------------------------------------------------------------------------

/** Open documents' texts each thread has, by path and version, so each is sent once per change. */
const overlaySent = new Map<WorkerLane, Map<string, number>>();

function lane(name: string, heapMb: number, youngMb: number, cancelAfterMs: number): WorkerLane {
  const l: WorkerLane = new WorkerLane({
    name,
    script: path.join(__dirname, 'lintWorker.js'),
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: youngMb },
    cancelAfterMs,
    log: (level, m) => log[level](m),
    onStart: () => {
      overlaySent.set(l, new Map());
      if (Object.keys(imageFacts).length) void l.request('imageFacts', { images: imageFacts });
    },
  });
  return l;
}

const lanes = {
  // Small files lint in well under a second: a stale lint there is left to finish rather than its thread restarted.
  normal: lane('normal', 1024, 32, 1000),
  // Large files: a heap with room for a 16 MB Dockerfile's model, and a young generation that spares the collector.
  large: lane('large', 2560, 64, 300),
};
const allLanes = [lanes.normal, lanes.large];

const laneFor = (doc: TextDocument) => (doc.getText().length > LARGE_DOCUMENT ? lanes.large : lanes.normal);

function kindOf(doc: TextDocument): FileKind | undefined {
  // `Dockerfile.dockerignore` matches the editor's `Dockerfile.*` pattern, but is BuildKit's ignore file.
  if (/\.(?:docker|container)ignore$/i.test(doc.uri)) return undefined;
  return kindOfLanguageId(doc.languageId) ?? kindOfFileName(doc.uri);
}

/** The document as a thread needs it: with its text unless the thread already has this version. */
function ref(doc: TextDocument, kind: FileKind, l: WorkerLane, withText = !l.knows(doc.uri, doc.version)): DocumentRef {
  return { uri: doc.uri, version: doc.version, kind, filePath: filePathOf(doc.uri), ...(withText ? { text: doc.getText() } : {}) };
}

/** A request about a document, sent again with its text if the thread did not have it (it was restarted meanwhile). */
async function ask<M extends 'codeActions' | 'hover'>(
  doc: TextDocument,
  kind: FileKind,
  method: M,
  params: (r: DocumentRef) => Parameters<WorkerMethods[M]>[0],
  signal?: AbortSignal,
): Promise<ReturnType<WorkerMethods[M]> | Cancelled> {
  const l = laneFor(doc);
  await syncOverlay(l, doc.uri);
  for (let attempt = 0; ; attempt++) {
    const r = ref(doc, kind, l, attempt > 0 || !l.knows(doc.uri, doc.version));
    try {
      return await l.request(method, params(r), { uri: doc.uri, version: doc.version, signal, carries: r.text !== undefined });
    } catch (e) {
      if ((e as Error).message !== UNKNOWN_VERSION || attempt > 0) throw e;
    }
  }
}

/** Sends a thread the open documents it may read (a compose file reads the Dockerfiles it builds), once per change. */
function syncOverlay(l: WorkerLane, except: string): Promise<unknown> {
  const sent = overlaySent.get(l) ?? new Map<string, number>();
  overlaySent.set(l, sent);
  const files: Record<string, string | null> = {};
  const open = new Set<string>();
  for (const d of documents.all()) {
    const file = filePathOf(d.uri);
    if (!file || d.uri === except || d.getText().length > MAX_OVERLAY) continue;
    open.add(file);
    if (sent.get(file) !== d.version) {
      files[file] = d.getText();
      sent.set(file, d.version);
    }
  }
  for (const file of sent.keys()) {
    if (open.has(file)) continue;
    files[file] = null;
    sent.delete(file);
  }
  return Object.keys(files).length ? l.request('overlay', { files }) : Promise.resolve();
}

function broadcast<M extends WorkerMethod>(method: M, params: Parameters<WorkerMethods[M]>[0]): void {
  for (const l of allLanes) void l.request(method, params);
}

// --- settings -------------------------------------------------------------------------------------------------

const settingsCache = new Map<string, Promise<Settings>>();

function settingsFor(uri: string): Promise<Settings> {
  if (!canPullSettings) return Promise.resolve({});
  let s = settingsCache.get(uri);
  if (!s) {
    s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'dockwise' }).then((v) => (v ?? {}) as Settings, () => ({}));
    settingsCache.set(uri, s);
  }
  return s;
}

// --- linting --------------------------------------------------------------------------------------------------

const timers = new Map<string, NodeJS.Timeout>();
/** How long the last lint of each document took, for its debounce. */
const lintMs = new Map<string, number>();
/** ShellCheck per document; a newer version stops the older run. */
const shellchecks = new Map<string, AbortController>();
/** The version of each document whose lint is under way (from its start until its result is handled). */
const linting = new Map<string, number>();

function publish(uri: string, version: number, diagnostics: Diagnostic[]): void {
  // A newer edit arrived while this version was linted: its own lint publishes.
  if (documents.get(uri)?.version !== version) return;
  void connection.sendDiagnostics({ uri, version, diagnostics });
}

async function validate(doc: TextDocument): Promise<void> {
  const kind = kindOf(doc);
  if (!kind) return;
  const { uri, version } = doc;
  linting.set(uri, version);
  try {
    await lint(doc, kind);
  } finally {
    if (linting.get(uri) === version) linting.delete(uri);
  }
}

async function lint(doc: TextDocument, kind: FileKind): Promise<void> {
  const { uri, version } = doc;
  const settings = await settingsFor(uri);
  if (documents.get(uri)?.version !== version) return;
  const l = laneFor(doc);
  for (const other of allLanes) {
    if (other !== l && other.holds(uri)) {
      other.forget(uri);
      void other.request('close', { uri });
    }
  }
  const wantShellcheck = kind === 'dockerfile' && trusted && settings.shellcheck?.enabled !== false && !shellcheckUnavailable();
  let maxBytes: number | undefined;
  let reply: LintReply | Cancelled | undefined;
  for (let attempt = 0; attempt < 3 && !reply; attempt++) {
    await syncOverlay(l, uri);
    const text = doc.getText();
    try {
      reply = await l.request('lint', { doc: { ...ref(doc, kind, l, true), text }, settings, shellcheck: wantShellcheck, maxBytes }, { uri, version, replaces: `lint:${uri}`, carries: true });
    } catch (e) {
      if (!(e instanceof OutOfMemoryError)) {
        log.error(`Linting ${uri} failed: ${(e as Error).message}`);
        return;
      }
      // The memory ceiling: lint the beginning of the file (the engine says how much, in a finding).
      maxBytes = Math.floor((maxBytes ?? text.length) / 4);
      log.warn(`Linting ${uri} (${(text.length / 1048576).toFixed(1)} MB) ran out of memory; linting its first ${(maxBytes / 1048576).toFixed(1)} MB.`);
    }
  }
  if (reply === CANCELLED) return;
  if (!reply) {
    publish(uri, version, [{
      range: range(0, 0, 0, 0),
      severity: 2,
      code: 'linted-partially',
      source: 'dockwise',
      message: 'Not linted: this file is too large for the memory the linter allows itself.',
      // The client links the code to the rule's page (there is one for Dockerfiles).
      ...(kind === 'dockerfile' ? { data: { kind, aliases: [] } } : {}),
    }]);
    return;
  }
  lintMs.set(uri, reply.ms);
  publish(uri, version, reply.diagnostics);
  if (reply.shellcheck?.length) void addShellcheck(uri, version, l, reply.shellcheck);
}

async function addShellcheck(uri: string, version: number, l: WorkerLane, jobs: NonNullable<LintReply['shellcheck']>): Promise<void> {
  shellchecks.get(uri)?.abort();
  const abort = new AbortController();
  shellchecks.set(uri, abort);
  const results = await checkScripts(jobs, {
    signal: abort.signal,
    onUnavailable: (m) => log.info(m),
    onTimeout: (m) => log.warn(`${uri}: ${m}`),
    // One process at a time: the editor and the other documents need the rest of the machine.
    concurrency: 1,
  });
  if (shellchecks.get(uri) === abort) shellchecks.delete(uri);
  if (abort.signal.aborted || documents.get(uri)?.version !== version) return;
  try {
    const diagnostics = await l.request('shellcheck', { uri, version, results }, { uri, version });
    if (diagnostics && diagnostics !== CANCELLED) publish(uri, version, diagnostics);
  } catch (e) {
    log.error(`ShellCheck findings for ${uri} failed: ${(e as Error).message}`);
  }
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
    // A document whose lint takes long waits longer for a pause in typing, rather than start and be stopped.
    const delay = Math.max(delayMs ?? s.lint?.debounceMs ?? 200, Math.min(lintMs.get(doc.uri) ?? 0, MAX_DEBOUNCE_MS));
    timers.set(doc.uri, setTimeout(run, delay));
  });
}

// --- the protocol ---------------------------------------------------------------------------------------------

connection.onInitialize((params) => {
  canPullSettings = params.capabilities.workspace?.configuration === true;
  trusted = (params.initializationOptions as { trusted?: boolean } | undefined)?.trusted === true;
  const swept = sweepStaleShellcheckFolders();
  if (swept.length) log.info(`Removed ${swept.length} temporary ShellCheck folder(s) left by a language server that was killed.`);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
      hoverProvider: true,
    },
    serverInfo: { name: 'dockwise' },
  };
});

connection.onInitialized(() => {
  // The first document's diagnostics should not wait for a thread to load the engine and the shell parser.
  lanes.normal.warm();
  if (canPullSettings) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dockwise' });
});

// The workspace became trusted: ShellCheck may run now.
connection.onNotification('dockwise/trust', (params: { trusted: boolean }) => {
  const was = trusted;
  trusted = params.trusted === true;
  if (!trusted) for (const a of shellchecks.values()) a.abort();
  if (trusted !== was) for (const doc of documents.all()) if (kindOf(doc) === 'dockerfile') schedule(doc, 0);
});

connection.onCodeAction(async (params, token) => {
  const doc = documents.get(params.textDocument.uri);
  const kind = doc && kindOf(doc);
  if (!doc || !kind) return [];
  try {
    const settings = await settingsFor(doc.uri);
    const actions = await ask(doc, kind, 'codeActions', (d) => ({ doc: d, settings, params }), abortOn(token));
    return actions === CANCELLED ? [] : actions;
  } catch (e) {
    log.error(`Code actions for ${doc.uri} failed: ${(e as Error).message}`);
    return [];
  }
});

connection.onCodeActionResolve(async (action: CodeAction) => {
  if (!isFixAllOfKind(action)) return action;
  const doc = documents.get(action.data.uri);
  if (!doc || doc.version !== action.data.version) return action;
  try {
    const settings = await settingsFor(doc.uri);
    const kind = kindOf(doc);
    const l = laneFor(doc);
    if (!kind) return action;
    const resolved = await l.request('resolveCodeAction', { action, settings, doc: ref(doc, kind, l) }, { uri: doc.uri, version: doc.version, carries: !l.knows(doc.uri, doc.version) });
    return resolved === CANCELLED ? action : resolved;
  } catch (e) {
    log.error(`Resolving "${action.title}" failed: ${(e as Error).message}`);
    return action;
  }
});

connection.onHover(async (params, token) => {
  const doc = documents.get(params.textDocument.uri);
  const kind = doc && kindOf(doc);
  if (!doc || !kind) return null;
  try {
    const h = await ask(doc, kind, 'hover', (d) => ({ doc: d, position: params.position }), abortOn(token));
    return h === CANCELLED ? null : h;
  } catch (e) {
    log.error(`Hover in ${doc.uri} failed: ${(e as Error).message}`);
    return null;
  }
});

function abortOn(token: { isCancellationRequested: boolean; onCancellationRequested: (f: () => void) => unknown }): AbortSignal {
  const a = new AbortController();
  if (token.isCancellationRequested) a.abort();
  else token.onCancellationRequested(() => a.abort());
  return a.signal;
}

// Fired on open as well as on edits: lint a newly opened file at once, debounce the edits that follow.
const linted = new Set<string>();
documents.onDidChangeContent((e) => {
  const { uri, version } = e.document;
  const first = !linted.has(uri);
  linted.add(uri);
  for (const l of allLanes) l.supersede(uri, version);
  shellchecks.get(uri)?.abort();
  schedule(e.document, first ? 0 : undefined);
});

documents.onDidClose((e) => {
  const uri = e.document.uri;
  linted.delete(uri);
  lintMs.delete(uri);
  shellchecks.get(uri)?.abort();
  shellchecks.delete(uri);
  clearTimeout(timers.get(uri));
  timers.delete(uri);
  settingsCache.delete(uri);
  for (const l of allLanes) {
    l.forget(uri);
    void l.request('close', { uri });
  }
  void connection.sendDiagnostics({ uri, diagnostics: [] });
});

connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
  broadcast('invalidate', {});
  for (const doc of documents.all()) schedule(doc, 0);
});

// The editor learned about local images from the daemon: rules that depend on base images may change their mind.
connection.onNotification('dockwise/imageFacts', (params: { images: Record<string, ImageFacts> }) => {
  imageFacts = params.images ?? {};
  broadcast('imageFacts', { images: imageFacts });
  for (const doc of documents.all()) if (kindOf(doc) === 'dockerfile') schedule(doc, 0);
});

// The client shows a file again whose diagnostics it had hidden when its tab closed.
connection.onNotification('dockwise/relint', (params: { uri: string }) => {
  const doc = documents.get(params.uri);
  if (doc) schedule(doc, 0);
});

// Answered in order, after every message sent before it: a client learns that the server has seen its edits, and
// which version of a document it is linting, if any.
connection.onRequest('dockwise/sync', (params: { uri?: string } | undefined) => ({ linting: params?.uri ? linting.get(params.uri) ?? null : null }));

// A project config or .dockerignore changed on disk: everything open may lint differently now.
connection.onDidChangeWatchedFiles(() => {
  broadcast('invalidate', {});
  for (const doc of documents.all()) schedule(doc, 0);
});

connection.onShutdown(async () => {
  for (const a of shellchecks.values()) a.abort();
  cleanupShellcheck();
  await Promise.all(allLanes.map((l) => l.dispose()));
});

// Killed by a signal: clean up as on exit (Node does not run exit handlers for a signal it was not told about).
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    cleanupShellcheck();
    process.exit(0);
  });
}

documents.listen(connection);
connection.listen();
