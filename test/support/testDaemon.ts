/**
 * A private Docker daemon for tests: Debian's dockerd on its own short temp root, seeded offline with a busybox image,
 * a hand-built two-layer image, a volume, an internal network, one running and one exited container.
 * It touches nothing outside its root (no iptables, no default bridge) and is stopped by the PID it wrote.
 * With `network: true` it runs in a network namespace of its own instead, where it has what a learner's daemon has: a
 * default bridge, user-defined bridges with name resolution, and published ports (through the userland proxy), none
 * of which can collide with another daemon on this machine; a veth pair lets this machine reach the published ports.
 *
 *   node -r tsx/cjs test/support/testDaemon.ts start [--network] [--overlay2] [ROOT]   prints {"host","pid","root","socket","seeded","network"}
 *                                                            and leaves it running
 *   node -r tsx/cjs test/support/testDaemon.ts stop ROOT      stops it and removes ROOT
 */
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import Dockerode from 'dockerode';

export const DOCKERD = process.env.DOCKWISE_DOCKERD || '/usr/sbin/dockerd';
export const BUSYBOX = process.env.DOCKWISE_BUSYBOX || '/bin/busybox';

export const SEED = {
  busyboxImage: 'dockwise-test/busybox:1.0',
  layeredImage: 'dockwise-test/layered:1.0',
  volume: 'dockwise-test-data',
  network: 'dockwise-test-net',
  runningContainer: 'dockwise-test-running',
  exitedContainer: 'dockwise-test-exited',
} as const;

export interface Seeded {
  busyboxImage: string;
  layeredImage: string;
  volume: string;
  network: string;
  runningContainer: string;
  exitedContainer: string;
}

export interface TestDaemon {
  /** Path of the daemon's unix socket. */
  socket: string;
  /** `unix://<socket>`, ready for DOCKER_HOST. */
  host: string;
  /** The temp folder holding the socket, data, exec root, pid file and log. */
  root: string;
  docker: Dockerode;
  seeded: Seeded;
  /** PID of the running dockerd (changes on restart). */
  readonly pid: number;
  /** Removes containers and networks, stops the daemon by its PID and deletes the root. */
  stop(): Promise<void>;
  /** Stops the daemon process and starts it again on the same root (data kept). */
  restart(): Promise<void>;
  /** Stops only the daemon process, keeping the root, so it can be started again with startProcess(). */
  stopProcess(): Promise<void>;
  /** Starts the daemon process again on the same root after stopProcess(). */
  startProcess(): Promise<void>;
  /** With `network: true`: the namespace the daemon and its containers live in. */
  readonly network?: DaemonNetwork;
}

/** vfs works everywhere; overlay2 builds much faster, and falls back to vfs where the kernel or filesystem refuse it. */
export type StorageDriver = 'vfs' | 'overlay2';

export interface DaemonNetwork {
  /** Name of the network namespace (`ip netns`), /run/netns/<netns>. */
  netns: string;
  /** The bridge the daemon uses as its default bridge (docker0's role), inside the namespace. */
  bridge: string;
  /** This machine's end of the veth pair into the namespace. */
  hostLink: string;
  /** The namespace's address on that link: ports the daemon publishes on all interfaces answer here. */
  publishedAddress: string;
  /** This machine's address on that link: what containers and the daemon reach this machine at (a test's registry). */
  hostAddress: string;
}

// ---------------------------------------------------------------------------------------------------------------
// A minimal ustar writer: enough for rootfs and image-archive tars, deterministic so equal content gives equal digests.

export type TarEntry =
  | { type: 'file'; name: string; content: Buffer; mode?: number }
  | { type: 'dir'; name: string; mode?: number }
  | { type: 'symlink'; name: string; target: string };

