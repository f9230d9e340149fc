/**
 * "Build Image" on a Dockerfile: builds its folder through the daemon's API with a cancellable progress
 * notification, streams the build's output to its own channel, puts a failed step on the instruction that failed
 * (with what it printed last) and refreshes the layer-size lenses when the build passes.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildImage, BuildOutcome, ContextScan } from '../docker/build';
import type { DaemonWatcher } from '../docker/daemonWatcher';
import { contextAdvice, defaultTag, LineRange, lineRange, parseErrorLine, stepRange, tagProblem } from './buildReport';
import { formatSize } from './historyMatch';
import type { LayerSizeLenses } from './layerLens';

const COPY_ADD_LESSON = 'dockwise.todoApp#copyAdd';
const TAGS_KEY = 'dockwise.build.tags';

/** What a build reports back to its caller (the command's return value; tests read it). */
export interface BuildReport {
  tag: string;
  ok: boolean;
  cancelled: boolean;
  imageId?: string;
  error?: string;
  /** 0-based line of the instruction the failure was put on. */
  failedLine?: number;
  context: { files: number; bytes: number; ignoreFile?: string; warning?: string };
}

/** `dockwise.buildImage(uri?, { tag? })`: the tag skips the question, for scripts and tests. */
export interface BuildCommandOptions {
  tag?: string;
}

