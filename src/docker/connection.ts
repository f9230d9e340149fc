/**
 * Which Docker daemon to talk to: the one the user chose in Dockwise, else the `dockwise.dockerHost` setting, else
 * what the docker CLI would use — DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH), then the current Docker
 * context, then the platform default. Also lists every daemon Docker itself knows, for a picker.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import Modem from 'docker-modem';

export type EndpointSource = 'chosen' | 'setting' | 'env' | 'context' | 'default';

/** TLS for a tcp endpoint: where the certificates are and whether the server's certificate is verified. */
export interface EndpointTls {
  /** Folder holding ca.pem, cert.pem and key.pem. */
  certPath?: string;
  verify: boolean;
  /** DOCKER_TLS_VERIFY/DOCKER_TLS (then ca.pem is required, as the CLI requires it) or a context's TLS material. */
  from: 'env' | 'context';
}

export interface DockerEndpoint {
  /** Normalised address, e.g. `unix:///var/run/docker.sock`, `tcp://10.0.0.2:2376`, `npipe:////./pipe/docker_engine`. */
  host: string;
  protocol: 'unix' | 'npipe' | 'tcp' | 'ssh';
  /** Socket or pipe path for `unix`/`npipe`. */
  socketPath?: string;
  hostname?: string;
  port?: number;
  username?: string;
  tls?: EndpointTls;
  source: EndpointSource;
  contextName?: string;
  /** Picked in "Choose Docker Daemon" rather than found automatically. */
  chosen?: boolean;
  /** For people: where the address came from, e.g. `DOCKER_HOST (tcp://…)` or `context "colima"`. */
  description: string;
}

/** What the user picked in "Choose Docker Daemon"; remembered by the editor, resolved afresh on every start. */
export type DaemonChoice = { kind: 'context'; name: string } | { kind: 'host'; host: string } | { kind: 'env' } | { kind: 'default' };

export interface ResolveOptions {
  choice?: DaemonChoice;
  setting?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  platform?: NodeJS.Platform;
  /** Checks a socket exists (tests replace it). */
  exists?: (p: string) => boolean;
}

export class EndpointError extends Error {}

const WINDOWS_PIPE = 'npipe:////./pipe/docker_engine';
const UNIX_SOCKET = 'unix:///var/run/docker.sock';

