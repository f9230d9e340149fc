/** Published ports in both syntaxes: `"127.0.0.1:8080-8081:80-81/udp"` and `{target, published, host_ip, protocol}`. */
import type { Node } from 'yaml';
import { asMap, scalarText, seqItems, value } from './yamlNodes';
import { withDefaults } from './variables';

export interface PublishedPort {
  node: Node;
  hostIp: string | undefined;
  /** Host port range; undefined when compose picks a free port. */
  published: [number, number] | undefined;
  target: [number, number] | undefined;
  protocol: string;
}

function portRange(s: string | undefined): [number, number] | undefined {
  if (s === undefined || s === '') return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(s.trim());
  if (!m) return undefined;
  const lo = Number(m[1]);
  return [lo, m[2] ? Number(m[2]) : lo];
}

/** Parses the short syntax; undefined when the text holds a variable without a default or is malformed. */
export function parseShortPort(raw: string): Omit<PublishedPort, 'node'> | undefined {
  const text = withDefaults(raw);
  if (text === undefined) return undefined;
  let rest = text.trim();
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1).toLowerCase() || 'tcp';
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(rest);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2];
  }
  const parts = rest.split(':');
  if (!v6 && parts.length === 3) hostIp = parts.shift();
  else if (!v6 && parts.length > 3) {
    // An unbracketed IPv6 address: the last two parts are the ports.
    const tail = parts.splice(parts.length - 2, 2);
    hostIp = parts.join(':');
    parts.push(...tail);
  }
  if (parts.length === 1) return { hostIp, published: undefined, target: portRange(parts[0]), protocol };
  return { hostIp, published: portRange(parts[0]), target: portRange(parts[1]), protocol };
}

/** Every port of a service's `ports:` list it can read. */
export function publishedPorts(ports: Node | undefined): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const item of seqItems(ports)) {
    const long = asMap(item);
    if (long) {
      const target = scalarText(value(long, 'target'));
      const published = scalarText(value(long, 'published'));
      const t = target === undefined ? undefined : withDefaults(target);
      const p = published === undefined ? undefined : withDefaults(published);
      if (published !== undefined && p === undefined) continue;
      const ip = scalarText(value(long, 'host_ip'));
      out.push({
        node: item,
        hostIp: ip === undefined ? undefined : withDefaults(ip),
        published: portRange(p),
        target: portRange(t),
        protocol: (scalarText(value(long, 'protocol')) ?? 'tcp').toLowerCase(),
      });
      continue;
    }
    const raw = scalarText(item);
    if (raw === undefined) continue;
    const parsed = parseShortPort(raw);
    if (parsed) out.push({ node: item, ...parsed });
  }
  return out;
}

/** True when the address publishes on every interface (no address, 0.0.0.0 or ::). */
export const isAllInterfaces = (ip: string | undefined) => !ip || ip === '0.0.0.0' || ip === '::' || ip === '[::]';
