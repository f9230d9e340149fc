/** Settings that hand a container more of the host than it needs. */
import type { Node } from 'yaml';
import type { ComposeCheck } from '../context';
import { normaliseHostPath, serviceMounts } from '../mounts';
import { isAllInterfaces, publishedPorts } from '../ports';
import { hasVariable, withDefaults } from '../variables';
import { asMap, asScalar, entries, entry, entryValueSpan, nodeSpan, scalarText, seqItems, value } from '../yamlNodes';
import {
  NO_DANGEROUS_CAPABILITIES,
  NO_DOCKER_SOCKET,
  NO_HOST_NAMESPACE,
  NO_PLAINTEXT_SECRET,
  NO_PRIVILEGED,
  NO_PUBLIC_ADMIN_PORT,
  NO_ROOT_USER,
  NO_SENSITIVE_MOUNT,
  NO_UNCONFINED_SECURITY_OPT,
} from './meta';

/** The text of a scalar with variables replaced by their defaults; undefined if unknown. */
const resolved = (node: unknown) => {
  const t = scalarText(node);
  return t === undefined ? undefined : withDefaults(t);
};

export const checkRootUser: ComposeCheck = (ctx) => {
  for (const svc of ctx.services) {
    const e = entry(svc.map, 'user');
    const user = e && resolved(e.pair.value)?.trim();
    if (!user) continue;
    const name = user.split(':')[0];
    if (name === 'root' || name === '0') {
      ctx.report(NO_ROOT_USER, entryValueSpan(e), `Service "${svc.name}" runs as root (user: ${user}). A process that breaks out of a root container is root on the host; run as an unprivileged user such as "1000:1000" or the one the image creates.`);
    }
  }
};

export const checkPrivileged: ComposeCheck = (ctx) => {
  for (const svc of ctx.services) {
    const e = entry(svc.map, 'privileged');
    if (e && isTrue(e.pair.value)) {
      ctx.report(NO_PRIVILEGED, entryValueSpan(e), `Service "${svc.name}" is privileged: it gets every capability and every host device, so it can take over the host. Grant only what it needs with cap_add or devices.`);
    }
  }
};

function isTrue(node: unknown): boolean {
  const s = asScalar(node);
  if (!s) return false;
  if (s.value === true) return true;
  return typeof s.value === 'string' && /^true$/i.test(withDefaults(s.value) ?? '');
}

const SOCKETS = ['/var/run/docker.sock', '/run/docker.sock', '/run/podman/podman.sock', '/var/run/podman/podman.sock', '/run/containerd/containerd.sock'];

export const checkDockerSocket: ComposeCheck = (ctx) => {
  for (const svc of ctx.services) {
    for (const m of serviceMounts(value(svc.map, 'volumes'))) {
      const src = m.type === 'bind' && m.source ? normaliseHostPath(m.source.replace(/^\/\/+/, '/')) : undefined;
      // `${DOCKER_SOCK}:/var/run/docker.sock`: whatever the variable says, the container gets a Docker socket there.
      const socket = src !== undefined && (SOCKETS.includes(src) || /\/docker\.sock$/.test(src)) ? src : m.type !== 'volume' && m.target && SOCKETS.includes(normaliseHostPath(m.target)) ? m.target : undefined;
      if (socket) {
        ctx.report(NO_DOCKER_SOCKET, nodeSpan(m.node), `Service "${svc.name}" mounts ${socket === src ? src : `a Docker socket at ${socket}`}: whoever controls the Docker socket controls the host (it can start a privileged container that mounts /), and ":ro" does not change that. If the service must watch containers, put a socket proxy that allows only the calls it needs in between.`);
      }
    }
  }
};

