/**
 * The course's terminal buttons run their command, in a terminal whose folder is the todo-app sample, and never type
 * onto a half-written line. With shell integration VS Code runs the command itself (it clears a half-typed prompt
 * first); without it, a Ctrl+C clears the line. A terminal busy with a command (an interactive shell in a container,
 * `docker logs -f`) is left alone and another course terminal opens.
 *
 * It also watches `docker` commands in any terminal with shell integration: when one fails, its command line, exit
 * code and output go to `onFailure` (commandFailures.ts says what went wrong).
 */
import * as vscode from 'vscode';
import { CommandFailure, diagnoseCommand, isDockerCommand, isInteractive, MAX_OUTPUT } from './commandFailures';

export const TERMINAL_NAME = 'Dockwise Course';
/** How long a new terminal gets to report shell integration before the command is sent without it (a busy machine needs seconds). */
const SHELL_INTEGRATION_WAIT_MS = 10_000;
/** How long a sent command counts as running before its shell reports it. */
const SENT_GRACE_MS = 3000;
/** Shells VS Code's shell integration supports; for others there is nothing to wait for. */
const INTEGRATED_SHELLS = /(^|[\\/])(bash|zsh|fish|pwsh|powershell)(\.exe)?$/i;

export interface CourseTerminalOptions {
  /** The folder commands run in (the sample), when there is one. */
  folder(): Promise<string | undefined>;
  /** Extra environment for new terminals (DOCKER_HOST when Dockwise's own setting chose the daemon). */
  env(): Record<string, string> | undefined;
  onFailure(failure: CommandFailure, commandLine: string, courseTerminal: boolean): void;
  /** Any docker command ended (the daemon may show something new). */
  onDockerCommandEnd(commandLine: string): void;
  log: vscode.LogOutputChannel;
}

export class CourseTerminals implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Terminals with a command running (from shell integration), or sent an interactive command without it. */
  private readonly busy = new Set<vscode.Terminal>();
  private readonly outputs = new Map<vscode.TerminalShellExecution, { text: string; done: Promise<void> }>();
  private readonly ours = new Set<vscode.Terminal>();
  /** When a command was last sent to a terminal whose shell has not yet said it started (ms). */
  private readonly sent = new Map<vscode.Terminal, number>();

  constructor(private readonly opts: CourseTerminalOptions) {
    this.disposables.push(
      vscode.window.onDidCloseTerminal((t) => {
        this.busy.delete(t);
        this.ours.delete(t);
        this.sent.delete(t);
      }),
      vscode.window.onDidStartTerminalShellExecution((e) => this.started(e)),
      vscode.window.onDidEndTerminalShellExecution((e) => void this.ended(e)),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** Runs a course command. Returns the terminal it ran in. */
  async run(text: string): Promise<vscode.Terminal> {
    const folder = await this.opts.folder();
    const existing = this.idleTerminal(folder);
    const terminal = existing ?? this.create(folder);
    terminal.show(false);
    const integration = terminal.shellIntegration ?? (expectsShellIntegration() ? await waitForShellIntegration(terminal, SHELL_INTEGRATION_WAIT_MS) : undefined);
    if (integration) {
      // VS Code sends Ctrl+C first when the prompt holds typed text, then runs the command.
      integration.executeCommand(text);
      this.sent.set(terminal, Date.now());
    } else {
      // No way to see the prompt: clear whatever may be typed on it, then run. A new terminal has nothing typed, and a
      // Ctrl+C while its shell still starts would stop the shell's own setup (shell integration among it).
      if (existing) {
        terminal.sendText('\x03', false);
        await new Promise((r) => setTimeout(r, 150));
      }
      terminal.sendText(text, true);
      if (isInteractive(text)) this.busy.add(terminal);
    }
    this.opts.log.info(`course: ran in the terminal: ${text}`);
    return terminal;
  }

  /** A course terminal that is at its prompt, in the sample folder when shell integration tells where it is. */
  private idleTerminal(folder: string | undefined): vscode.Terminal | undefined {
    return vscode.window.terminals.find((t) => {
      if (!this.ours.has(t) && t.name !== TERMINAL_NAME) return false;
      if (t.exitStatus !== undefined || this.busy.has(t)) return false;
      // A command just sent may not have reported its start yet: a second click must not type into it.
      if (Date.now() - (this.sent.get(t) ?? 0) < SENT_GRACE_MS) return false;
      const cwd = t.shellIntegration?.cwd;
      return !folder || !cwd || samePath(cwd.fsPath, folder);
    });
  }

  private create(folder: string | undefined): vscode.Terminal {
    const n = vscode.window.terminals.filter((t) => this.ours.has(t) || t.name.startsWith(TERMINAL_NAME)).length;
    const terminal = vscode.window.createTerminal({
      name: n ? `${TERMINAL_NAME} ${n + 1}` : TERMINAL_NAME,
      cwd: folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      env: this.opts.env(),
      iconPath: new vscode.ThemeIcon('mortar-board'),
    });
    this.ours.add(terminal);
    return terminal;
  }

  private started(e: vscode.TerminalShellExecutionStartEvent): void {
    this.busy.add(e.terminal);
    this.sent.delete(e.terminal);
    const line = e.execution.commandLine.value;
    if (!isDockerCommand(line)) return;
    // Read from the start: the stream only holds what comes after the first read.
    const record = { text: '', done: Promise.resolve() };
    record.done = (async () => {
      try {
        for await (const data of e.execution.read()) {
          record.text = (record.text + data).slice(-MAX_OUTPUT);
        }
      } catch {
        /* the terminal went away */
      }
    })();
    this.outputs.set(e.execution, record);
  }

  private async ended(e: vscode.TerminalShellExecutionEndEvent): Promise<void> {
    this.busy.delete(e.terminal);
    const line = e.execution.commandLine.value;
    const record = this.outputs.get(e.execution);
    this.outputs.delete(e.execution);
    if (!isDockerCommand(line)) return;
    this.opts.onDockerCommandEnd(line);
    if (record) await Promise.race([record.done, new Promise((r) => setTimeout(r, 500))]);
    const failure = diagnoseCommand(line, e.exitCode, record?.text ?? '');
    if (failure) this.opts.onFailure(failure, line, this.ours.has(e.terminal) || e.terminal.name.startsWith(TERMINAL_NAME));
  }
}

function expectsShellIntegration(): boolean {
  return vscode.workspace.getConfiguration('terminal.integrated').get<boolean>('shellIntegration.enabled', true) && INTEGRATED_SHELLS.test(vscode.env.shell);
}

function waitForShellIntegration(terminal: vscode.Terminal, ms: number): Promise<vscode.TerminalShellIntegration | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(undefined);
    }, ms);
    const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal !== terminal) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e.shellIntegration);
    });
  });
}

const samePath = (a: string, b: string) => a.replace(/[\\/]+$/, '') === b.replace(/[\\/]+$/, '');
