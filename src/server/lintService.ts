/**
 * The work of the language server that parses: linting, the scripts for ShellCheck and their findings, code
 * actions and hovers. It runs in a worker thread (lintWorker.ts), off the server's message loop, and keeps the
 * last lint of each document so that code actions and hovers are answered from it rather than by parsing again.
 */
import * as path from 'node:path';
import type { CodeAction, Diagnostic, Hover } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { forgetLints, lintWithContext, LintResult, rememberLints } from '../diagnostics/engine';
import { parseDockerfile, ParsedDockerfile } from '../diagnostics/dockerfile/parse';
import { diskHost, LintHost } from '../diagnostics/host';
import { applyImageFacts, ImageFacts, SilencedFinding } from '../diagnostics/imageFacts';
import { ResolvedConfig, resolveProjectConfig } from '../diagnostics/projectConfig';
import { shellcheckFindings, shellcheckJobs, ShellcheckJob } from '../diagnostics/shellcheck';
import { byPosition, Finding, range } from '../diagnostics/types';
import { codeActions, resolveFixAllOfKind } from './codeActions';
import { hover } from './hover';
import { CodeActionRequest, DocumentRef, HoverRequest, isFixAllOfKind, LintParams, LintReply, Settings, ShellcheckParams, WorkerMethods } from './protocol';
import { EDITOR_MAX_PER_FILE, findingsToShow, hiddenFindingsMessage } from './diagnosticLimit';
import { toDiagnostic } from './toDiagnostic';

interface DocState {
  uri: string;
  version: number;
  kind: DocumentRef['kind'];
  filePath?: string;
  text: string;
  /** The last lint of this very version. */
  lint?: LintResult;
  /** Diagnostics about the configuration, published before the findings. */
  problems?: Diagnostic[];
  jobs?: ShellcheckJob[];
  silenced: SilencedFinding[];
  parsed?: ParsedDockerfile;
}

/** Thrown when a request names a version the service does not have and brings no text: the caller sends it again with the text. */
export class UnknownVersionError extends Error {
  override name = 'UnknownVersionError';
}

export class LintService implements WorkerMethods {
  private readonly docs = new Map<string, DocState>();
  private readonly configs = new Map<string, ResolvedConfig>();
  /** Open documents by path, read instead of the disk (a Dockerfile a compose file builds, being edited). */
  private readonly overlayFiles = new Map<string, string>();
  private images: Record<string, ImageFacts> = {};
  readonly host: LintHost = {
    readFile: (file) => this.overlayFiles.get(file) ?? diskHost.readFile(file),
  };

  constructor() {
    // A fix-all lints the text the last lint just did (its first pass), and again when a pass changes nothing.
    rememberLints(4);
  }

  lint(p: LintParams): LintReply {
    const started = performance.now();
    const doc = this.document(p.doc);
    const resolved = this.config(doc.filePath, p.settings);
    const problems: Diagnostic[] = resolved.problems.map((problem) => ({
      range: range(0, 0, 0, 0),
      severity: DiagnosticSeverity.Warning,
      code: 'config-invalid',
      source: 'dockwise',
      message: `Configuration ignored: ${problem.message}`,
    }));
    const result = lintWithContext({ text: doc.text, kind: doc.kind, filePath: doc.filePath, config: resolved.config, host: this.host, maxBytes: p.maxBytes });
    let findings: Finding[] = result.findings;
    doc.silenced = [];
    if (doc.kind === 'dockerfile' && result.dockerfile) {
      const applied = applyImageFacts(findings, result.dockerfile, this.images, { maxAgeDays: p.settings.lint?.baseImageMaxAgeDays });
      findings = applied.findings;
      doc.silenced = applied.silenced;
    }
    doc.lint = { ...result, findings };
    doc.problems = problems;
    const diagnostics = this.published(doc, findings);
    doc.jobs = p.shellcheck && result.dockerfile ? shellcheckJobs(result.dockerfile) : undefined;
    return {
      diagnostics,
      ...(doc.jobs?.length ? { shellcheck: doc.jobs.map((j) => ({ dialect: j.dialect, script: j.script })) } : {}),
      silenced: doc.silenced,
      ms: performance.now() - started,
    };
  }