/** Capabilities that reach past the container: loading modules, raw devices, tracing other processes, all of them. */
const HOST_CAPS = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_PTRACE', 'DAC_READ_SEARCH', 'BPF', 'MAC_ADMIN']);
/** Capabilities that are risky but have honest uses (a VPN needs NET_ADMIN). */
const RISKY_CAPS = new Set(['NET_ADMIN', 'SYS_TIME', 'SYS_BOOT', 'MAC_OVERRIDE', 'PERFMON', 'SYSLOG', 'SYS_RESOURCE', 'LINUX_IMMUTABLE', 'AUDIT_CONTROL', 'CHECKPOINT_RESTORE', 'BLOCK_SUSPEND', 'WAKE_ALARM']);

export const checkCapabilities: ComposeCheck = (ctx) => {
  for (const svc of ctx.services) {
    for (const item of seqItems(value(svc.map, 'cap_add'))) {
      const raw = resolved(item);
      if (!raw) continue;
      const cap = raw.trim().toUpperCase().replace(/^CAP_/, '');
      if (HOST_CAPS.has(cap)) {
        ctx.report(NO_DANGEROUS_CAPABILITIES, nodeSpan(item), `Service "${svc.name}" adds ${cap === 'ALL' ? 'every capability' : `CAP_${cap}`}, which lets a process in the container reach the host${cap === 'SYS_ADMIN' || cap === 'ALL' ? ' (it is nearly the same as privileged: true)' : ''}. Drop it, or find the narrower capability the program really needs.`, { severity: 'error' });
      } else if (RISKY_CAPS.has(cap)) {
        ctx.report(NO_DANGEROUS_CAPABILITIES, nodeSpan(item), `Service "${svc.name}" adds CAP_${cap}, which reaches outside the container (${capEffect(cap)}). Keep it only if the service cannot work without it.`);
      }
    }
  }
};

function capEffect(cap: string): string {
  switch (cap) {
    case 'NET_ADMIN':
      return 'it can reconfigure interfaces, routes and firewall rules of its network';
    case 'SYS_TIME':
      return "it sets the host's clock";
    case 'SYS_BOOT':
      return 'it can reboot the host';
    default:
      return 'it changes kernel-wide settings';
  }
}

const NAMESPACE_KEYS: Record<string, string> = {
  network_mode: "the host's network: every port it opens is open on the host, and it sees the host's interfaces",
  pid: "the host's processes: it can see them, and signal or trace them with the right capability",
  ipc: "the host's shared memory",
  uts: "the host's hostname",
  userns_mode: "the host's user namespace, so user namespace remapping no longer protects it",
  cgroup: "the host's cgroup namespace",
};

export const checkHostNamespaces: ComposeCheck = (ctx) => {
  for (const svc of ctx.services) {
    for (const [key, effect] of Object.entries(NAMESPACE_KEYS)) {
      const e = entry(svc.map, key);
      if (e && resolved(e.pair.value)?.trim() === 'host') {
        const advice = key === 'network_mode' ? 'Use a compose network and publish only the ports you need.' : 'Leave it out unless the service is a host monitoring tool.';
        ctx.report(NO_HOST_NAMESPACE, entryValueSpan(e), `Service "${svc.name}" shares ${effect}. ${advice}`);
      }
    }
  }
};

export const checkSecurityOpt: ComposeCheck = (ctx) => {
  for (const svc of ctx.services) {
    for (const item of seqItems(value(svc.map, 'security_opt'))) {
      const opt = resolved(item)?.trim().toLowerCase().replace(/\s+/g, '');
      if (!opt) continue;
      const m = /^(seccomp|apparmor|label|systempaths)[:=](unconfined|disable)$/.exec(opt);
      if (!m) continue;
      const what = { seccomp: 'the seccomp filter that blocks dangerous system calls', apparmor: 'the AppArmor profile', label: 'SELinux labelling', systempaths: 'the masking of /proc and /sys paths' }[m[1]];
      ctx.report(NO_UNCONFINED_SECURITY_OPT, nodeSpan(item), `Service "${svc.name}" turns off ${what} ("${opt}"), one of the walls between the container and the kernel. Use a custom profile that allows the one thing the service needs instead.`);
    }
  }
};

