/**
 * What the image a Dockerfile builds is for, and which stages end up in it. Rules about the running container
 * (no-root-user, require-healthcheck) only make sense for a service; rules about what a layer keeps (chain-run,
 * apk-no-cache, pip-no-cache-dir, apt-clean-lists, yarn-cache-clean) only for stages whose layers ship. One
 * answer for every rule, so they agree on the same file.
 *
 * - A stage ships when its layers are in the image the file builds by default: the final stage and every stage
 *   it is built FROM (hadolint's notion). A stage other stages only copy files from (`COPY --from`,
 *   `RUN --mount=from=`) is a builder: only what is copied out ships.
 * - The final image is one of:
 *   - `export`: built FROM scratch with nothing to run, a way to get build output out (`--output`);
 *   - `base`: nothing to run but a shell or an interpreter's prompt (`CMD ["bash"]`, `CMD ["python3"]`), or
 *     ONBUILD triggers: an image others build on (base and language images);
 *   - `tooling`: a development container, a CI image, or a build, lint or test image, told by where the file
 *     lives (`.devcontainer/`, `.github/`, `hack/`, `test/`…) or by its base image (devcontainers, CI images);
 *   - `service`: anything else, an image meant to run as a container of its own.
 */
import type { DockerfileContext } from './context';
import { parseImageRef } from './imageRef';
import type { Stage } from './model';
import { execForm, Instruction, unquote } from './parse';
import { UNKNOWN } from './variables';

export type ImageKind = 'service' | 'base' | 'export' | 'tooling';

export interface StageRole {
  /** Its layers are in the image the file builds by default. */
  ships: boolean;
  /** Other stages only copy files from it: what it installs stays behind. */
  builderOnly: boolean;
}

export interface FinalImage {
  kind: ImageKind;
  /** Why it is not a service, in words a message can use ("it is a devcontainer image"). */
  why?: string;
  /** Declares a port (EXPOSE) or is built on a server image that does: something a HEALTHCHECK can probe. */
  listens: boolean;
  /** How the container gives up root after starting (`gosu`, `su-exec`, `setpriv`…), when the file shows it. */
  dropsPrivileges?: string;
  /** The base image's tag says it runs as a non-root user (`gcr.io/distroless/static:nonroot`). */
  nonRootBase?: string;
  /** A Windows image: Windows base image or a cmd/PowerShell SHELL. */
  windows: boolean;
}

export interface ImageRoles {
  stages: StageRole[];
  /** The stage and its ancestors, final first. */
  finalChain: Stage[];
  final?: FinalImage;
}

const cache = new WeakMap<object, ImageRoles>();

export function imageRoles(ctx: DockerfileContext): ImageRoles {
  let r = cache.get(ctx.parsed);
  if (!r) {
    r = compute(ctx);
    cache.set(ctx.parsed, r);
  }
  return r;
}

/** The stage and the stages it is built FROM, nearest first (cycles cannot happen: parents come earlier). */
export function stageChain(ctx: Pick<DockerfileContext, 'stages'>, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let st: Stage | undefined = stage; st && chain.length <= ctx.stages.length; st = st.parent !== undefined ? ctx.stages[st.parent] : undefined) chain.push(st);
  return chain;
}

function compute(ctx: DockerfileContext): ImageRoles {
  const stages = ctx.stages;
  const final = ctx.model.finalStage;
  const finalChain = final ? stageChain(ctx, final) : [];
  const shipping = new Set(finalChain.map((s) => s.index));
  const copiedFrom = new Set<number>();
  for (const ins of ctx.instructions) {
    for (const f of ins.flags) {
      const name = f.name.toLowerCase();
      const value = f.value === null ? undefined : name === 'from' ? f.value : name === 'mount' ? mountFrom(f.value) : undefined;
      if (value === undefined) continue;
      const v = unquote(value, ctx.escape);
      const st = /^\d+$/.test(v) ? stages[Number(v)] : ctx.model.stageByName(ctx.model.expand(v, ins).value);
      if (st) for (const s of stageChain(ctx, st)) copiedFrom.add(s.index);
    }
  }
  const roles = stages.map((s) => ({ ships: shipping.has(s.index), builderOnly: !shipping.has(s.index) && copiedFrom.has(s.index) }));
  return { stages: roles, finalChain, final: final ? describeFinal(ctx, finalChain) : undefined };
}