export class ImageBuilder implements vscode.Disposable {
  private readonly output = vscode.window.createOutputChannel('Dockwise: Docker Build', { log: true });
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('dockwise-build');
  private readonly running = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly watcher: DaemonWatcher,
    private readonly lenses: LayerSizeLenses,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // A failure marks the file as it was built; once the user edits it, the mark is out of date.
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.diagnostics.has(e.document.uri)) this.diagnostics.delete(e.document.uri);
      }),
    );
  }

  async build(target?: unknown, opts: BuildCommandOptions = {}): Promise<BuildReport | undefined> {
    const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showWarningMessage('Open a Dockerfile saved on disk to build it: the build sends its folder to Docker.');
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Building runs the Dockerfile’s commands on your Docker daemon. Trust this workspace to build from it.');
      return undefined;
    }
    if (this.watcher.state !== 'up') {
      void vscode.window.showErrorMessage(`Docker is not answering${this.watcher.lastError ? ` (${this.watcher.lastError})` : ''}. Start Docker, then build again.`);
      return undefined;
    }
    const key = uri.toString();
    if (this.running.has(key)) {
      void vscode.window.showInformationMessage(`${path.basename(uri.fsPath)} is already being built.`);
      return undefined;
    }
    this.running.add(key);
    try {
      // Build what the editor shows: unsaved changes go to disk first.
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (open?.isDirty && !(await open.save())) return undefined;
      const tag = (opts.tag ?? (await this.askTag(uri)))?.trim();
      if (!tag) return undefined;
      const problem = tagProblem(tag);
      if (problem) {
        void vscode.window.showErrorMessage(`Cannot tag the image "${tag}": ${problem}`);
        return undefined;
      }
      await this.rememberTag(uri, tag);
      return await this.run(uri, tag);
    } finally {
      this.running.delete(key);
    }
  }

  private async askTag(uri: vscode.Uri): Promise<string | undefined> {
    const remembered = this.context.workspaceState.get<Record<string, string>>(TAGS_KEY, {})[uri.toString()];
    return vscode.window.showInputBox({
      title: `Build Image from ${vscode.workspace.asRelativePath(uri)}`,
      prompt: 'Name and tag for the image (name:tag). The build context is the Dockerfile’s folder.',
      value: remembered ?? defaultTag(uri.fsPath),
      validateInput: (v) => tagProblem(v),
      ignoreFocusOut: true,
    });
  }

  private async rememberTag(uri: vscode.Uri, tag: string): Promise<void> {
    const tags = { ...this.context.workspaceState.get<Record<string, string>>(TAGS_KEY, {}), [uri.toString()]: tag };
    await this.context.workspaceState.update(TAGS_KEY, tags);
  }

  private run(uri: vscode.Uri, tag: string): Thenable<BuildReport> {
    const dockerfilePath = uri.fsPath;
    const contextDir = path.dirname(dockerfilePath);
    this.diagnostics.delete(uri);
    this.output.appendLine(`Building ${tag} from ${dockerfilePath} (context: ${contextDir}) on ${this.watcher.endpoint.description}`);
    const started = Date.now();
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Building ${tag}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        let scanned: ContextScan | undefined;
        let warning: string | undefined;
        progress.report({ message: 'reading the build context…' });
        try {
          const outcome = await buildImage(this.watcher.docker, {
            contextDir,
            dockerfilePath,
            tag,
            signal: abort.signal,
            onContext: (scan) => {
              scanned = scan;
              const advice = contextAdvice(scan);
              warning = advice.warning;
              this.output.appendLine(`Sending the build context: ${advice.summary}`);
              if (warning) this.output.appendLine(warning);
              progress.report({ message: `sending the context (${formatSize(scan.bytes)})…` });
            },
            onStep: (step) => progress.report({ message: `step ${step.index}/${step.total}: ${step.instruction.slice(0, 60)}` }),
            onLine: (line) => (line.startsWith('ERROR: ') ? this.output.error(line.slice('ERROR: '.length)) : this.output.appendLine(line)),
          });
          const report = await this.finish(uri, tag, outcome, Date.now() - started);
          if (warning && !report.cancelled) void this.teachContext(warning);
          return report;
        } catch (e) {
          const message = (e as Error).message;
          const cancelled = abort.signal.aborted;
          if (cancelled) this.output.appendLine('Cancelled.');
          else this.output.error(message);
          if (!cancelled) void this.showFailure(`Building ${tag} failed: ${message}`);
          return { tag, ok: false, cancelled, error: message, context: { files: scanned?.files ?? 0, bytes: scanned?.bytes ?? 0, ignoreFile: scanned?.ignoreFile, warning } };
        } finally {
          cancel.dispose();
        }
      },
    );
  }

  private async finish(uri: vscode.Uri, tag: string, outcome: BuildOutcome & { context: ContextScan }, elapsedMs: number): Promise<BuildReport> {
    const advice = contextAdvice(outcome.context);
    const context = { files: outcome.context.files, bytes: outcome.context.bytes, ignoreFile: outcome.context.ignoreFile, warning: advice.warning };
    const seconds = (elapsedMs / 1000).toFixed(1);
    if (outcome.ok) {
      this.output.appendLine(`Built ${tag} (${outcome.imageId.replace(/^sha256:/, '').slice(0, 12)}) in ${seconds} s.`);
      this.log.info(`Built ${tag} from ${uri.fsPath}`);
      this.lenses.showBuilt(uri, outcome.imageId);
      void vscode.window.showInformationMessage(`Built ${tag} in ${seconds} s (context ${advice.summary}).`);
      return { tag, ok: true, cancelled: false, imageId: outcome.imageId, context };
    }
    if (outcome.cancelled) {
      this.output.appendLine('Cancelled.');
      return { tag, ok: false, cancelled: true, error: outcome.error, context };
    }
    const failedLine = await this.markFailure(uri, outcome);
    void this.showFailure(`Building ${tag} failed${outcome.step ? ` at step ${outcome.step.index}/${outcome.step.total} (${outcome.step.instruction.slice(0, 60)})` : ''}: ${outcome.error}`);
    return { tag, ok: false, cancelled: false, error: outcome.error, failedLine, context };
  }

  /** The failure as an error on the instruction that failed, with the last lines it printed. */
  private async markFailure(uri: vscode.Uri, outcome: Extract<BuildOutcome, { ok: false }>): Promise<number | undefined> {
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    let range: LineRange | undefined = outcome.step ? stepRange(text, outcome.step) : undefined;
    if (!range) {
      const line = parseErrorLine(outcome.error);
      if (line !== undefined) range = lineRange(text, line);
    }
    if (!range) return undefined;
    const tail = outcome.lastLines.length ? `\n\nLast lines of its output:\n${outcome.lastLines.map((l) => `  ${l}`).join('\n')}` : '';
    const step = outcome.step ? `step ${outcome.step.index}/${outcome.step.total}` : 'this line';
    const d = new vscode.Diagnostic(
      new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character),
      `docker build failed at ${step}: ${outcome.error}${tail}`,
      vscode.DiagnosticSeverity.Error,
    );
    d.source = 'docker build';
    this.diagnostics.set(uri, [d]);
    return range.start.line;
  }

  private async showFailure(message: string): Promise<void> {
    if ((await vscode.window.showErrorMessage(message, 'Show Build Log')) === 'Show Build Log') this.output.show(true);
  }

  private async teachContext(warning: string): Promise<void> {
    const pick = await vscode.window.showWarningMessage(warning, 'Learn why', 'Show Build Log');
    if (pick === 'Learn why') await vscode.commands.executeCommand('dockwise.openLesson', COPY_ADD_LESSON);
    if (pick === 'Show Build Log') this.output.show(true);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.output.dispose();
    this.diagnostics.dispose();
  }
}
