/** Published ports in both syntaxes: `"127.0.0.1:8080-8081:80-81/udp"` and `{target, published, host_ip, protocol}`. */
import type { Node } from 'yaml';
import { asMap, scalarText, seqItems, value } from './yamlNodes';
import { UNKNOWN, withDefaults, withPlaceholders } from './variables';

export interface PublishedPort {
  node: Node;
  hostIp: string | undefined;
  /** Host port range; undefined when compose picks a free port or a variable without a default gives it. */
  published: [number, number] | undefined;
  /** True when a variable without a default gives the host port: it is published, on a port only the environment knows. */
  publishedByVariable?: boolean;
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
  const text = withPlaceholders(raw);
  if (text === undefined) return undefined;
  if (text.includes(UNKNOWN)) {
    // `${PORT}:5432` is still 5432 published; a variable anywhere else leaves the port unknown.
    const p = parseKnownPort(text);
    const hidden = (r: string | undefined) => r !== undefined && r.includes(UNKNOWN);
    if (!p || hidden(p.hostIpText) || hidden(p.targetText) || hidden(p.protocol)) return undefined;
    return { hostIp: p.hostIp, published: undefined, publishedByVariable: hidden(p.publishedText), target: p.target, protocol: p.protocol };
  }
  const p = parseKnownPort(text);
  return p && { hostIp: p.hostIp, published: p.published, target: p.target, protocol: p.protocol };
}

function parseKnownPort(text: string) {
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
  if (parts.length === 1) return { hostIp, hostIpText: hostIp, published: undefined, publishedText: undefined, target: portRange(parts[0]), targetText: parts[0], protocol };
  return { hostIp, hostIpText: hostIp, published: portRange(parts[0]), publishedText: parts[0], target: portRange(parts[1]), targetText: parts[1], protocol };
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
      const ip = scalarText(value(long, 'host_ip'));
      const hostIp = ip === undefined ? undefined : withDefaults(ip);
      if (ip !== undefined && hostIp === undefined) continue;
      out.push({
        node: item,
        hostIp,
        published: portRange(p),
        publishedByVariable: published !== undefined && p === undefined,
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