const FIXED_MTIME = 1_700_000_000;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function tarHeader(name: string, mode: number, size: number, typeflag: string, linkname = ''): Buffer {
  const h = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 154);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`tar: name too long: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(FIXED_MTIME, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(typeflag, 156, 'ascii');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write('root', 265, 'ascii');
  h.write('root', 297, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

export function makeTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.type === 'dir') {
      parts.push(tarHeader(e.name.endsWith('/') ? e.name : e.name + '/', e.mode ?? 0o755, 0, '5'));
    } else if (e.type === 'symlink') {
      parts.push(tarHeader(e.name, 0o777, 0, '2', e.target));
    } else {
      parts.push(tarHeader(e.name, e.mode ?? 0o644, e.content.length, '0'));
      parts.push(e.content);
      const pad = (512 - (e.content.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const BUSYBOX_APPLETS = ['sh', 'sleep', 'ls', 'cat', 'echo', 'true', 'false', 'env', 'ps', 'id', 'mkdir', 'rm', 'hostname', 'top', 'wc', 'df'];

/** A rootfs holding busybox and its applet links: enough to run `sh` and `sleep` in a container. */
export function busyboxRootfsTar(busybox = BUSYBOX): Buffer {
  const entries: TarEntry[] = [
    { type: 'dir', name: 'bin' },
    { type: 'file', name: 'bin/busybox', content: fs.readFileSync(busybox), mode: 0o755 },
    ...BUSYBOX_APPLETS.map((a): TarEntry => ({ type: 'symlink', name: `bin/${a}`, target: 'busybox' })),
    { type: 'dir', name: 'etc' },
    { type: 'file', name: 'etc/passwd', content: Buffer.from('root:x:0:0:root:/root:/bin/sh\n') },
    { type: 'dir', name: 'tmp', mode: 0o1777 },
    { type: 'dir', name: 'root', mode: 0o700 },
  ];
  return makeTar(entries);
}

export interface ArchiveLayer {
  /** The layer's tar (uncompressed). */
  tar: Buffer;
}

export interface ArchiveHistory {
  created_by: string;
  empty_layer?: boolean;
  comment?: string;
}

/**
 * A `docker save`-style archive (manifest.json, the image config, one folder per layer) for `loadImage`.
 * `history` must have one non-empty entry per layer, in order.
 */
export function imageArchive(opts: { repoTags: string[]; layers: ArchiveLayer[]; history: ArchiveHistory[]; cmd?: string[]; env?: string[] }): Buffer {
  const diffIds = opts.layers.map((l) => 'sha256:' + sha256(l.tar));
  const start = Date.parse('2024-01-01T00:00:00Z');
  const config = {
    architecture: 'amd64',
    os: 'linux',
    created: new Date(start + opts.history.length * 60_000).toISOString(),
    config: { Cmd: opts.cmd ?? ['/bin/sh'], Env: opts.env ?? ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: opts.history.map((h, i) => ({ created: new Date(start + i * 60_000).toISOString(), ...h })),
  };
  const configJson = Buffer.from(JSON.stringify(config));
  const configName = sha256(configJson) + '.json';
  const layerDirs = diffIds.map((d) => d.slice('sha256:'.length));
  const manifest = [{ Config: configName, RepoTags: opts.repoTags, Layers: layerDirs.map((d) => `${d}/layer.tar`) }];
  const entries: TarEntry[] = [];
  layerDirs.forEach((d, i) => {
    entries.push({ type: 'dir', name: d });
    entries.push({ type: 'file', name: `${d}/VERSION`, content: Buffer.from('1.0') });
    entries.push({ type: 'file', name: `${d}/layer.tar`, content: opts.layers[i].tar });
  });
  entries.push({ type: 'file', name: configName, content: configJson });
  entries.push({ type: 'file', name: 'manifest.json', content: Buffer.from(JSON.stringify(manifest)) });
  return makeTar(entries);
}

/**
 * The seeded two-layer image: its base layer is the very busybox rootfs that was imported (so the layer is shared
 * with the busybox image), then a RUN layer of 64 KiB, with metadata-only ENV/WORKDIR/CMD steps between.
 */
export function layeredImageArchive(repoTags: string[], rootfs = busyboxRootfsTar()): Buffer {
  const appLayer = makeTar([
    { type: 'dir', name: 'app' },
    { type: 'file', name: 'app/hello.txt', content: Buffer.from('hello from a layer\n') },
    { type: 'file', name: 'app/data.bin', content: Buffer.alloc(64 * 1024, 0x2a) },
  ]);
  return imageArchive({
    repoTags,
    layers: [{ tar: rootfs }, { tar: appLayer }],
    history: [
      { created_by: '/bin/sh -c #(nop) ADD file:busybox-rootfs in / ' },
      { created_by: '/bin/sh -c #(nop)  ENV GREETING=hello', empty_layer: true },
      { created_by: '/bin/sh -c #(nop) WORKDIR /app', empty_layer: true },
      { created_by: 'RUN /bin/sh -c mkdir -p /app && echo "hello from a layer" > /app/hello.txt && head -c 65536 /dev/zero > /app/data.bin # buildkit', comment: 'buildkit.dockerfile.v0' },
      { created_by: '/bin/sh -c #(nop)  CMD ["/bin/sh"]', empty_layer: true },
    ],
    env: ['PATH=/bin', 'GREETING=hello'],
  });
}

// ---------------------------------------------------------------------------------------------------------------

async function drain(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  const text = Buffer.concat(chunks).toString('utf8');
  // Progress streams report failures as a JSON line with "error", not as an HTTP status.
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const msg = JSON.parse(line) as { error?: string };
      if (msg.error) throw new Error(msg.error);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
    }
  }
  return text;
}

/** Loads a `docker save`-style archive into the daemon. */
export async function loadArchive(docker: Dockerode, archive: Buffer): Promise<void> {
  await drain(await docker.loadImage(Readable.from([archive]), { quiet: true }));
}

/** Imports a rootfs tar as an image `repo:tag`. */
export async function importRootfs(docker: Dockerode, rootfs: Buffer, repoTag: string): Promise<void> {
  const at = repoTag.lastIndexOf(':');
  await drain(await docker.importImage(Readable.from([rootfs]), { repo: repoTag.slice(0, at), tag: repoTag.slice(at + 1) }));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0; treat it as gone.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function logTail(root: string, lines = 30): string {
  try {
    return fs.readFileSync(path.join(root, 'dockerd.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function clientFor(socket: string): Dockerode {
  return new Dockerode({ socketPath: socket, timeout: 60_000 });
}

/** Starts dockerd on `root` (detached, log to root/dockerd.log) and waits until it answers ping. Returns its PID. */
async function launchDaemon(root: string): Promise<number> {
  if (!fs.existsSync(DOCKERD)) throw new Error(`dockerd not found at ${DOCKERD} (install Debian's docker.io)`);
  if (process.getuid && process.getuid() !== 0) throw new Error('the test daemon needs root (dockerd must run as root here)');
  const socket = path.join(root, 'docker.sock');
  fs.mkdirSync(path.join(root, 'data'), { recursive: true });
  fs.mkdirSync(path.join(root, 'exec'), { recursive: true });
  fs.rmSync(socket, { force: true });
  const log = fs.openSync(path.join(root, 'dockerd.log'), 'a');
  const network = readNetwork(root);
  const args = [
    '--host', `unix://${socket}`,
    '--data-root', path.join(root, 'data'),
    '--exec-root', path.join(root, 'exec'),
    '--pidfile', path.join(root, 'd.pid'),
    '--storage-driver', readLaunch(root).storageDriver ?? 'vfs',
    '--iptables=false',
    '--ip6tables=false',
    `--bridge=${network?.bridge ?? 'none'}`,
    // A test's registry on this machine's end of the link speaks plain HTTP, as registries on localhost may.
    ...(network?.hostAddress ? [`--insecure-registry=${network.hostAddress}/32`] : []),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `/usr/sbin:/usr/bin:/sbin:/bin:${process.env.PATH ?? ''}` };
  delete env.DOCKER_HOST;
  const [command, argv] = network ? ['nsenter', [`--net=/run/netns/${network.netns}`, DOCKERD, ...args]] : [DOCKERD, args];
  const child = spawn(command, argv, { detached: true, stdio: ['ignore', log, log], env });
  fs.closeSync(log);
  child.unref();
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `dockerd exited (${signal ?? code})`));
  child.once('error', (e) => (exited = `dockerd failed to start: ${e.message}`));
  const docker = new Dockerode({ socketPath: socket, timeout: 2000 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`${exited}; log tail:\n${logTail(root)}`);
    if (fs.existsSync(socket)) {
      try {
        await docker.ping();
        return child.pid!;
      } catch {
        /* not ready yet */
      }
    }
    if (Date.now() > deadline) {
      if (child.pid) killTree(child.pid);
      throw new Error(`dockerd did not answer within 30 s; log tail:\n${logTail(root)}`);
    }
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The daemon's own network namespace (`network: true`).

/** How the daemon at a root is started, kept in the root so restarts (and attached processes) start it the same way. */
interface LaunchOptions {
  storageDriver?: StorageDriver;
  network?: DaemonNetwork;
}
const LAUNCH_FILE = 'launch.json';

function readLaunch(root: string): LaunchOptions {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, LAUNCH_FILE), 'utf8')) as LaunchOptions;
  } catch {
    return {};
  }
}