  shellcheck(p: ShellcheckParams): Diagnostic[] | undefined {
    const doc = this.docs.get(p.uri);
    if (!doc || doc.version !== p.version || !doc.jobs || !doc.lint?.dockerfile) return undefined;
    const found = shellcheckFindings(doc.lint.dockerfile, doc.jobs, p.results);
    return this.published(doc, [...doc.lint.findings, ...found].sort(byPosition));
  }

  /** What the editor is sent: configuration problems, then the findings it shows (diagnosticLimit.ts). */
  private published(doc: DocState, findings: readonly Finding[]): Diagnostic[] {
    const { shown, hidden } = findingsToShow(findings, EDITOR_MAX_PER_FILE - (doc.problems?.length ?? 0));
    const diagnostics = [...(doc.problems ?? []), ...shown.map((f) => toDiagnostic(f, doc.kind))];
    if (hidden) {
      diagnostics.unshift({
        range: range(0, 0, 0, 0),
        severity: DiagnosticSeverity.Information,
        source: 'dockwise',
        message: hiddenFindingsMessage(hidden, findings.length, doc.filePath && path.basename(doc.filePath)),
      });
    }
    return diagnostics;
  }

  codeActions(p: CodeActionRequest): CodeAction[] {
    const doc = this.document(p.doc);
    const { config } = this.config(doc.filePath, p.settings);
    return codeActions({ uri: doc.uri, version: doc.version, ...this.lastLint(doc) }, p.params, {
      filePath: doc.filePath,
      config,
      host: this.host,
    });
  }

  resolveCodeAction(p: { action: CodeAction; settings: Settings; doc: DocumentRef }): CodeAction {
    const action = p.action;
    // Offered on another version of the text: the editor asks again for the current one.
    if (!isFixAllOfKind(action) || p.doc.uri !== action.data.uri || p.doc.version !== action.data.version) return action;
    const doc = this.document(p.doc);
    const { config } = this.config(doc.filePath, p.settings);
    return resolveFixAllOfKind(action, this.lastLint(doc), { filePath: doc.filePath, config, host: this.host });
  }

  /** A document's text with its last lint's findings and parse, which code actions start from. */
  private lastLint(doc: DocState) {
    return { kind: doc.kind, text: doc.text, findings: doc.lint?.findings, dockerfile: doc.lint?.dockerfile };
  }

  hover(p: HoverRequest): Hover | null {
    const doc = this.document(p.doc);
    const parsed = () => doc.lint?.dockerfile?.parsed ?? (doc.parsed ??= parseDockerfile(doc.text));
    return hover({ kind: doc.kind, text: doc.text, parsed }, p.position, doc.silenced);
  }

  close(p: { uri: string }): void {
    this.docs.delete(p.uri);
  }

  overlay(p: { files: Record<string, string | null> }): void {
    for (const [file, text] of Object.entries(p.files)) {
      if (text === null) this.overlayFiles.delete(file);
      else this.overlayFiles.set(file, text);
    }
    forgetLints();
  }

  imageFacts(p: { images: Record<string, ImageFacts> }): void {
    this.images = p.images ?? {};
  }

  invalidate(): void {
    this.configs.clear();
    forgetLints();
  }

  /** The state of a document at the version asked for; a new version (with its text) replaces the old. */
  private document(ref: DocumentRef): DocState {
    const known = this.docs.get(ref.uri);
    if (known && known.version === ref.version && (ref.text === undefined || ref.text === known.text)) return known;
    if (ref.text === undefined) throw new UnknownVersionError(`${ref.uri} version ${ref.version} is not known here`);
    const doc: DocState = { uri: ref.uri, version: ref.version, kind: ref.kind, filePath: ref.filePath, text: ref.text, silenced: [] };
    this.docs.set(ref.uri, doc);
    return doc;
  }

  /**
   * The project configuration for a file: its settings under the nearest `.dockwise.yaml`/`.hadolint.yaml`.
   * Cached per folder and settings (finding it walks up to the root reading files, and lints run on every pause in
   * typing); the same object each time, so the engine can recognise a lint it just did.
   */
  private config(filePath: string | undefined, settings: Settings): ResolvedConfig {
    const base = { rules: settings.rules ?? {}, shellcheck: settings.shellcheck?.enabled !== false };
    const key = `${filePath ? path.dirname(filePath) : ''}\0${JSON.stringify(base)}`;
    let resolved = this.configs.get(key);
    if (!resolved) {
      resolved = resolveProjectConfig(filePath, this.host, base);
      this.configs.set(key, resolved);
    }
    return resolved;
  }
}
