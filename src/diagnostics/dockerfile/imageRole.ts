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
  /** How the container gives up root after starting (`gosu`, `su-exec`, `setpriv`, `su -c`…), when the file shows it. */
  dropsPrivileges?: string;
  /**
   * Why running as root is the program's own business: the daemon hands work to unprivileged workers (nginx,
   * Apache, php-fpm), the server image it is built on sets up its user, or the program needs root (dockerd).
   */
  rootIsItsBusiness?: string;
  /** The base image's tag says it runs as a non-root user (`gcr.io/distroless/static:nonroot`). */
  nonRootBase?: string;
  /** The image at the root is one that runs as root unless told otherwise (an OS, a language runtime, scratch). */
  rootByDefault: boolean;
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
const PROMPTS = /^(sh|bash|ash|dash|zsh|ksh|fish|busybox|python[23]?(\.\d+)?|pypy3?|node|irb|ruby|jshell|julia|pwsh(-preview|-lts)?|powershell|cmd|ghci|iex|erl|r|php|perl|lua|deno|bun|elixir|clojure|groovysh|scala|sbt|dotnet|rustc|cargo|go|gcc|mono|swift)$/;

/** Wrappers that start the program they are given (CMD), or the image's entrypoint script that hands over to CMD. */
const WRAPPERS = /(^|[-_.])entrypoint([-_.]|$)|^(tini|tini-static|dumb-init|catatonit|s6-svscan|init)$/;

/** Official images of servers: built on one with no CMD of its own, an image runs that server. */
const SERVER_IMAGES = new Set([
  'nginx', 'httpd', 'caddy', 'traefik', 'haproxy', 'postgres', 'mysql', 'mariadb', 'mongo', 'redis', 'memcached', 'rabbitmq',
  'elasticsearch', 'kibana', 'tomcat', 'jetty', 'wordpress', 'ghost', 'drupal', 'joomla', 'nextcloud', 'grafana', 'prometheus',
  'registry', 'consul', 'vault', 'influxdb', 'couchdb', 'cassandra', 'neo4j', 'solr', 'sonarqube', 'zookeeper', 'kafka', 'keycloak',
  'openresty', 'varnish', 'eclipse-mosquitto', 'adminer', 'matomo', 'mediawiki', 'odoo', 'redmine', 'phpmyadmin', 'unit', 'graylog',
  'nginx-unprivileged', 'envoy', 'logstash',
]);

/**
 * Server images that do not keep their process as root: they set a non-root USER, or their entrypoint or the
 * daemon itself drops root for the work (postgres' gosu, nginx's and Apache's workers, php-fpm's pools).
 */
const SERVER_IMAGES_WITHOUT_ROOT = new Set([
  'nginx', 'httpd', 'openresty', 'nginx-unprivileged', 'postgres', 'mysql', 'mariadb', 'mongo', 'redis', 'memcached', 'rabbitmq', 'cassandra',
  'couchdb', 'ghost', 'grafana', 'prometheus', 'kibana', 'elasticsearch', 'logstash', 'keycloak', 'haproxy', 'jetty', 'solr', 'sonarqube',
  'zookeeper', 'neo4j', 'adminer', 'odoo', 'eclipse-mosquitto', 'vault', 'influxdb', 'wordpress', 'drupal', 'joomla', 'nextcloud', 'matomo',
  'mediawiki', 'phpmyadmin', 'redmine', 'varnish', 'kafka', 'graylog', 'envoy',
]);

/** Daemons that start as root and hand the work to unprivileged workers by their own configuration. */
const SELF_DROPPING_DAEMONS = /^(nginx|httpd|httpd-foreground|apache2|apache2-foreground|apache2ctl|apachectl|php-fpm[\d.]*|php-fpm-foreground|postfix|dovecot|sshd|named|unbound|chronyd|rsyslogd|crond?|supervisord|runsvdir|s6-svscan)$/;