function writeLaunch(root: string, opts: LaunchOptions): void {
  fs.writeFileSync(path.join(root, LAUNCH_FILE), JSON.stringify(opts));
}
/** The default bridge inside the namespace, with docker0's usual address. */
const NS_BRIDGE = { name: 'dwbr0', address: '172.17.0.1/16' };

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const readNetwork = (root: string): DaemonNetwork | undefined => readLaunch(root).network;

/** A /30 in 10.200.0.0–10.254.255.255 that no address on this machine is in yet: .1 here, .2 in the namespace. */
function freeLinkSubnet(): [string, string] {
  const taken = new Set(
    ip(['-4', '-o', 'addr', 'show'])
      .split('\n')
      .map((l) => /inet (\d+\.\d+\.\d+)\.(\d+)/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => `${m[1]}.${Number(m[2]) & ~3}`),
  );
  for (let i = 0; i < 100; i++) {
    const prefix = `10.${200 + Math.floor(Math.random() * 55)}.${Math.floor(Math.random() * 256)}`;
    const base = Math.floor(Math.random() * 64) * 4;
    if (!taken.has(`${prefix}.${base}`)) return [`${prefix}.${base + 1}`, `${prefix}.${base + 2}`];
  }
  throw new Error('no free /30 for the test daemon\'s link');
}

