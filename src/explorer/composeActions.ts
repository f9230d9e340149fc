/**
 * Compose Up / Down / Restart / Logs on a compose file (explorer and editor menus) and on a compose project of the
 * Containers view, run in a terminal the user sees with whichever compose is installed, against the daemon the
 * explorer talks to.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMPOSE_MISSING, ComposeAction, composeArgs, ComposeTarget, findCompose, projectFiles } from '../docker/compose';
import { dockerCliEnv } from '../docker/connection';
import type { DaemonWatcher } from '../docker/daemonWatcher';
import { runCliTask } from './cliTask';
import type { ExplorerNode } from './trees';

export const COMPOSE_FILE_GLOB = '**/{compose,docker-compose}*.{yaml,yml}';

export interface ComposeRunResult {
  /** The command line run, as a person would type it. */
  command?: string;
  exitCode?: number;
  /** Why nothing ran. */
  error?: string;
}

const VERB: Record<ComposeAction, string> = { up: 'Compose Up', down: 'Compose Down', restart: 'Compose Restart', logs: 'Compose Logs' };

export function registerCompose(watcher: DaemonWatcher, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const run = async (action: ComposeAction, arg?: unknown): Promise<ComposeRunResult> => {
    const target = await targetOf(arg, action);
    if (!target) return { error: 'no compose file or project' };
    if (!vscode.workspace.isTrusted) {
      const error = `${VERB[action]} runs Docker Compose, so it needs a trusted workspace.`;
      void vscode.window.showWarningMessage(error, 'Manage Workspace Trust').then((p) => p && vscode.commands.executeCommand('workbench.trust.manage'));
      return { error };
    }
    const tool = await findCompose();
    if (!tool) {
      log.warn(COMPOSE_MISSING);
      void vscode.window.showErrorMessage(COMPOSE_MISSING, 'Install Docker Compose').then((p) => p && vscode.env.openExternal(vscode.Uri.parse('https://docs.docker.com/compose/install/')));
      return { error: COMPOSE_MISSING };
    }
    const args = [...tool.prefix, ...composeArgs(action, target.compose)];
    const started = await runCliTask({ name: `${VERB[action]}: ${target.label}`, command: tool.command, args, cwd: target.cwd, env: dockerCliEnv(watcher.endpoint), log });
    // Logs follow until the user stops them: report that it started, not when it ends.
    if (action === 'logs') return { command: started.commandLine };
    const exitCode = await started.exitCode;
    if (exitCode) void vscode.window.showErrorMessage(`${VERB[action]} of ${target.label} failed (exit code ${exitCode}); the terminal shows why.`);
    return { command: started.commandLine, exitCode };
  };
  return (['up', 'down', 'restart', 'logs'] as ComposeAction[]).map((action) => vscode.commands.registerCommand(`dockwise.compose.${action}`, (arg?: unknown) => run(action, arg)));
}

interface ResolvedTarget {
  compose: ComposeTarget;
  cwd?: string;
  label: string;
}

/** The compose file or project an action is for: the clicked file or project, the open compose file, or one picked. */
async function targetOf(arg: unknown, action: ComposeAction): Promise<ResolvedTarget | undefined> {
  const node = arg as ExplorerNode | undefined;
  if (node && typeof node === 'object' && 'type' in node && node.type === 'composeProject') {
    const p = node.project;
    const files = projectFiles(p).filter((f) => fs.existsSync(f));
    const dir = p.workingDir && fs.existsSync(p.workingDir) ? p.workingDir : undefined;
    // Without its files (they were elsewhere, or moved), compose still finds a project's containers by name.
    return { compose: { projectName: p.name, files, projectDir: files.length ? dir : undefined }, cwd: dir, label: p.name };
  }
  let uri = arg instanceof vscode.Uri ? arg : undefined;
  if (!uri) {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && (doc.languageId === 'dockercompose' || /(^|\/)(docker-)?compose[^/]*\.ya?ml$/.test(doc.uri.path)) && doc.uri.scheme === 'file') uri = doc.uri;
  }
  if (!uri) {
    const found = await vscode.workspace.findFiles(COMPOSE_FILE_GLOB, '**/node_modules/**', 50);
    if (!found.length) {
      void vscode.window.showInformationMessage('No compose file here: open a compose.yaml, or run this from one in the Explorer.');
      return undefined;
    }
    const pick = found.length === 1 ? found[0] : (await vscode.window.showQuickPick(found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title: VERB[action] }))?.uri;
    if (!pick) return undefined;
    uri = pick;
  }
  if (uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Docker Compose runs on files on disk; save this file first.');
    return undefined;
  }
  const file = uri.fsPath;
  return { compose: { files: [file] }, cwd: path.dirname(file), label: vscode.workspace.asRelativePath(uri) };
}
