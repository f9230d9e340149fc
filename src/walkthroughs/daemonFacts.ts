/**
 * Reads what the hands-on outcomes need from the daemon, through its API only: containers (inspected), images, the
 * learner's app answering inside its container (an exec of a small node probe, no shell), the last log lines of a
 * container that stopped, and whether myfile.txt is in a bind-mounted folder on both sides. Every call has a time
 * limit. No `vscode` import.
 */
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import {
  AppReport,
  BIND_DESTINATION,
  BIND_FILE,
  COMPOSE_PROJECT,
  ContainerFact,
  ContainerStatus,
  DaemonFacts,
  DEMO_CONTAINERS,
  DemoRun,
  FileSighting,
  ImageFact,
  isTodoAppImage,
  MountFact,
  NetworkAttachment,
  OutcomeId,
} from './outcomes';

/** The fields of `/containers/{id}/json` read here. */
export interface ContainerInspect {
  Id?: string;
  Name?: string;
  Created?: string;
  Image?: string;
  Path?: string;
  Args?: string[];
  Config?: {
    Image?: string;
    Labels?: Record<string, string> | null;
    Env?: string[] | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    ExposedPorts?: Record<string, unknown> | null;
    Hostname?: string;
  };
  State?: {
    Status?: string;
    Running?: boolean;
    ExitCode?: number;
    Error?: string;
    OOMKilled?: boolean;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: { Status?: string; FailingStreak?: number; Log?: { Output?: string; ExitCode?: number }[] | null } | null;
  };
  Mounts?: { Type?: string; Name?: string; Source?: string; Destination?: string }[] | null;
  NetworkSettings?: { Networks?: Record<string, { NetworkID?: string; Aliases?: string[] | null; DNSNames?: string[] | null } | null> | null };
}

export interface GatherOptions {
  /** Outcomes still to decide: only what they need is read. */
  needed: ReadonlySet<OutcomeId>;
  /** Demo exits seen in the event stream (containers run with --rm leave nothing else). */
  demoRuns?: readonly DemoRun[];
  /** Demo containers that ended before this (ms) do not count. */
  demoSince?: number;
  /** Whether a file exists on the host; undefined when the path is not visible from here. */
  hostFileExists?: (file: string) => Promise<boolean | undefined>;
  /** Per call. Default 5 s. */
  timeoutMs?: number;
  /** Containers looked at, newest first. Default 60. */
  maxContainers?: number;
  /** Containers known to have no `node` (so are not probed again). */
  noProbe?: Set<string>;
  /** Ids of the execs the probes ran, so their events are not mistaken for the learner's. */
  ownExecs?: Set<string>;
  platform?: NodeJS.Platform;
}

const LOG_LINES = 15;
/** Containers that stopped this recently have their last lines read; at most this many per look. */
const RECENT_MS = 3600_000;
const MAX_LOG_READS = 10;
const MAX_PROBE_OUTPUT = 256 * 1024;
const VALID_STATUS = new Set<ContainerStatus>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

/** The app's health route: it says which database it uses, whether it answers, and its items' oldest creation time. */
export const HEALTH_PATH = '/health';

/** Runs inside the app's container (`node -e`): asks the health route and prints one JSON line. */
export const PROBE_SCRIPT = [
  'const p=process.env.PORT||3000;',
  `fetch("http://127.0.0.1:"+p+"${HEALTH_PATH}",{signal:AbortSignal.timeout(2500)})`,
  '.then(async r=>{const t=await r.text();let b=null;try{b=JSON.parse(t)}catch{}return{s:r.status,b}})',
  '.catch(e=>({e:String(e&&e.cause&&e.cause.code||e&&e.name||e)}))',
  '.then(h=>console.log(JSON.stringify({h})));',
].join('');