/** Creates the namespace for the daemon at `root`, with loopback, the default bridge and a veth pair to this machine. */
function createNetwork(root: string): DaemonNetwork {
  const id = path.basename(root).replace(/[^A-Za-z0-9]/g, '').slice(-8);
  const network: DaemonNetwork = { netns: `dockwise-${id}`, bridge: NS_BRIDGE.name, hostLink: `dwh${id}`.slice(0, 15), publishedAddress: '', hostAddress: '' };
  const inNs = (args: string[]) => ip(['-n', network.netns, ...args]);
  ip(['netns', 'add', network.netns]);
  try {
    inNs(['link', 'set', 'lo', 'up']);
    inNs(['link', 'add', NS_BRIDGE.name, 'type', 'bridge']);
    inNs(['addr', 'add', NS_BRIDGE.address, 'dev', NS_BRIDGE.name]);
    inNs(['link', 'set', NS_BRIDGE.name, 'up']);
    const [hostAddress, nsAddress] = freeLinkSubnet();
    ip(['link', 'add', network.hostLink, 'type', 'veth', 'peer', 'name', 'dwhost0', 'netns', network.netns]);
    ip(['addr', 'add', `${hostAddress}/30`, 'dev', network.hostLink]);
    ip(['link', 'set', network.hostLink, 'up']);
    inNs(['addr', 'add', `${nsAddress}/30`, 'dev', 'dwhost0']);
    inNs(['link', 'set', 'dwhost0', 'up']);
    network.publishedAddress = nsAddress;
    network.hostAddress = hostAddress;
  } catch (e) {
    removeNetwork(network);
    throw e;
  }
  return network;
}

/** Deletes the namespace (its bridges and the veth pair go with it). */
function removeNetwork(network: DaemonNetwork): void {
  for (const args of [['link', 'del', network.hostLink], ['netns', 'del', network.netns]]) {
    try {
      ip(args);
    } catch {
      /* already gone */
    }
  }
}

/** Runs a program inside the daemon's network namespace (to reach a port published on 127.0.0.1 there, say). */
export function execInDaemonNetwork(daemon: Pick<TestDaemon, 'network'>, argv: string[], opts: { timeoutMs?: number } = {}): string {
  if (!daemon.network) throw new Error('this test daemon has no network namespace (start it with network: true)');
  return execFileSync('nsenter', [`--net=/run/netns/${daemon.network.netns}`, ...argv], { encoding: 'utf8', timeout: opts.timeoutMs ?? 30_000 });
}

