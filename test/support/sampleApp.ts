/**
 * Runs the sample todo app on this machine, outside Docker: the Node 22 binary the node stand-in carries (this
 * machine's own Node may be older than node:sqlite), the sample's dependencies, and a MariaDB server for MySQL.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeBinary, sampleDependencies } from './standIns';

const SAMPLE = path.resolve(__dirname, '..', '..', 'samples', 'todo-app');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunningApp {
  port: number;
  url: (p: string) => string;
  /** Everything the app printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process ends. */
  exited: Promise<number | string>;
  /** Sends SIGTERM and waits for the exit; SIGKILL after `ms`. */
  stop(ms?: number): Promise<number | string>;
}

/** A copy of the sample's source with its dependencies linked in, in a fresh temp folder. */
export function sampleCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-app-'));
  fs.cpSync(path.join(SAMPLE, 'src'), path.join(dir, 'src'), { recursive: true });
  fs.copyFileSync(path.join(SAMPLE, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(sampleDependencies(), 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** Starts `node src/server.js` in `dir` with `env` (PATH and PORT added) and waits until it listens or exits. */
export async function startApp(dir: string, env: Record<string, string>, opts: { uid?: number; gid?: number } = {}): Promise<RunningApp> {
  const port = await freePort();
  const child: ChildProcess = spawn(nodeBinary(), ['src/server.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: opts.uid,
    gid: opts.gid,
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 15_000;
  while (!done && !out.includes(`listens on port ${port}`)) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not start within 15 s:\n${out}`);
    }
    await sleep(50);
  }
  return {
    port,
    url: (p) => `http://127.0.0.1:${port}${p}`,
    output: () => out,
    exited,
    async stop(ms = 10_000) {
      if (!done) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs the app until it exits on its own (a configuration error, say); returns its exit code and output. */
export async function runAppToExit(dir: string, env: Record<string, string>, opts: { uid?: number; gid?: number } = {}): Promise<{ code: number | string; output: string }> {
  const child = spawn(nodeBinary(), ['src/server.js'], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: String(await freePort()), ...env }, uid: opts.uid, gid: opts.gid });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | string>((resolve) => child.once('exit', (c, s) => resolve(c ?? s ?? -1)));
  clearTimeout(timer);
  return { code, output };
}

export interface HostMariadb {
  port: number;
  stop(): Promise<void>;
}

/**
 * A MariaDB server from this machine's packages on 127.0.0.1:`port`, in a temp folder, with a database and a user
 * that may use it (what the official mysql image's MYSQL_DATABASE, MYSQL_USER and MYSQL_PASSWORD create).
 */
export async function startHostMariadb(port: number, db: { database: string; user: string; password: string }): Promise<HostMariadb> {
  const mariadbd = '/usr/sbin/mariadbd';
  if (!fs.existsSync(mariadbd)) throw new Error(`${mariadbd} is missing: scripts/prepare.sh --test installs mariadb-server`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mariadb-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  const sql = [
    'CREATE DATABASE IF NOT EXISTS mysql;',
    'USE mysql;',
    'SET @auth_root_socket=NULL;',
    fs.readFileSync('/usr/share/mysql/mysql_system_tables.sql', 'utf8'),
    fs.readFileSync('/usr/share/mysql/mysql_system_tables_data.sql', 'utf8'),
    'FLUSH PRIVILEGES;',
    `CREATE DATABASE IF NOT EXISTS \`${db.database}\`;`,
    `CREATE USER ${q(db.user)}@'%' IDENTIFIED BY ${q(db.password)};`,
    `GRANT ALL ON \`${db.database}\`.* TO ${q(db.user)}@'%';`,
    '',
  ].join('\n');
  const common = ['--no-defaults', `--datadir=${data}`, '--user=root', `--socket=${path.join(dir, 'mysqld.sock')}`, '--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M'];
  execFileSync(mariadbd, [...common, '--bootstrap', `--log-error=${path.join(dir, 'bootstrap.err')}`], { input: sql, stdio: ['pipe', 'ignore', 'ignore'], timeout: 60_000 });
  const child = spawn(mariadbd, [...common, `--port=${port}`, '--bind-address=127.0.0.1', '--skip-name-resolve', `--log-error=${path.join(dir, 'mysqld.err')}`], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GETs or sends JSON; returns the status and the parsed body (text when it is not JSON). */
export async function http(method: string, url: string, body?: unknown): Promise<{ status: number; body: any; type: string }> {
  const res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, type: res.headers.get('content-type') ?? '' };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}