/** Parses a docker host address (`unix://`, `npipe://`, `tcp://`, `http(s)://`, `ssh://`) into its parts. */
export function parseHost(host: string): Pick<DockerEndpoint, 'host' | 'protocol' | 'socketPath' | 'hostname' | 'port' | 'username'> {
  const h = host.trim();
  if (h.startsWith('unix://')) {
    const socketPath = h.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new EndpointError(`A unix socket address needs an absolute path: ${host}`);
    return { host: h, protocol: 'unix', socketPath };
  }
  if (h.startsWith('npipe://')) {
    const pipe = h.slice('npipe://'.length).replace(/\//g, '\\');
    if (!pipe) throw new EndpointError(`A named pipe address needs a pipe name: ${host}`);
    return { host: h, protocol: 'npipe', socketPath: pipe };
  }
  if (/^(tcp|http|https|ssh):\/\//.test(h)) {
    let url: URL;
    try {
      url = new URL(h);
    } catch {
      throw new EndpointError(`Not a valid address: ${host}`);
    }
    if (!url.hostname) throw new EndpointError(`The address has no host name: ${host}`);
    const protocol = url.protocol === 'ssh:' ? 'ssh' : 'tcp';
    const port = url.port ? Number(url.port) : protocol === 'ssh' ? 22 : url.protocol === 'http:' ? 2375 : undefined;
    return { host: h, protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port, username: url.username || undefined };
  }
  if (h.startsWith('/')) return { host: `unix://${h}`, protocol: 'unix', socketPath: h };
  throw new EndpointError(`Unsupported Docker address "${host}": use unix://, npipe://, tcp:// or ssh://`);
}


interface ContextMeta {
  Name?: string;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

export function dockerConfigDir(env: NodeJS.ProcessEnv, home: string): string {
  return env.DOCKER_CONFIG || path.join(home, '.docker');
}

function readJson<T>(file: string): T | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    if (text.length > 1_000_000) return undefined;
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** A Docker context as the CLI stores it: `contexts/meta/<sha256(name)>/meta.json`, TLS files in `contexts/tls/<same>/docker/`. */
export interface DockerContext {
  name: string;
  host?: string;
  skipTlsVerify?: boolean;
  /** The context's TLS folder, when it has one. */
  tlsDir?: string;
}

function readContext(dir: string, name: string): DockerContext | undefined {
  const id = createHash('sha256').update(name).digest('hex');
  const meta = readJson<ContextMeta>(path.join(dir, 'contexts', 'meta', id, 'meta.json'));
  if (!meta) return undefined;
  const docker = meta.Endpoints?.docker;
  const tlsDir = path.join(dir, 'contexts', 'tls', id, 'docker');
  return { name, host: docker?.Host, skipTlsVerify: docker?.SkipTLSVerify, tlsDir: fs.existsSync(tlsDir) ? tlsDir : undefined };
}

/** The name of Docker's current context (DOCKER_CONTEXT, else config.json's currentContext), `default` when none. */
export function currentContextName(env: NodeJS.ProcessEnv, home: string): string {
  return env.DOCKER_CONTEXT || readJson<{ currentContext?: string }>(path.join(dockerConfigDir(env, home), 'config.json'))?.currentContext || 'default';
}

/** The current context's name and docker endpoint, or undefined for the built-in `default` context. */
export function currentContext(env: NodeJS.ProcessEnv, home: string): DockerContext | undefined {
  const name = currentContextName(env, home);
  if (name === 'default') return undefined;
  return readContext(dockerConfigDir(env, home), name) ?? { name };
}

/** Every context in the user's Docker config (not the built-in `default`), by name. */
export function listContexts(env: NodeJS.ProcessEnv, home: string): DockerContext[] {
  const dir = dockerConfigDir(env, home);
  let ids: string[] = [];
  try {
    ids = fs.readdirSync(path.join(dir, 'contexts', 'meta'));
  } catch {
    return [];
  }
  const out: DockerContext[] = [];
  for (const id of ids.slice(0, 500)) {
    const name = readJson<ContextMeta>(path.join(dir, 'contexts', 'meta', id, 'meta.json'))?.Name;
    if (typeof name !== 'string' || !name) continue;
    const ctx = readContext(dir, name);
    if (ctx) out.push(ctx);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function platformDefault(platform: NodeJS.Platform, home: string, exists: (p: string) => boolean): string {
  if (platform === 'win32') return WINDOWS_PIPE;
  if (platform === 'darwin' && !exists('/var/run/docker.sock')) {
    // Docker Desktop on macOS without the privileged helper only has the per-user socket.
    const userSocket = path.join(home, '.docker', 'run', 'docker.sock');
    if (exists(userSocket)) return `unix://${userSocket}`;
  }
  return UNIX_SOCKET;
}

function tlsNote(tls: EndpointTls | undefined): string {
  if (!tls) return '';
  return tls.verify ? ', TLS' : ', TLS without verifying the server';
}

function contextEndpoint(ctx: DockerContext & { host: string }): DockerEndpoint {
  const parsed = parseHost(ctx.host);
  const tls: EndpointTls | undefined =
    parsed.protocol === 'tcp' && (ctx.tlsDir || ctx.skipTlsVerify || parsed.host.startsWith('https://')) ? { certPath: ctx.tlsDir, verify: !ctx.skipTlsVerify, from: 'context' } : undefined;
  return { ...parsed, tls, source: 'context', contextName: ctx.name, description: `context "${ctx.name}" (${parsed.host}${tlsNote(tls)})` };
}

function envEndpoint(env: NodeJS.ProcessEnv, home: string): DockerEndpoint | undefined {
  if (!env.DOCKER_HOST?.trim()) return undefined;
  const parsed = parseHost(env.DOCKER_HOST);
  const tls = tlsFromEnv(parsed.protocol, env, home);
  return { ...parsed, tls, source: 'env', description: `DOCKER_HOST (${parsed.host}${tlsNote(tls)})` };
}

function defaultEndpoint(platform: NodeJS.Platform, home: string, exists: (p: string) => boolean, note = ''): DockerEndpoint {
  const parsed = parseHost(platformDefault(platform, home, exists));
  return { ...parsed, source: 'default', description: `${note}default (${parsed.host})` };
}

/** What the docker CLI would use: DOCKER_HOST, then the current context, then the platform default. */
function automatic(env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform, exists: (p: string) => boolean): DockerEndpoint {
  const fromEnv = envEndpoint(env, home);
  if (fromEnv) return fromEnv;
  const ctx = currentContext(env, home);
  if (ctx?.host) return contextEndpoint({ ...ctx, host: ctx.host });
  return defaultEndpoint(platform, home, exists, ctx ? `context "${ctx.name}" has no docker endpoint; ` : '');
}

/** Decides which daemon to use. Throws EndpointError only for an address that cannot be parsed. */
export function resolveEndpoint(opts: ResolveOptions = {}): DockerEndpoint {
  const env = opts.env ?? process.env;
  const home = opts.home ?? os.homedir();
  const platform = opts.platform ?? process.platform;
  const exists = opts.exists ?? ((p: string) => fs.existsSync(p));

  const chosen = opts.choice && fromChoice(opts.choice, env, home, platform, exists);
  if (chosen) return { ...chosen, chosen: true, description: `${chosen.description}, chosen in Dockwise` };
  const setting = opts.setting?.trim();
  if (setting) {
    const parsed = parseHost(setting);
    const tls = tlsFromEnv(parsed.protocol, env, home);
    return { ...parsed, tls, source: 'setting', description: `setting dockwise.dockerHost (${parsed.host}${tlsNote(tls)})` };
  }
  return automatic(env, home, platform, exists);
}

/** The endpoint a remembered choice names today, or undefined when it no longer exists (then the automatic one applies). */
function fromChoice(choice: DaemonChoice, env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform, exists: (p: string) => boolean): DockerEndpoint | undefined {
  switch (choice.kind) {
    case 'context': {
      if (choice.name === 'default') return defaultEndpoint(platform, home, exists);
      const ctx = readContext(dockerConfigDir(env, home), choice.name);
      return ctx?.host ? contextEndpoint({ ...ctx, host: ctx.host }) : undefined;
    }
    case 'host': {
      const parsed = parseHost(choice.host);
      const tls = tlsFromEnv(parsed.protocol, env, home);
      return { ...parsed, tls, source: 'chosen', description: `${parsed.host}${tlsNote(tls)}` };
    }
    case 'env':
      return envEndpoint(env, home);
    case 'default':
      return defaultEndpoint(platform, home, exists);
  }
}

/** A daemon Docker knows about, for a picker: where it is, how it was found, and the choice that selects it. */
export interface KnownDaemon {
  choice: DaemonChoice;
  label: string;
  /** The address, or why it cannot be used. */
  detail: string;
  endpoint?: DockerEndpoint;
  /** Docker's own current choice (what `docker` in a terminal uses). */
  dockerCurrent: boolean;
}

/**
 * The daemons Docker itself knows: DOCKER_HOST when set, every context in the Docker config (the current one marked),
 * and the platform's default socket.
 */
export function knownDaemons(opts: Omit<ResolveOptions, 'choice' | 'setting'> = {}): KnownDaemon[] {
  const env = opts.env ?? process.env;
  const home = opts.home ?? os.homedir();
  const platform = opts.platform ?? process.platform;
  const exists = opts.exists ?? ((p: string) => fs.existsSync(p));
  const current = currentContextName(env, home);
  const out: KnownDaemon[] = [];
  if (env.DOCKER_HOST?.trim()) {
    try {
      const endpoint = envEndpoint(env, home)!;
      out.push({ choice: { kind: 'env' }, label: 'DOCKER_HOST', detail: endpoint.host + tlsNote(endpoint.tls), endpoint, dockerCurrent: true });
    } catch (e) {
      out.push({ choice: { kind: 'env' }, label: 'DOCKER_HOST', detail: (e as Error).message, dockerCurrent: true });
    }
  }
  const def = defaultEndpoint(platform, home, exists);
  out.push({ choice: { kind: 'context', name: 'default' }, label: 'default', detail: def.host, endpoint: def, dockerCurrent: !out.length && current === 'default' });
  for (const ctx of listContexts(env, home)) {
    const dockerCurrent = !env.DOCKER_HOST?.trim() && ctx.name === current;
    if (!ctx.host) {
      out.push({ choice: { kind: 'context', name: ctx.name }, label: ctx.name, detail: 'no docker endpoint', dockerCurrent });
      continue;
    }
    try {
      const endpoint = contextEndpoint({ ...ctx, host: ctx.host });
      out.push({ choice: { kind: 'context', name: ctx.name }, label: ctx.name, detail: endpoint.host + tlsNote(endpoint.tls), endpoint, dockerCurrent });
    } catch (e) {
      out.push({ choice: { kind: 'context', name: ctx.name }, label: ctx.name, detail: (e as Error).message, dockerCurrent });
    }
  }
  return out;
}

export function sameChoice(a: DaemonChoice | undefined, b: DaemonChoice | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A remembered choice read back from storage: anything malformed counts as no choice. */
export function parseChoice(x: unknown): DaemonChoice | undefined {
  const c = x as DaemonChoice;
  if (!c || typeof c !== 'object') return undefined;
  if (c.kind === 'context' && typeof c.name === 'string' && c.name) return { kind: 'context', name: c.name };
  if (c.kind === 'host' && typeof c.host === 'string' && c.host) return { kind: 'host', host: c.host };
  if (c.kind === 'env' || c.kind === 'default') return { kind: c.kind };
  return undefined;
}

/**
 * TLS from the environment, as the docker CLI reads it: DOCKER_TLS_VERIFY set to any non-empty value (even "0")
 * turns TLS and verification on; DOCKER_TLS alone turns TLS on without verifying; certificates come from
 * DOCKER_CERT_PATH, else the Docker config folder.
 */
function tlsFromEnv(protocol: DockerEndpoint['protocol'], env: NodeJS.ProcessEnv, home: string): EndpointTls | undefined {
  if (protocol !== 'tcp') return undefined;
  const verify = !!env.DOCKER_TLS_VERIFY;
  if (!verify && !env.DOCKER_TLS) return undefined;
  return { certPath: env.DOCKER_CERT_PATH || dockerConfigDir(env, home), verify, from: 'env' };
}

function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The certificates for a TLS endpoint. Throws EndpointError where the docker CLI would refuse too. */
export function tlsMaterial(tls: EndpointTls): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const dir = tls.certPath;
  const ca = dir ? readIfExists(path.join(dir, 'ca.pem')) : undefined;
  const cert = dir ? readIfExists(path.join(dir, 'cert.pem')) : undefined;
  const key = dir ? readIfExists(path.join(dir, 'key.pem')) : undefined;
  if (tls.from === 'env' && !ca) {
    // Falling back to the system's CAs would trust any public certificate for a daemon meant to be pinned to its own CA.
    throw new EndpointError(`TLS is on (DOCKER_TLS_VERIFY or DOCKER_TLS) but there is no CA certificate at ${path.join(dir ?? '', 'ca.pem')}. Put ca.pem there, or point DOCKER_CERT_PATH at the folder that holds it.`);
  }
  if (!!cert !== !!key) throw new EndpointError(`${dir} has ${cert ? 'cert.pem but no key.pem' : 'key.pem but no cert.pem'}: a client certificate needs both.`);
  return { ca, cert, key };
}

/**
 * A dockerode client for exactly this endpoint. docker-modem starts from this process's DOCKER_HOST and
 * DOCKER_CERT_PATH and lets a `tcp://` DOCKER_HOST win over the socket it is given, so the modem is built here from
 * the endpoint alone. No socket timeout is set: the event stream is long-lived, so time limits are per call
 * (see DockerApi). Throws EndpointError when the endpoint's TLS files are unusable.
 */
export function createDockerClient(endpoint: DockerEndpoint): Dockerode {
  const fields: Record<string, unknown> = { headers: {}, sshOptions: {}, pathPrefix: '/' };
  switch (endpoint.protocol) {
    case 'unix':
    case 'npipe':
      Object.assign(fields, { socketPath: endpoint.socketPath, protocol: 'http' });
      break;
    case 'ssh':
      Object.assign(fields, { protocol: 'ssh', host: endpoint.hostname, port: endpoint.port, username: endpoint.username, sshOptions: { agent: process.env.SSH_AUTH_SOCK } });
      break;
    case 'tcp': {
      const tls = endpoint.tls ?? (endpoint.host.startsWith('https://') ? { verify: true, from: 'context' as const } : undefined);
      Object.assign(fields, { protocol: tls ? 'https' : 'http', host: endpoint.hostname, port: endpoint.port ?? (tls ? 2376 : 2375) });
      if (tls) {
        const material = tlsMaterial(tls);
        Object.assign(fields, material);
        if (!tls.verify) fields.agent = new https.Agent({ ...material, rejectUnauthorized: false });
      }
      break;
    }
  }
  const modem = Object.assign(Object.create(Modem.prototype) as Modem, fields);
  return new Dockerode({ modem } as Dockerode.DockerOptions);
}

/**
 * Environment for a docker CLI (or compose) process so that it talks to the same daemon as the explorer, whatever
 * the user's shell or Docker context says. Empty values unset: the CLI and compose treat an empty variable as unset.
 */
export function dockerCliEnv(endpoint: DockerEndpoint): Record<string, string> {
  const env: Record<string, string> = { DOCKER_HOST: endpoint.host, DOCKER_CONTEXT: '', DOCKER_TLS_VERIFY: '', DOCKER_TLS: '', DOCKER_CERT_PATH: '' };
  // A context is named, so the CLI reads its TLS material and ssh settings itself.
  if (endpoint.source === 'context' && endpoint.contextName) return { ...env, DOCKER_HOST: '', DOCKER_CONTEXT: endpoint.contextName };
  const tls = endpoint.tls;
  if (endpoint.protocol === 'tcp' && tls) {
    if (tls.certPath) env.DOCKER_CERT_PATH = tls.certPath;
    if (tls.verify) env.DOCKER_TLS_VERIFY = '1';
    else env.DOCKER_TLS = '1';
  }
  return env;
}