/** Programs that need root to do their job (they manage the kernel, other containers or the host). */
const NEEDS_ROOT = /^(dockerd|dockerd-entrypoint\.sh|containerd|binfmt|buildkitd|docker-bench-security\.sh|iptables|k3s|kubelet)$/;

/**
 * Images that run as root unless told otherwise: operating systems, language runtimes and distroless (without
 * `nonroot`). Built on anything else (an application's image), the user is that image's, which the file cannot
 * show: the editor can ask the daemon (imageFacts.ts).
 */
const ROOT_BY_DEFAULT = /^(scratch|alpine|debian|ubuntu|busybox|centos|fedora|rockylinux|almalinux|amazonlinux|oraclelinux|photon|archlinux|opensuse\/leap|opensuse\/tumbleweed|clearlinux|node|python|pypy|golang|ruby|php|perl|rust|openjdk|eclipse-temurin|amazoncorretto|ibmjava|sapmachine|ibm-semeru-runtimes|maven|gradle|erlang|elixir|haskell|julia|swift|dart|mono|clojure|groovy|r-base|bash|buildpack-deps|gcc|docker|tomcat|caddy|traefik|registry|mcr\.microsoft\.com\/dotnet\/[\w-]+)$/;
/** Red Hat's UBI and Google's distroless images (distroless without `nonroot` runs as root). */
const ROOT_BY_DEFAULT_VENDOR = /(^|\/)(ubi\d*(-minimal|-micro|-init)?|ubi\d+\/ubi(-minimal|-micro|-init)?|distroless\/[\w-]+)$/;

/** Development-container and CI base images: their user and health are set up by the tools that run them. */
const TOOLING_IMAGE = /(^|\/)(devcontainers|vscode\/devcontainers|cimg|circleci|gitpod\/workspace-[^/]*|actions-runner|jenkins\/(inbound-)?agent|jenkins\/ssh-agent|gitlab-runner)(\/|:|$)/i;
/** Folders whose Dockerfiles build development, CI, build-tool or test images rather than the product. */
const TOOLING_DIR = /(^|\/)(\.devcontainer|\.github|\.gitlab|\.circleci|\.ci|ci|hack|tools|docs|tests?|testing|tests?[-_.][\w.-]+|[\w.-]+[-_.](tests?|dev)|e2e|testdata|fixtures?|integration(test)?|playwright|cypress)(\/|$)/i;
const TOOLING_NAME = /(^|[./_-])(dev|devel|development|devcontainer|dev-container|ci|cicd|lint|test|tests|docs|vendor|shellcheck|govulncheck|validate|generate|codegen|build|builder|debug)([./_-]|$)/i;
/** A final stage named like this is for developing or checking, not for running the product. */
const TOOLING_STAGE = /^(dev|devel|develop|development|dev-envs?|devcontainer|debug|test|tests|[\w-]*-test|test-[\w-]*|ci|lint|validate|tools?|builder?)$/i;

