/**
 * Messages between the language server's message loop and its lint workers. The loop owns the documents, the
 * schedule and the ShellCheck processes; a worker owns parsing, linting, fixes and hovers, and keeps the last lint
 * of each document so that code actions and hovers are answered from it.
 */
import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic, Hover, Position } from 'vscode-languageserver/node';
import type { LintConfig } from '../diagnostics/config';
import type { ImageFacts, SilencedFinding } from '../diagnostics/imageFacts';
import type { Script, ScriptResult } from '../diagnostics/shellcheckRunner';
import type { FileKind } from '../diagnostics/types';

export const FIX_ALL_KIND = CodeActionKind.SourceFixAll + '.dockwise';

/** What a "fix all of this kind" action carries until the editor asks for its edit (codeAction/resolve). */
export interface FixAllOfKindData {
  fixAllOfKind: string;
  uri: string;
  version: number;
}

export const isFixAllOfKind = (action: CodeAction): action is CodeAction & { data: FixAllOfKindData } =>
  typeof (action.data as Partial<FixAllOfKindData> | undefined)?.fixAllOfKind === 'string';

/** The `dockwise` settings the server reads per document. */
export interface Settings {
  rules?: LintConfig['rules'];
  shellcheck?: { enabled?: boolean };
  lint?: { debounceMs?: number; baseImageMaxAgeDays?: number };
}

/** A document as a worker needs it; `text` is left out when the worker already has this version. */
export interface DocumentRef {
  uri: string;
  version: number;
  kind: FileKind;
  filePath?: string;
  text?: string;
}

export interface LintParams {
  doc: DocumentRef & { text: string };
  settings: Settings;
  /** Whether to return the scripts for ShellCheck (a trusted workspace with ShellCheck on PATH). */
  shellcheck: boolean;
  /** Lint at most this many characters (after the worker ran out of memory on the whole file). */
  maxBytes?: number;
}

export interface LintReply {
  diagnostics: Diagnostic[];
  /** The scripts to run ShellCheck on, when asked for and the configuration does not turn it off. */
  shellcheck?: Script[];
  silenced: SilencedFinding[];
  /** Time the lint took in the worker, for the schedule. */
  ms: number;
}

export interface ShellcheckParams {
  uri: string;
  version: number;
  results: ScriptResult[];
}

export interface CodeActionRequest {
  doc: DocumentRef;
  settings: Settings;
  params: CodeActionParams;
}

export interface HoverRequest {
  doc: DocumentRef;
  position: Position;
}

/** Requests the loop sends a worker, by name, with their parameters and results. */
export interface WorkerMethods {
  lint(p: LintParams): LintReply;
  shellcheck(p: ShellcheckParams): Diagnostic[] | undefined;
  codeActions(p: CodeActionRequest): CodeAction[];
  resolveCodeAction(p: { action: CodeAction; settings: Settings; doc: DocumentRef }): CodeAction;
  hover(p: HoverRequest): Hover | null;
  close(p: { uri: string }): void;
  /** Open documents the engine should read instead of the disk (path → text; null when closed). */
  overlay(p: { files: Record<string, string | null> }): void;
  imageFacts(p: { images: Record<string, ImageFacts> }): void;
  /** Project files changed on disk, or settings changed: read them again. */
  invalidate(p: Record<string, never>): void;
}

export type WorkerMethod = keyof WorkerMethods;

export interface WorkerRequest {
  id: number;
  method: WorkerMethod;
  params: unknown;
}

/** The error a worker answers when it does not have the document version asked for (it was restarted). */
export const UNKNOWN_VERSION = 'unknown-version';

export type WorkerReply = { id: number; result: unknown } | { id: number; error: string } | { log: string; level: 'info' | 'warn' | 'error' };
