/**
 * Which Docker daemon to talk to, decided the way the docker CLI does: the `dockwise.dockerHost` setting, then
 * DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH), then the current Docker context, then the platform default.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Dockerode from 'dockerode';

export type EndpointSource = 'setting' | 'env' | 'context' | 'default';

export interface DockerEndpoint {
  /** Normalised address, e.g. `unix:///var/run/docker.sock`, `tcp://10.0.0.2:2376`, `npipe:////./pipe/docker_engine`. */
  host: string;
  protocol: 'unix' | 'npipe' | 'tcp' | 'ssh';
  /** Socket or pipe path for `unix`/`npipe`. */
  socketPath?: string;
  hostname?: string;
  port?: number;
  username?: string;
  /** TLS for tcp: certificate folder (ca.pem, cert.pem, key.pem) and whether to verify the server. */
  tls?: { certPath?: string; verify: boolean };
  source: EndpointSource;
  contextName?: string;
  /** For people: where the address came from, e.g. `DOCKER_HOST (tcp://…)` or `context "colima"`. */
  description: string;
}

export interface ResolveOptions {
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

function dockerConfigDir(env: NodeJS.ProcessEnv, home: string): string {
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

/** The current context's name and docker endpoint, or undefined for the built-in `default` context. */
export function currentContext(env: NodeJS.ProcessEnv, home: string): { name: string; host?: string; skipTlsVerify?: boolean; tlsDir?: string } | undefined {
  const dir = dockerConfigDir(env, home);
  const name = env.DOCKER_CONTEXT || readJson<{ currentContext?: string }>(path.join(dir, 'config.json'))?.currentContext;
  if (!name || name === 'default') return undefined;
  const id = createHash('sha256').update(name).digest('hex');
  const meta = readJson<ContextMeta>(path.join(dir, 'contexts', 'meta', id, 'meta.json'));
  const docker = meta?.Endpoints?.docker;
  const tlsDir = path.join(dir, 'contexts', 'tls', id, 'docker');
  return { name, host: docker?.Host, skipTlsVerify: docker?.SkipTLSVerify, tlsDir: fs.existsSync(tlsDir) ? tlsDir : undefined };
}

/** Decides which daemon to use. Throws EndpointError only for an address that cannot be parsed. */
export function resolveEndpoint(opts: ResolveOptions = {}): DockerEndpoint {
  const env = opts.env ?? process.env;
  const home = opts.home ?? os.homedir();
  const platform = opts.platform ?? process.platform;
  const exists = opts.exists ?? ((p: string) => fs.existsSync(p));

  const setting = opts.setting?.trim();
  if (setting) {
    const parsed = parseHost(setting);
    return { ...parsed, tls: tlsFromEnv(parsed.protocol, env), source: 'setting', description: `setting dockwise.dockerHost (${parsed.host})` };
  }
  if (env.DOCKER_HOST?.trim()) {
    const parsed = parseHost(env.DOCKER_HOST);
    return { ...parsed, tls: tlsFromEnv(parsed.protocol, env), source: 'env', description: `DOCKER_HOST (${parsed.host})` };
  }
  const ctx = currentContext(env, home);
  if (ctx?.host) {
    const parsed = parseHost(ctx.host);
    const tls = parsed.protocol === 'tcp' && (ctx.tlsDir || parsed.host.startsWith('https://'))
      ? { certPath: ctx.tlsDir, verify: !ctx.skipTlsVerify }
      : undefined;
    return { ...parsed, tls, source: 'context', contextName: ctx.name, description: `context "${ctx.name}" (${parsed.host})` };
  }
  let fallback = platform === 'win32' ? WINDOWS_PIPE : UNIX_SOCKET;
  if (platform === 'darwin' && !exists('/var/run/docker.sock')) {
    // Docker Desktop on macOS without the privileged helper only has the per-user socket.
    const userSocket = path.join(home, '.docker', 'run', 'docker.sock');
    if (exists(userSocket)) fallback = `unix://${userSocket}`;
  }
  const parsed = parseHost(fallback);
  const note = ctx ? `context "${ctx.name}" has no docker endpoint; ` : '';
  return { ...parsed, source: 'default', description: `${note}default (${parsed.host})` };
}

function tlsFromEnv(protocol: DockerEndpoint['protocol'], env: NodeJS.ProcessEnv): DockerEndpoint['tls'] {
  if (protocol !== 'tcp') return undefined;
  const verify = !!env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0';
  const certPath = env.DOCKER_CERT_PATH || (verify ? path.join(os.homedir(), '.docker') : undefined);
  if (!verify && !certPath) return undefined;
  return { certPath, verify };
}

function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * A dockerode client for the endpoint. No socket timeout is set on the client itself: the event stream is long-lived,
 * so time limits are applied per call (see DockerApi).
 */
export function createDockerClient(endpoint: DockerEndpoint): Dockerode {
  switch (endpoint.protocol) {
    case 'unix':
    case 'npipe':
      return new Dockerode({ socketPath: endpoint.socketPath });
    case 'ssh':
      return new Dockerode({ protocol: 'ssh', host: endpoint.hostname, port: endpoint.port, username: endpoint.username });
    case 'tcp': {
      const tls = endpoint.tls;
      const useTls = !!tls || endpoint.host.startsWith('https://');
      const certPath = tls?.certPath;
      return new Dockerode({
        protocol: useTls ? 'https' : 'http',
        host: endpoint.hostname,
        port: endpoint.port ?? (useTls ? 2376 : 2375),
        ca: certPath ? readIfExists(path.join(certPath, 'ca.pem')) : undefined,
        cert: certPath ? readIfExists(path.join(certPath, 'cert.pem')) : undefined,
        key: certPath ? readIfExists(path.join(certPath, 'key.pem')) : undefined,
        ...(useTls && tls && !tls.verify ? { checkServerIdentity: () => undefined } : {}),
      } as Dockerode.DockerOptions);
    }
  }
}
