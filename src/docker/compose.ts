/**
 * Docker Compose from the explorer: which compose is installed (the `docker compose` plugin, or the standalone
 * `docker-compose`), compose projects found from their containers' labels, and the argument lists for up, down,
 * restart and logs. Arguments are lists handed to the process as they are, never joined into a shell line.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { ContainerItem } from './model';

export type ComposeAction = 'up' | 'down' | 'restart' | 'logs';

export interface ComposeTool {
  /** The program and the arguments before compose's own: `docker compose` or `docker-compose`. */
  command: string;
  prefix: string[];
  version: string;
}

/** Where compose runs: files of a project (and its folder), or only a project name (compose then finds its containers). */
export interface ComposeTarget {
  files: string[];
  projectName?: string;
  projectDir?: string;
}

export interface ComposeProject {
  name: string;
  workingDir?: string;
  configFiles: string[];
  containers: ContainerItem[];
  running: number;
}

/** Containers grouped by their compose project, by name; containers of no project are left out. */
export function composeProjects(containers: ContainerItem[]): ComposeProject[] {
  const byName = new Map<string, ComposeProject>();
  for (const c of containers) {
    if (!c.compose) continue;
    let p = byName.get(c.compose.project);
    if (!p) byName.set(c.compose.project, (p = { name: c.compose.project, workingDir: c.compose.workingDir, configFiles: c.compose.configFiles, containers: [], running: 0 }));
    p.containers.push(c);
    if (c.running) p.running++;
    if (!p.configFiles.length && c.compose.configFiles.length) p.configFiles = c.compose.configFiles;
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** compose's own arguments for an action: detached up, the last 200 log lines and then follow. */
export function composeArgs(action: ComposeAction, target: ComposeTarget): string[] {
  const args: string[] = [];
  if (target.projectName) args.push('-p', target.projectName);
  if (target.projectDir) args.push('--project-directory', target.projectDir);
  for (const f of target.files) args.push('-f', f);
  switch (action) {
    case 'up':
      return [...args, 'up', '-d'];
    case 'down':
      return [...args, 'down'];
    case 'restart':
      return [...args, 'restart'];
    case 'logs':
      return [...args, 'logs', '-f', '--tail', '200'];
  }
}

/** How a project's compose files were recorded (absolute, or relative to its working folder), as absolute paths. */
export function projectFiles(project: Pick<ComposeProject, 'workingDir' | 'configFiles'>): string[] {
  return project.configFiles.map((f) => (path.isAbsolute(f) || !project.workingDir ? f : path.join(project.workingDir, f)));
}

/** The program line as a person would type it, quoted where needed: for logs and messages, never for running. */
export function displayCommand(command: string, args: string[]): string {
  return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs, windowsHide: true }, (err, stdout) => resolve(err ? undefined : String(stdout).trim()));
  });
}

const found = new Map<string, Promise<ComposeTool | undefined>>();

/**
 * The compose installed here: the `docker compose` plugin first, else `docker-compose`. Remembered per PATH; a
 * failed look-up is asked again next time (the user may have installed it since).
 */
export function findCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeTool | undefined> {
  const key = env.PATH ?? '';
  let p = found.get(key);
  if (!p) {
    p = (async () => {
      const plugin = await run('docker', ['compose', 'version', '--short'], env, 10_000);
      if (plugin) return { command: 'docker', prefix: ['compose'], version: plugin.split('\n')[0] };
      const standalone = await run('docker-compose', ['version', '--short'], env, 15_000);
      if (standalone) return { command: 'docker-compose', prefix: [], version: standalone.split('\n')[0] };
      return undefined;
    })();
    found.set(key, p);
    void p.then((tool) => tool || found.delete(key));
  }
  return p;
}

export const COMPOSE_MISSING = 'Docker Compose is not installed here: neither the "docker compose" plugin nor "docker-compose" runs from PATH. Install the Compose plugin (https://docs.docker.com/compose/install/), or your distribution\'s docker-compose package.';