function killTree(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

function readPid(root: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(root, 'd.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** SIGTERM the daemon by its pid file and wait for it (SIGKILL after 20 s); it stops its own containerd. */
async function terminateDaemon(root: string, fallbackPid?: number): Promise<void> {
  const pid = readPid(root) ?? fallbackPid;
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      killTree(pid);
      await sleep(200);
      break;
    }
    await sleep(50);
  }
}

/** Unmounts whatever the daemon left mounted under root (network namespaces, shm) so the folder can be removed. */
function unmountUnder(root: string): void {
  let mounts: string[] = [];
  try {
    mounts = fs
      .readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[1])
      .filter((m): m is string => !!m && (m === root || m.startsWith(root + '/')));
  } catch {
    return;
  }
  for (const m of mounts.sort((a, b) => b.length - a.length)) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'ignore' });
    } catch {
      /* best effort */
    }
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Removes all containers and user networks (their host bridges would outlive the daemon otherwise). */
async function clearNetworkUsers(docker: Dockerode): Promise<void> {
  const containers = await docker.listContainers({ all: true });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  const networks = await docker.listNetworks();
  const predefined = new Set(['bridge', 'host', 'none']);
  await Promise.all(networks.filter((n) => !predefined.has(n.Name)).map((n) => docker.getNetwork(n.Id).remove().catch(() => undefined)));
}

/** Stops the daemon whose root is `root` (started here or by another process) and deletes the root. */
export async function stopDaemonAt(root: string, fallbackPid?: number): Promise<void> {
  const socket = path.join(root, 'docker.sock');
  const pid = readPid(root) ?? fallbackPid;
  if (pid && isAlive(pid) && fs.existsSync(socket)) {
    const docker = new Dockerode({ socketPath: socket, timeout: 10_000 });
    await withTimeout(clearNetworkUsers(docker).catch(() => undefined), 30_000);
  }
  await terminateDaemon(root, fallbackPid);
  const network = readNetwork(root);
  if (network) removeNetwork(network);
  unmountUnder(root);
  fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}

async function seed(docker: Dockerode): Promise<Seeded> {
  const rootfs = busyboxRootfsTar();
  await importRootfs(docker, rootfs, SEED.busyboxImage);
  await loadArchive(docker, layeredImageArchive([SEED.layeredImage], rootfs));
  await docker.createVolume({ Name: SEED.volume, Labels: { 'dockwise.test': 'seed' } });
  await docker.createNetwork({ Name: SEED.network, Driver: 'bridge', Internal: true, Labels: { 'dockwise.test': 'seed' } });

  const running = await docker.createContainer({
    name: SEED.runningContainer,
    Image: SEED.busyboxImage,
    // sh as PID 1 ignores SIGTERM unless trapped: trap it so `docker stop` and daemon shutdown are quick.
    Cmd: ['/bin/sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
    StopTimeout: 2,
    Labels: { 'dockwise.test': 'seed' },
    HostConfig: {
      NetworkMode: 'none',
      RestartPolicy: { Name: 'unless-stopped' },
      Mounts: [{ Type: 'volume', Source: SEED.volume, Target: '/data' }],
    },
  });
  await running.start();

  const exited = await docker.createContainer({
    name: SEED.exitedContainer,
    Image: SEED.busyboxImage,
    Cmd: ['/bin/echo', 'hello from an exited container'],
    Labels: { 'dockwise.test': 'seed' },
    HostConfig: { NetworkMode: 'none' },
  });
  await exited.start();
  await exited.wait();
  return { ...SEED };
}

const liveDaemons = new Set<number>();
const liveNetworks = new Set<DaemonNetwork>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test run that dies without calling stop() must not leave a daemon (or its namespace) behind.
  process.on('exit', () => {
    for (const pid of liveDaemons) killTree(pid);
    for (const n of liveNetworks) removeNetwork(n);
  });
}

class RunningTestDaemon implements TestDaemon {
  readonly socket: string;
  readonly host: string;
  readonly docker: Dockerode;
  readonly network?: DaemonNetwork;
  constructor(
    readonly root: string,
    public pid: number,
    public seeded: Seeded,
    private readonly ownsProcess: boolean,
  ) {
    this.socket = path.join(root, 'docker.sock');
    this.host = `unix://${this.socket}`;
    this.docker = clientFor(this.socket);
    this.network = readNetwork(root);
  }