function mountFrom(value: string): string | undefined {
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === 'from') return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A program alone that only waits for someone to type: shells and language prompts. */
const PROMPTS = new Set([
  'sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'fish', 'busybox', 'python', 'python2', 'python3', 'pypy', 'pypy3', 'node', 'irb', 'ruby',
  'jshell', 'julia', 'pwsh', 'powershell', 'cmd', 'ghci', 'iex', 'erl', 'r', 'php', 'perl', 'lua', 'deno', 'bun', 'elixir', 'clojure',
  'groovysh', 'scala', 'sbt', 'dotnet', 'rustc', 'cargo', 'go', 'gcc', 'mono', 'swift',
]);

/** Official images of servers: built on one with no CMD of its own, an image runs that server. */
const SERVER_IMAGES = new Set([
  'nginx', 'httpd', 'caddy', 'traefik', 'haproxy', 'postgres', 'mysql', 'mariadb', 'mongo', 'redis', 'memcached', 'rabbitmq',
  'elasticsearch', 'kibana', 'tomcat', 'jetty', 'wordpress', 'ghost', 'drupal', 'joomla', 'nextcloud', 'grafana', 'prometheus',
  'registry', 'consul', 'vault', 'influxdb', 'couchdb', 'cassandra', 'neo4j', 'solr', 'sonarqube', 'zookeeper', 'kafka', 'keycloak',
  'openresty', 'varnish', 'eclipse-mosquitto', 'adminer', 'matomo', 'mediawiki', 'odoo', 'redmine', 'phpmyadmin', 'unit',
]);

/** Development-container and CI base images: their user and health are set up by the tools that run them. */
const TOOLING_IMAGE = /(^|\/)(devcontainers|vscode\/devcontainers|cimg|circleci|gitpod\/workspace-[^/]*|actions-runner|jenkins\/(inbound-)?agent|jenkins\/ssh-agent|gitlab-runner)(\/|:|$)/i;
/** Folders whose Dockerfiles build development, CI, build-tool or test images rather than the product. */
const TOOLING_DIR = /(^|\/)(\.devcontainer|\.github|\.gitlab|\.circleci|\.ci|ci|hack|tools|test|tests|e2e|testdata|fixtures|integration)(\/|$)/i;
const TOOLING_NAME = /(^|[./_-])(devcontainer|dev-container|ci|lint|test|tests|docs|vendor|shellcheck|govulncheck|validate|generate|codegen)([./_-]|$)/i;