/** Installed or called anywhere in the image: the entrypoint script (which the file does not show) uses it. */
const PRIVILEGE_DROPPERS = /(^|[\s"'/;&|(=])(gosu|su-exec|setpriv|s6-setuidgid|setuidgid|runuser|chpst|chroot\s+--userspec)(?=[\s"',;&|)]|$)/;
/** In CMD or ENTRYPOINT only: `su -c` and `sudo -u` there start the program as another user. */
const SWITCH_USER = /(^|[\s"'/;&|(])(su\s+(-\S+\s+)*[\w$-]+\s+-c|su\s+-c|sudo\s+(-\S+\s+)*-u)(?=\s)/;

const baseName = (w: string) => w.slice(Math.max(w.lastIndexOf('/'), w.lastIndexOf('\\')) + 1).replace(/\.exe$/i, '').toLowerCase();

function describeFinal(ctx: DockerfileContext, chain: Stage[]): FinalImage {
  const ins = chain.flatMap((s) => s.instructions);
  const has = (k: string) => ins.some((i) => i.keyword === k);
  const root = chain[chain.length - 1]?.root;
  const rootRef = root && root !== 'scratch' && !root.includes(UNKNOWN) ? parseImageRef(root) : undefined;
  const repo = rootRef?.repository.toLowerCase();
  const rootName = repo?.slice(repo.lastIndexOf('/') + 1);
  const windows = isWindows(ctx, chain);
  const serverBase = !!rootName && SERVER_IMAGES.has(rootName);
  const listens = has('EXPOSE') || serverBase;
  const program = mainProgram(ins, ctx.escape);
  const exe = program?.[0] !== undefined ? baseName(program[0]) : undefined;
  const script = startScript(ins, ctx.escape);

  const dropper = ins.map((i) => PRIVILEGE_DROPPERS.exec(i.text) ?? ((i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && SWITCH_USER.exec(i.text)) ?? undefined).find((m) => m);
  const dropsPrivileges: string | undefined = dropper ? dropper[2] : undefined;
  let rootIsItsBusiness: string | undefined;
  if (exe && SELF_DROPPING_DAEMONS.test(exe)) rootIsItsBusiness = `${exe} hands its work to unprivileged workers`;
  else if (!program && rootName && SERVER_IMAGES_WITHOUT_ROOT.has(rootName)) rootIsItsBusiness = `${rootName} sets up its own user`;
  else if (program?.some((w) => NEEDS_ROOT.test(baseName(w)))) rootIsItsBusiness = `${baseName(program.find((w) => NEEDS_ROOT.test(baseName(w)))!)} needs root`;
  else if (script) rootIsItsBusiness = `its start script (${script}), which this file does not show, decides which user runs the program`;
  const nonRoot = rootRef?.tag !== undefined && /(^|[-_.])nonroot([-_.]|$)/i.test(rootRef.tag) ? root : undefined;
  const rootByDefault = root === 'scratch' || (!!repo && (ROOT_BY_DEFAULT.test(repo.replace(/^(docker\.io\/|mirror\.gcr\.io\/|public\.ecr\.aws\/docker\/)?(library\/)?/, '')) || ROOT_BY_DEFAULT_VENDOR.test(repo)));
  const base = { listens, windows, rootByDefault, ...(dropsPrivileges ? { dropsPrivileges } : {}), ...(rootIsItsBusiness ? { rootIsItsBusiness } : {}), ...(nonRoot ? { nonRootBase: nonRoot } : {}) };

  const file = (ctx.filePath ?? '').replace(/\\/g, '/');
  const fileName = file.slice(file.lastIndexOf('/') + 1);
  const finalName = chain[0]?.name;
  if (root && TOOLING_IMAGE.test(root)) return { kind: 'tooling', why: `it is built on ${root}, a development-container or CI image`, ...base };
  if (/(^|\/)\.devcontainer\//i.test(file)) return { kind: 'tooling', why: 'it is a development container (.devcontainer)', ...base };
  const dir = file.slice(0, file.lastIndexOf('/') + 1);
  if (TOOLING_DIR.test(dir.split('/').slice(-4).join('/'))) return { kind: 'tooling', why: 'it lives with development, CI or test files', ...base };
  if (TOOLING_NAME.test(fileName.replace(/^(Dockerfile|Containerfile)\.?/i, '').replace(/\.?(Dockerfile|Containerfile)$/i, ''))) return { kind: 'tooling', why: `its name (${fileName}) says it is a development, build or test image`, ...base };
  if (finalName && TOOLING_STAGE.test(finalName)) return { kind: 'tooling', why: `its final stage (${finalName}) is for developing or checking`, ...base };

  if (!program) {
    if (root === 'scratch') return { kind: 'export', why: 'it is built FROM scratch and runs nothing: it only carries build output', ...base };
    if (has('ONBUILD')) return { kind: 'base', why: 'its ONBUILD triggers make it an image others build on', ...base };
    if (!serverBase) return { kind: 'base', why: 'it runs nothing of its own: an image others build on', ...base };
    return { kind: 'service', ...base };
  }
  // Options only (`bash -l`, `php -a`): still the prompt. A script or module after them runs something.
  if (!has('EXPOSE') && exe && PROMPTS.test(exe) && program.slice(1).every((w) => w.startsWith('-'))) {
    return { kind: 'base', why: 'it only starts a shell or an interpreter\'s prompt: an image others build on', ...base };
  }
  return { kind: 'service', ...base };
}

function lastOf(ins: Instruction[], keyword: string): Instruction | undefined {
  for (let k = ins.length - 1; k >= 0; k--) if (ins[k].keyword === keyword) return ins[k];
  return undefined;
}

/**
 * The script the container starts with, when it is one the image brings (`/docker-entrypoint.sh`, `start.sh`):
 * it runs as root first and may hand over to another user, as many do.
 */
function startScript(ins: Instruction[], escape: string): string | undefined {
  const words = (i: Instruction | undefined) => (i ? execForm(i) ?? i.args.map((w) => unquote(w.raw, escape)) : []);
  const isScript = (w: string) => /\.sh$/i.test(w) || /(^|[-_.])(entrypoint|start|run|launch|boot)([-_.]|$)/i.test(baseName(w));
  const entry = words(lastOf(ins, 'ENTRYPOINT')).filter((w) => !w.startsWith('-') && !/^(tini|tini-static|dumb-init|catatonit)$/.test(baseName(w)));
  const shell = (w: string | undefined) => !!w && /^(sh|bash|ash)$/.test(baseName(w));
  const first = shell(entry[0]) ? entry[1] : entry[0];
  if (first && isScript(first)) return baseName(first);
  const cmd = words(lastOf(ins, 'CMD')).filter((w) => !w.startsWith('-') && !/^(tini|tini-static|dumb-init|catatonit)$/.test(baseName(w)));
  const c = shell(cmd[0]) ? cmd[1] : cmd[0];
  return !entry.length && c && /\.sh$/i.test(c) ? baseName(c) : undefined;
}

/**
 * The words of the program the container starts: ENTRYPOINT and CMD, with a wrapper entrypoint (the image's
 * entrypoint script, tini, dumb-init) looked through to the CMD it starts. Undefined when the file sets neither,
 * or only a wrapper: then the base image decides.
 */
function mainProgram(ins: Instruction[], escape: string): string[] | undefined {
  const words = (i: Instruction | undefined) => (i ? execForm(i) ?? i.args.map((w) => unquote(w.raw, escape)) : []);
  const entry = words(lastOf(ins, 'ENTRYPOINT'));
  const cmd = words(lastOf(ins, 'CMD')).filter((w) => w !== '');
  let k = 0;
  while (k < entry.length && (WRAPPERS.test(baseName(entry[k])) || entry[k].startsWith('-'))) k++;
  const program = [...entry.slice(k), ...cmd];
  return program.length ? program : undefined;
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

/** What only the base image (the daemon) can settle about the final image. */
export interface BaseImageQuestions {
  /** A service that sets no user of its own, leaving it to the base image: root or not, the daemon tells. */
  userFromBase: boolean;
  /** A listening service without a HEALTHCHECK in its stages: the base image may declare one. */
  healthcheckFromBase: boolean;
}

export function baseImageQuestions(ctx: DockerfileContext): BaseImageQuestions {
  const { final, finalChain } = imageRoles(ctx);
  const service = final?.kind === 'service';
  const setsUser = finalChain.some((st) => st.instructions.some((i) => i.keyword === 'USER'));
  const hasHealthcheck = finalChain.some((st) => st.instructions.some((i) => i.keyword === 'HEALTHCHECK'));
  return {
    userFromBase: !!final && service && !setsUser && !final.dropsPrivileges && !final.rootIsItsBusiness && !final.nonRootBase && !final.windows,
    healthcheckFromBase: !!final && service && final.listens && !hasHealthcheck,
  };
}
