/** Starts code-server (VS Code in the browser, run offline from node_modules) for the integration suite. */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

export interface CodeServer {
  port: number;
  url(workspace: string, extensionPath: string, testsPath: string): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, proc: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) break;
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve((res.statusCode ?? 500) < 500);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(1000, () => req.destroy());
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3000) : '';
  throw new Error(`code-server did not answer on ${url} (exit code ${proc.exitCode}).\n${tail}`);
}

export async function startCodeServer(opts: { repo: string; root: string; workspace: string; env: NodeJS.ProcessEnv }): Promise<CodeServer> {
  const port = await freePort();
  const userData = path.join(opts.root, 'ud');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'window.commandCenter': false,
      'workbench.colorTheme': 'Default Dark Modern',
    }),
  );
  const logFile = path.join(opts.root, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const bin = path.join(opts.repo, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const args = [
    bin,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userData,
    '--extensions-dir', path.join(opts.root, 'ext'),
    opts.workspace,
  ];
  const proc = spawn(process.execPath, args, {
    env: { ...opts.env, XDG_CONFIG_HOME: path.join(opts.root, 'xdg'), XDG_DATA_HOME: path.join(opts.root, 'xdg-data') },
    stdio: ['ignore', log, log],
    detached: true,
  });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, proc, logFile);
  return {
    port,
    url(workspace, extensionPath, testsPath) {
      const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
      const payload = JSON.stringify([
        ['extensionDevelopmentPath', remote(extensionPath)],
        ['extensionTestsPath', remote(testsPath)],
      ]);
      return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
    },
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      try {
        process.kill(-proc.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) {
        try {
          process.kill(-proc.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      fs.closeSync(log);
    },
  };
}