  async stop(): Promise<void> {
    await stopDaemonAt(this.root, this.pid);
    liveDaemons.delete(this.pid);
    for (const n of liveNetworks) if (n.netns === this.network?.netns) liveNetworks.delete(n);
  }

  async restart(): Promise<void> {
    await this.stopProcess();
    await this.startProcess();
  }

  async stopProcess(): Promise<void> {
    await terminateDaemon(this.root, this.pid);
    liveDaemons.delete(this.pid);
    unmountUnder(path.join(this.root, 'exec'));
  }

  async startProcess(): Promise<void> {
    const pid = readPid(this.root);
    if (pid && isAlive(pid)) throw new Error(`the test daemon at ${this.root} is already running (pid ${pid})`);
    this.pid = await launchDaemon(this.root);
    if (this.ownsProcess) liveDaemons.add(this.pid);
  }
}

/**
 * Starts a seeded daemon. `root` defaults to a fresh /tmp/dw-XXXXXX (short, for the ~108-character socket limit).
 * `keepAlive` leaves the daemon running when this process exits (the CLI's `start`). `network` runs it in a network
 * namespace of its own with a default bridge and published ports (see DaemonNetwork); `storageDriver` defaults to vfs.
 */
export async function startTestDaemon(
  opts: { root?: string; keepAlive?: boolean; seed?: boolean; network?: boolean; storageDriver?: StorageDriver } = {},
): Promise<TestDaemon> {
  const root = opts.root ?? fs.mkdtempSync(path.join('/tmp', 'dw-'));
  fs.mkdirSync(root, { recursive: true });
  const network = opts.network ? createNetwork(root) : undefined;
  writeLaunch(root, { storageDriver: opts.storageDriver, network });
  if (network && !opts.keepAlive) liveNetworks.add(network);
  let pid: number;
  try {
    pid = await launchDaemon(root).catch(async (e: Error) => {
      if (opts.storageDriver !== 'overlay2') throw e;
      // Not every kernel or filesystem takes overlay2 (an overlay root, say): vfs always works, only slower.
      await terminateDaemon(root);
      writeLaunch(root, { storageDriver: 'vfs', network });
      return launchDaemon(root);
    });
  } catch (e) {
    if (network) removeNetwork(network);
    throw e;
  }
  if (!opts.keepAlive) {
    installExitHook();
    liveDaemons.add(pid);
  }
  const daemon = new RunningTestDaemon(root, pid, { ...SEED }, !opts.keepAlive);
  if (opts.seed !== false) {
    try {
      daemon.seeded = await seed(daemon.docker);
    } catch (e) {
      await daemon.stop().catch(() => undefined);
      throw new Error(`seeding the test daemon failed: ${(e as Error).message}\nlog tail:\n${logTail(root)}`);
    }
  }
  return daemon;
}

/** Reattaches to a daemon started by another process (`start` below) from its root. */
export function attachTestDaemon(root: string): TestDaemon {
  const pid = readPid(root);
  if (!pid || !isAlive(pid)) throw new Error(`no test daemon is running at ${root}`);
  return new RunningTestDaemon(root, pid, { ...SEED }, false);
}

async function cli(argv: string[]): Promise<number> {
  const [command, arg] = argv;
  if (command === 'start') {
    const network = argv.includes('--network');
    const storageDriver = argv.includes('--overlay2') ? 'overlay2' : undefined;
    const root = argv.slice(1).find((a) => !a.startsWith('--'));
    const d = await startTestDaemon({ root, keepAlive: true, network, storageDriver });
    process.stdout.write(JSON.stringify({ host: d.host, socket: d.socket, pid: d.pid, root: d.root, seeded: d.seeded, network: d.network }) + '\n');
    return 0;
  }
  if (command === 'stop' && arg) {
    await stopDaemonAt(path.resolve(arg));
    return 0;
  }
  process.stderr.write('usage: testDaemon.ts start [--network] [--overlay2] [ROOT] | stop ROOT\n');
  return 2;
}

// Only as a script of its own: bundled into a runner, `module` is the bundle and this must stay quiet.
if (require.main === module && /testDaemon\.[jt]s$/.test(require.main.filename)) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