export async function gatherFacts(docker: Dockerode, opts: GatherOptions): Promise<DaemonFacts> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const needs = (...ids: OutcomeId[]) => ids.some((id) => opts.needed.has(id));
  const needProbes = needs('imageRuns', 'volumePersists', 'appReachesMysql', 'composeHealthy');
  const needImages = needProbes || needs('imagePushed');
  const needFiles = needs('bindMountFile');

  const [list, images] = await Promise.all([
    deadline(timeoutMs, (signal) => docker.listContainers({ all: true, abortSignal: signal } as Dockerode.ContainerListOptions)),
    needImages ? listImages(docker, timeoutMs) : Promise.resolve([] as ImageFact[]),
  ]);
  const newest = [...list].sort((a, b) => b.Created - a.Created).slice(0, opts.maxContainers ?? 60);
  const inspected = await mapLimit(newest, 6, (c) =>
    deadline(timeoutMs, (signal) => docker.getContainer(c.Id).inspect({ abortSignal: signal }) as Promise<ContainerInspect>).catch(() => undefined),
  );
  const containers = inspected.filter((c): c is ContainerInspect => !!c).map(containerFact).filter((c): c is ContainerFact => !!c);

  let logsRead = 0;
  await mapLimit(containers, 3, async (c) => {
    const handle = docker.getContainer(c.id);
    if (needProbes && c.status === 'running' && c.appLike && !opts.noProbe?.has(c.id)) {
      c.report = await probeApp(handle, timeoutMs, opts.ownExecs);
      if (c.report.error === NO_NODE) opts.noProbe?.add(c.id);
    }
    // The last lines of a container that stopped or is unhealthy explain it: the app's, or a recent one (its MySQL).
    const troubled = c.status !== 'running' || c.health?.status === 'unhealthy';
    const recent = Date.now() - (c.finishedAt ?? c.created) < RECENT_MS;
    if (troubled && c.startedAt && (c.appLike || recent) && logsRead++ < MAX_LOG_READS) {
      c.logTail = await logTail(handle, timeoutMs).catch(() => undefined);
    }
    if (needFiles && c.status === 'running') c.files = await sightings(handle, c, timeoutMs, opts);
  });

  const demoRuns = [...(opts.demoRuns ?? [])];
  for (const c of containers) {
    // Demo containers run without --rm are still there to tell how they ended.
    if ((DEMO_CONTAINERS as readonly string[]).includes(c.name) && c.status === 'exited' && c.finishedAt && c.finishedAt > (opts.demoSince ?? 0)) {
      if (!demoRuns.some((r) => r.name === c.name && Math.abs(r.time - c.finishedAt!) < 2000)) demoRuns.push({ name: c.name, exitCode: c.exitCode ?? 0, time: c.finishedAt });
    }
  }
  return { images, containers, demoRuns };
}

async function listImages(docker: Dockerode, timeoutMs: number): Promise<ImageFact[]> {
  const list = await deadline(timeoutMs, (signal) => docker.listImages({ abortSignal: signal } as Dockerode.ListImagesOptions));
  return list.map((i) => ({
    id: i.Id,
    tags: (i.RepoTags ?? []).filter((t) => t && t !== '<none>:<none>'),
    digests: (i.RepoDigests ?? []).filter((d) => d && !d.startsWith('<none>')),
  }));
}

const time = (s: string | undefined): number | undefined => {
  if (!s || s.startsWith('0001-01-01')) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
};