/** Installed or called anywhere in the image: the entrypoint script (which the file does not show) uses it. */
const PRIVILEGE_DROPPERS = /(^|[\s"'/;&|(=])(gosu|su-exec|setpriv|s6-setuidgid|setuidgid|runuser|chpst|chroot\s+--userspec)(?=[\s"',;&|)]|$)/;
/** In CMD or ENTRYPOINT only: `su -c` and `sudo -u` there start the program as another user. */
const SWITCH_USER = /(^|[\s"'/;&|(])(su\s+(-\S+\s+)*[\w$-]+\s+-c|su\s+-c|sudo\s+(-\S+\s+)*-u)(?=\s)/;

function describeFinal(ctx: DockerfileContext, chain: Stage[]): FinalImage {
  const ins = chain.flatMap((s) => s.instructions);
  const has = (k: string) => ins.some((i) => i.keyword === k);
  const root = chain[chain.length - 1]?.root;
  const rootRef = root && root !== 'scratch' && !root.includes(UNKNOWN) ? parseImageRef(root) : undefined;
  const rootName = rootRef ? rootRef.repository.slice(rootRef.repository.lastIndexOf('/') + 1).toLowerCase() : undefined;
  const windows = isWindows(ctx, chain);
  const serverBase = !!rootName && SERVER_IMAGES.has(rootName);
  const listens = has('EXPOSE') || serverBase;
  const dropper = ins.map((i) => PRIVILEGE_DROPPERS.exec(i.text) ?? ((i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && SWITCH_USER.exec(i.text)) ?? undefined).find((m) => m);
  const nonRoot = rootRef?.tag !== undefined && /(^|[-_.])nonroot([-_.]|$)/i.test(rootRef.tag) ? root : undefined;
  const base = { listens, windows, ...(dropper ? { dropsPrivileges: dropper[2] } : {}), ...(nonRoot ? { nonRootBase: nonRoot } : {}) };

  const file = (ctx.filePath ?? '').replace(/\\/g, '/');
  const fileName = file.slice(file.lastIndexOf('/') + 1);
  if (root && TOOLING_IMAGE.test(root)) return { kind: 'tooling', why: `it is built on ${root}, a development-container or CI image`, ...base };
  if (/(^|\/)\.devcontainer\//i.test(file)) return { kind: 'tooling', why: 'it is a development container (.devcontainer)', ...base };
  const dir = file.slice(0, file.lastIndexOf('/') + 1);
  if (TOOLING_DIR.test(dir.split('/').slice(-4).join('/'))) return { kind: 'tooling', why: 'it lives with development, CI or test files', ...base };
  if (TOOLING_NAME.test(fileName.replace(/^Dockerfile\.?/i, '').replace(/\.?Dockerfile$/i, ''))) return { kind: 'tooling', why: `its name (${fileName}) says it is a development, CI or test image`, ...base };

  const run = lastOf(ins, 'ENTRYPOINT') ?? lastOf(ins, 'CMD');
  if (!run) {
    if (root === 'scratch') return { kind: 'export', why: 'it is built FROM scratch and runs nothing: it only carries build output', ...base };
    if (has('ONBUILD')) return { kind: 'base', why: 'its ONBUILD triggers make it an image others build on', ...base };
    if (!listens) return { kind: 'base', why: 'it runs nothing of its own: an image others build on', ...base };
    return { kind: 'service', ...base };
  }
  const cmd = lastOf(ins, 'CMD');
  const entry = lastOf(ins, 'ENTRYPOINT');
  if (!listens && isPrompt(entry, ctx.escape) !== false && isPrompt(cmd, ctx.escape)) {
    return { kind: 'base', why: 'it only starts a shell or an interpreter\'s prompt: an image others build on', ...base };
  }
  return { kind: 'service', ...base };
}

function lastOf(ins: Instruction[], keyword: string): Instruction | undefined {
  for (let k = ins.length - 1; k >= 0; k--) if (ins[k].keyword === keyword) return ins[k];
  return undefined;
}

/**
 * True when the instruction only starts a prompt (`CMD ["python3"]`, `CMD bash`), false when it runs something
 * else, undefined when there is no such instruction (an ENTRYPOINT that is only a wrapper script counts as absent).
 */
function isPrompt(ins: Instruction | undefined, escape: string): boolean | undefined {
  if (!ins) return undefined;
  const words = execForm(ins) ?? ins.args.map((w) => unquote(w.raw, escape));
  if (!words.length) return undefined;
  const name = (w: string) => w.slice(Math.max(w.lastIndexOf('/'), w.lastIndexOf('\\')) + 1).replace(/\.exe$/i, '').toLowerCase();
  // `docker-entrypoint.sh` and friends hand over to CMD: what CMD runs decides.
  if (ins.keyword === 'ENTRYPOINT' && words.length === 1 && /entrypoint|^tini$|^dumb-init$/.test(name(words[0]))) return undefined;
  const rest = words.slice(1).filter((w) => !/^-/.test(w) || w === '-c');
  if (!PROMPTS.has(name(words[0]))) return false;
  // `php -a`, `bash -l`, `node --interactive` are still prompts; `python app.py`, `sh -c "..."` run something.
  return rest.length === 0;
}

/** A Windows base image (by name: nanoserver, servercore, mcr.microsoft.com/windows, an ltsc tag). */
export function isWindowsImage(image: string | undefined): boolean {
  return !!image && /nanoserver|servercore|mcr\.microsoft\.com\/windows\b|(^|[:/-])ltsc20\d\d/i.test(image);
}

/** Windows base images and cmd/PowerShell shells: POSIX shell and user rules do not apply. */
export function isWindows(ctx: DockerfileContext, chain: Stage[]): boolean {
  if (isWindowsImage(chain[chain.length - 1]?.image)) return true;
  for (const st of chain) {
    for (const i of st.instructions) {
      if (i.keyword !== 'SHELL') continue;
      const exe = (execForm(i)?.[0] ?? '').toLowerCase();
      if (/(^|[\\/])(cmd|powershell)(\.exe)?$/.test(exe)) return true;
    }
  }
  return false;
}