/** Bind sources that expose the host when mounted: the path itself, or (for `under`) anything beneath it. */
const SENSITIVE_EXACT = new Set(['/', '/etc', '/root', '/home', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/var', '/run', '/var/run', '/boot', '/srv', '/opt']);
const SENSITIVE_UNDER = ['/proc', '/sys', '/dev', '/boot', '/var/lib/docker', '/var/lib/containerd', '/etc/shadow', '/etc/sudoers', '/etc/ssh', '/root/.ssh'];
const CREDENTIAL_DIRS = ['~/.ssh', '~/.aws', '~/.docker', '~/.kube', '~/.gnupg', '~/.config/gcloud'];

export const checkSensitiveMounts: ComposeCheck = (ctx) => {
  for (const svc of ctx.services) {
    for (const m of serviceMounts(value(svc.map, 'volumes'))) {
      if (m.type !== 'bind' || !m.source) continue;
      const src = m.source.startsWith('/') ? normaliseHostPath(m.source) : m.source.replace(/\/+$/, '');
      if (SOCKETS.includes(src)) continue; // no-docker-socket says it better
      const under = (p: string) => src === p || src.startsWith(p + '/');
      let why: string | undefined;
      if (src === '/') why = "the host's whole file system";
      else if (SENSITIVE_EXACT.has(src)) why = `the host's ${src} folder`;
      else if (SENSITIVE_UNDER.some(under)) why = `the host's ${src}`;
      else if (CREDENTIAL_DIRS.some(under)) why = `your credentials in ${src}`;
      if (!why) continue;
      const severity = m.readOnly ? 'warning' : 'error';
      ctx.report(NO_SENSITIVE_MOUNT, nodeSpan(m.node), `Service "${svc.name}" mounts ${why}${m.readOnly ? ' (read-only)' : ' with write access'}: a compromised container can ${m.readOnly ? 'read secrets from it' : 'change the host through it'}. Mount only the files the service needs${m.readOnly ? '' : ', read-only (:ro)'}.`, { severity });
    }
  }
};

/** Well-known ports of databases, brokers and admin interfaces, by the port they listen on in the container. */
const ADMIN_PORTS: Record<number, string> = {
  5432: 'PostgreSQL', 3306: 'MySQL/MariaDB', 33060: 'MySQL X', 27017: 'MongoDB', 6379: 'Redis', 9200: 'Elasticsearch', 9300: 'Elasticsearch transport',
  5984: 'CouchDB', 11211: 'Memcached', 1433: 'SQL Server', 1521: 'Oracle', 9042: 'Cassandra', 7687: 'Neo4j Bolt', 8086: 'InfluxDB', 5672: 'RabbitMQ',
  15672: 'RabbitMQ management', 2379: 'etcd', 8500: 'Consul', 9092: 'Kafka', 2181: 'ZooKeeper', 26257: 'CockroachDB', 4222: 'NATS', 8529: 'ArangoDB',
  28015: 'RethinkDB', 6443: 'Kubernetes API', 10250: 'kubelet', 2375: 'Docker API', 2376: 'Docker API',
};

export const checkPublicAdminPorts: ComposeCheck = (ctx) => {
  for (const svc of ctx.services) {
    for (const p of publishedPorts(value(svc.map, 'ports'))) {
      if (!isAllInterfaces(p.hostIp)) continue;
      const [lo, hi] = p.target ?? p.published ?? [0, -1];
      if (hi - lo > 1000) continue;
      let name: string | undefined;
      let port = 0;
      for (let x = lo; x <= hi && !name; x++) if (ADMIN_PORTS[x]) [name, port] = [ADMIN_PORTS[x], x];
      if (!name) continue;
      const docker = port === 2375 || port === 2376;
      const hostPort = p.published ? String(p.published[0]) : p.publishedByVariable ? 'the port its variable gives' : 'a random port';
      ctx.report(NO_PUBLIC_ADMIN_PORT, nodeSpan(p.node), `Service "${svc.name}" publishes ${name} (${port}) on every interface of the host, so anyone who can reach this machine can try to log in${docker ? ' and, through the Docker API, own the host' : ''}. Other services reach it over the compose network without publishing; to reach it from the host, bind it to 127.0.0.1 ("127.0.0.1:${p.published ? hostPort + ':' : p.publishedByVariable ? (scalarText(p.node)?.split(':')[0] ?? '') + ':' : ''}${port}").`, docker ? { severity: 'error' } : undefined);
    }
  }
};

const SECRET_NAME = /(PASS(WORD|WD)?|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|_AUTH$|^AUTH_|DSN|CONNECTION_?STRING)/i;
const NOT_A_SECRET_VALUE = /^(true|false|yes|no|on|off|y|n|\d{1,6}|null|none|trust|scram-sha-256|md5|required|requested|optional|disabled|enabled|htpasswd|basic|bearer|token|jwt|oauth2?|ldap|file|env)$/i;
/** Names that say what kind of secret or where it is, not the secret: a policy name, an auth realm or method. */
const NAMES_ABOUT_A_SECRET = /_(FILE|PATH|LENGTH|TTL|EXPIRY|EXPIRES|HOST|PORT|USER|USERNAME|NAME|REALM|METHOD|MODE|TYPE|POLICY|ALGORITHM|ENABLED|DIR|LOCATION)$/i;

/** Reports `environment` entries whose name says secret and whose value is written out. */
export const checkPlaintextSecrets: ComposeCheck = (ctx) => {
  for (const svc of ctx.services) {
    const env = value(svc.map, 'environment');
    const pairs: { name: string; val: string | undefined; node: Node | undefined }[] = [];
    const map = asMap(env);
    if (map) for (const e of entries(map)) pairs.push({ name: e.key, val: scalarText(e.pair.value), node: (e.via ?? e.pair).value as Node | undefined });
    for (const item of seqItems(env)) {
      const t = scalarText(item);
      const eq = t?.indexOf('=') ?? -1;
      if (t && eq > 0) pairs.push({ name: t.slice(0, eq), val: t.slice(eq + 1), node: item });
    }
    for (const { name, val, node } of pairs) {
      const urlPassword = val && /^[a-z][a-z0-9+.-]*:\/\/[^/@:\s]*:([^/@\s]+)@/i.exec(val)?.[1];
      if (urlPassword && !hasVariable(urlPassword)) {
        ctx.report(NO_PLAINTEXT_SECRET, nodeSpan(node), `${name} of service "${svc.name}" holds a URL with its password written in it, so the password ends up in git and in "docker inspect". Put the password in a variable (\${...}) kept in an untracked .env file, or use compose secrets.`);
        continue;
      }
      if (!SECRET_NAME.test(name) || NAMES_ABOUT_A_SECRET.test(name)) continue;
      if (val === undefined || val.trim() === '' || hasVariable(val) || NOT_A_SECRET_VALUE.test(val.trim())) continue;
      // Confluent's images read *_CREDENTIALS as the name of a file in their secrets folder.
      if (/_CREDENTIALS$/i.test(name) && /^[\w-]+(_creds|\.creds|\.txt)$/i.test(val.trim())) continue;
      // A placeholder to replace (`<your-API-key>`) is not a secret yet.
      if (/^<[^<>]+>$/.test(val.trim())) continue;
      // `DB_PASSWORD: /run/secrets/db_password` names the file that holds the secret.
      if (/^(\/[\w.@-]+){2,}\/?$/.test(val.trim())) continue;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(val)) continue; // a URL without a password in it
      ctx.report(NO_PLAINTEXT_SECRET, nodeSpan(node), `${name} of service "${svc.name}" is written in the compose file, so it ends up in git, in "docker inspect" and in every copy of this file. Read it from a variable (${name}: \${${name}}) kept in an untracked .env file, or use compose secrets.`);
    }
  }
};