/** The facts of one inspected container; undefined when the data is not a container's. */
export function containerFact(i: ContainerInspect): ContainerFact | undefined {
  if (!i || typeof i !== 'object' || typeof i.Id !== 'string' || !i.Id) return undefined;
  const labels = i.Config?.Labels ?? {};
  const status = (VALID_STATUS.has(i.State?.Status as ContainerStatus) ? i.State?.Status : i.State?.Running ? 'running' : 'exited') as ContainerStatus;
  const name = (i.Name ?? '').replace(/^\//, '');
  const mounts: MountFact[] = (i.Mounts ?? []).filter((m) => m && m.Destination).map((m) => ({
    type: m.Type ?? 'volume',
    name: m.Name || undefined,
    source: m.Source ?? '',
    destination: m.Destination!,
  }));
  const networks: NetworkAttachment[] = Object.entries(i.NetworkSettings?.Networks ?? {}).map(([netName, n]) => ({
    name: netName,
    id: n?.NetworkID ?? netName,
    aliases: [...new Set([...(n?.Aliases ?? []), ...(n?.DNSNames ?? [])])].filter((a) => a && !i.Id!.startsWith(a)),
  }));
  const health = i.State?.Health && i.State.Health.Status && i.State.Health.Status !== 'none'
    ? {
        status: i.State.Health.Status,
        failingStreak: i.State.Health.FailingStreak ?? 0,
        lastOutput: i.State.Health.Log?.at(-1)?.Output,
      }
    : undefined;
  const image = i.Config?.Image ?? '';
  const env = i.Config?.Env ?? [];
  // Only containers that look like the course's app are asked (an exec inside them): a Docker user's other
  // containers are left alone. The learner's image is todo-app; compose names it after the project.
  const project = labels[COMPOSE_PROJECT] ?? '';
  const appLike = isTodoAppImage(image)
    || /todo/i.test(image)
    || /todo/i.test(project)
    || env.some((e) => e.startsWith('MYSQL_HOST='));
  return {
    id: i.Id,
    name,
    image,
    imageId: i.Image ?? '',
    created: time(i.Created) ?? 0,
    status,
    exitCode: i.State?.ExitCode,
    error: i.State?.Error || undefined,
    oomKilled: i.State?.OOMKilled || undefined,
    startedAt: time(i.State?.StartedAt),
    finishedAt: time(i.State?.FinishedAt),
    health,
    labels,
    mounts,
    networks,
    appLike,
    hostname: i.Config?.Hostname || undefined,
  };
}

export const NO_NODE = 'the image has no node to ask the app with';

/** Asks the app inside its container. */
export async function probeApp(container: Dockerode.Container, timeoutMs: number, ownExecs?: Set<string>): Promise<AppReport> {
  let out: { code: number | undefined; text: string };
  try {
    out = await execCapture(container, ['node', '-e', PROBE_SCRIPT], timeoutMs, ownExecs);
  } catch (e) {
    return { answered: false, error: `could not run the probe: ${(e as Error).message}` };
  }
  if (out.code === 126 || out.code === 127 || /executable file not found|no such file or directory/i.test(out.text) && out.code !== 0) {
    return { answered: false, error: NO_NODE };
  }
  return parseProbeOutput(out.text);
}

/** Reads the probe's JSON line: the app's health report (todo app: `{status, startedAt, database, items}`). */
export function parseProbeOutput(text: string): AppReport {
  const line = text.split('\n').reverse().find((l) => l.trim().startsWith('{'));
  let parsed: { h?: { s?: number; b?: unknown; e?: string } };
  try {
    parsed = JSON.parse(line ?? '');
  } catch {
    return { answered: false, error: text.trim() ? `unexpected probe output: ${text.trim().slice(0, 200)}` : 'no answer' };
  }
  const h = parsed.h ?? {};
  if (typeof h.s !== 'number') return { answered: false, error: h.e ?? 'no answer' };
  const body = (h.b && typeof h.b === 'object' ? h.b : {}) as Record<string, unknown>;
  const db = (body.database ?? body.db) as Record<string, unknown> | undefined;
  const report: AppReport = { answered: true, status: h.s };
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  if (db && typeof db === 'object') {
    const type = str(db.kind) ?? str(db.type);
    report.db = {
      type: type?.toLowerCase(),
      ok: typeof db.ok === 'boolean' ? db.ok : h.s >= 200 && h.s < 300,
      host: str(db.host),
      file: str(db.file),
      error: str(db.error),
      serverHostname: str(db.serverHostname),
    };
    // Only the todo app reports its database like this.
    if (type === 'sqlite' || type === 'mysql') report.app = 'todo-app';
  }
  if (typeof body.app === 'string') report.app = body.app;
  const items = body.items as { count?: unknown; oldestCreatedAt?: unknown } | undefined;
  if (items && typeof items === 'object') {
    const oldest = typeof items.oldestCreatedAt === 'string' ? Date.parse(items.oldestCreatedAt) : typeof items.oldestCreatedAt === 'number' ? items.oldestCreatedAt : NaN;
    report.itemCount = typeof items.count === 'number' ? items.count : undefined;
    report.oldestItem = Number.isFinite(oldest) ? oldest : undefined;
  }
  return report;
}

/** Runs argv in the container (no shell, no TTY) and returns its exit code and output, both streams together. */
export async function execCapture(container: Dockerode.Container, cmd: string[], timeoutMs: number, ownExecs?: Set<string>): Promise<{ code: number | undefined; text: string }> {
  return deadline(timeoutMs, async (signal) => {
    const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, abortSignal: signal } as Dockerode.ExecCreateOptions);
    if (ownExecs) {
      ownExecs.add(exec.id);
      if (ownExecs.size > 500) ownExecs.delete(ownExecs.values().next().value!);
    }
    const stream = (await exec.start({ hijack: true, stdin: false, abortSignal: signal } as Dockerode.ExecStartOptions)) as NodeJS.ReadableStream & { destroy?: () => void };
    const chunks: Buffer[] = [];
    let size = 0;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        stream.destroy?.();
        reject(new Error('timed out'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (c: Buffer) => {
        if (size < MAX_PROBE_OUTPUT) chunks.push(c);
        size += c.length;
      });
      stream.on('end', () => (signal.removeEventListener('abort', onAbort), resolve()));
      stream.on('close', () => (signal.removeEventListener('abort', onAbort), resolve()));
      stream.on('error', (e) => (signal.removeEventListener('abort', onAbort), reject(e)));
    });
    const info = (await exec.inspect({ abortSignal: signal } as never)) as unknown as { ExitCode?: number | null };
    return { code: info.ExitCode ?? undefined, text: demux(Buffer.concat(chunks)) };
  });
}

