/**
 * Runs a Docker CLI program (docker push, docker compose up …) in a terminal the user sees, as a task whose process
 * gets its arguments as a list: nothing passes through a shell, so a path or a name with spaces, quotes or `$(…)`
 * stays one argument. Resolves with the exit code when the process ends.
 */
import * as vscode from 'vscode';
import { displayCommand } from '../docker/compose';

export const TASK_TYPE = 'dockwise';

export interface CliRun {
  /** The command line as a person would type it (for messages and logs only). */
  commandLine: string;
  /** The exit code, or undefined when the terminal was closed before the process ended. */
  exitCode: Promise<number | undefined>;
  execution: vscode.TaskExecution;
}

export async function runCliTask(opts: { name: string; command: string; args: string[]; cwd?: string; env: Record<string, string>; log?: vscode.LogOutputChannel }): Promise<CliRun> {
  const folder = opts.cwd ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(opts.cwd)) : undefined;
  const task = new vscode.Task(
    { type: TASK_TYPE, command: opts.command, args: opts.args },
    folder ?? vscode.TaskScope.Workspace,
    opts.name,
    'Dockwise',
    new vscode.ProcessExecution(opts.command, opts.args, { cwd: opts.cwd, env: opts.env }),
    [],
  );
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, focus: false, showReuseMessage: true };
  const commandLine = displayCommand(opts.command, opts.args);
  opts.log?.info(`$ ${commandLine}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
  let execution: vscode.TaskExecution | undefined;
  let settle: (code: number | undefined) => void = () => undefined;
  const exitCode = new Promise<number | undefined>((resolve) => (settle = resolve));
  // Subscribe before starting: a quick process can end before executeTask returns.
  const pending: { execution: vscode.TaskExecution; code: number | undefined }[] = [];
  const ended = vscode.tasks.onDidEndTaskProcess((e) => {
    if (execution ? e.execution === execution : e.execution.task.name === opts.name) pending.push({ execution: e.execution, code: e.exitCode });
    const hit = pending.find((p) => p.execution === execution);
    if (hit) finish(hit.code);
  });
  const gone = vscode.tasks.onDidEndTask((e) => {
    if (execution && e.execution === execution) setTimeout(() => finish(undefined), 500);
  });
  const finish = (code: number | undefined) => {
    ended.dispose();
    gone.dispose();
    if (code !== undefined) opts.log?.info(`${commandLine} exited with ${code}`);
    settle(code);
  };
  execution = await vscode.tasks.executeTask(task);
  const early = pending.find((p) => p.execution === execution);
  if (early) finish(early.code);
  return { commandLine, exitCode, execution };
}