/** Docker's multiplexed stream (8-byte frame headers) as text; raw output is returned as it is. */
export function demux(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const kind = buf[i];
    if (kind > 2 || buf[i + 1] !== 0 || buf[i + 2] !== 0 || buf[i + 3] !== 0) return parts.length ? Buffer.concat(parts).toString('utf8') + buf.subarray(i).toString('utf8') : buf.toString('utf8');
    const len = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  return Buffer.concat(parts).toString('utf8') + (i < buf.length ? buf.subarray(i).toString('utf8') : '');
}

/** The container's last log lines (both streams). */
export async function logTail(container: Dockerode.Container, timeoutMs: number, lines = LOG_LINES): Promise<string[]> {
  const raw = await deadline(timeoutMs, (signal) => container.logs({ stdout: true, stderr: true, tail: lines, follow: false, abortSignal: signal } as never) as unknown as Promise<Buffer>);
  const text = demux(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
  return text.split(/\r?\n/).filter((l) => l.trim()).slice(-lines).map((l) => l.slice(0, 300));
}

/** Where myfile.txt might be: in each mounted folder, and in /src. */
async function sightings(container: Dockerode.Container, c: ContainerFact, timeoutMs: number, opts: GatherOptions): Promise<FileSighting[]> {
  const places = new Map<string, MountFact | undefined>();
  for (const m of c.mounts) if (m.type === 'bind' || m.type === 'volume') places.set(m.destination, m);
  if (c.appLike || places.size) places.set(BIND_DESTINATION, c.mounts.find((m) => m.destination === BIND_DESTINATION));
  const out: FileSighting[] = [];
  for (const [dest, mount] of [...places].slice(0, 8)) {
    const file = path.posix.join(dest, BIND_FILE);
    const inContainer = await pathExists(container, file, timeoutMs);
    const sighting: FileSighting = { path: file, inContainer, mountType: mount?.type };
    if (mount?.type === 'bind') {
      const host = hostPath(mount.source, opts.platform ?? process.platform);
      sighting.hostPath = host ?? mount.source;
      sighting.onHost = host && opts.hostFileExists ? await opts.hostFileExists(joinHost(host, BIND_FILE)) : undefined;
    }
    if (inContainer || mount) out.push(sighting);
  }
  return out;
}

async function pathExists(container: Dockerode.Container, file: string, timeoutMs: number): Promise<boolean> {
  try {
    await deadline(timeoutMs, (signal) => container.infoArchive({ path: file, abortSignal: signal } as never));
    return true;
  } catch {
    return false;
  }
}

/**
 * The folder a bind mount's source is on this machine. Docker Desktop reports Windows folders as
 * `/run/desktop/mnt/host/c/…` and macOS ones, in older versions, as `/host_mnt/Users/…`.
 */
export function hostPath(source: string, platform: NodeJS.Platform): string | undefined {
  if (!source) return undefined;
  const win = /^\/run\/desktop\/mnt\/host\/([a-z])(\/.*)?$/i.exec(source) ?? /^\/mnt\/host\/([a-z])(\/.*)?$/i.exec(source);
  if (win && platform === 'win32') return `${win[1].toUpperCase()}:${(win[2] ?? '/').replace(/\//g, '\\')}`;
  if (platform === 'darwin' && source.startsWith('/host_mnt/')) return source.slice('/host_mnt'.length);
  if (platform === 'win32' && source.startsWith('/')) return undefined;
  return source;
}

const joinHost = (dir: string, file: string) => (/^[A-Z]:/.test(dir) ? path.win32.join(dir, file) : path.posix.join(dir, file));

/** Runs `fn` with a signal that aborts after `ms`; rejects then. */
export async function deadline<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new Error(`the Docker daemon did not answer within ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

/** A demo run from a `die` event of the event stream. */
export function demoRunFromEvent(e: EventMessage): DemoRun | undefined {
  if (e?.Type !== 'container' || e.Action !== 'die') return undefined;
  const name = e.Actor?.Attributes?.name;
  if (!name || !(DEMO_CONTAINERS as readonly string[]).includes(name)) return undefined;
  const code = Number(e.Actor?.Attributes?.exitCode);
  const t = e.timeNano ? Math.floor(e.timeNano / 1e6) : (e.time ?? 0) * 1000;
  return { name, exitCode: Number.isFinite(code) ? code : 0, time: t };
}

/**
 * Demo exits the daemon still remembers (it keeps its most recent events), for when the course opens after the
 * learner ran the demo.
 */
export async function recentDemoRuns(docker: Dockerode, sinceMs: number, timeoutMs = 5000): Promise<DemoRun[]> {
  // Seconds with a fraction: whole seconds would leave out what happened in the current one.
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const filters = JSON.stringify({ type: ['container'], event: ['die'], container: [...DEMO_CONTAINERS] });
  return deadline(timeoutMs, async (signal) => {
    const stream = (await docker.getEvents({ since: seconds(sinceMs), until: seconds(Date.now()), filters, abortSignal: signal } as never)) as unknown as NodeJS.ReadableStream;
    let text = '';
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      text += chunk.toString();
      if (text.length > 1 << 20) break;
    }
    const runs: DemoRun[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const run = demoRunFromEvent(JSON.parse(line));
        if (run) runs.push(run);
      } catch {
        /* a torn line */
      }
    }
    return runs;
  });
}

/** The fields of an `/events` message read here. */
export interface EventMessage {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** Events after which the daemon may show a new outcome (exec starts, archive reads and our own probes do not count). */
export function isTrigger(e: EventMessage, ownExecs: ReadonlySet<string>): boolean {
  const action = typeof e?.Action === 'string' ? e.Action : '';
  if (e?.Type === 'container') {
    if (action.startsWith('exec_')) return action === 'exec_die' && !ownExecs.has(e.Actor?.Attributes?.execID ?? '');
    return !/^(attach|resize|top|archive-path|extract-to-dir|export|commit|copy)$/.test(action);
  }
  return e?.Type === 'image' || e?.Type === 'volume' || e?.Type === 'network';
}
