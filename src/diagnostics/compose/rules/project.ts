/** Cross-references between services and the top-level sections, and clashes between services. */
import * as path from 'node:path';
import type { Node } from 'yaml';
import type { ComposeCheck, ServiceNode } from '../context';
import { serviceMounts } from '../mounts';
import { PublishedPort, publishedPorts } from '../ports';
import { TopLevelKind } from '../project';
import { hasVariable } from '../variables';
import { asMap, entries, entry, entryValueSpan, nodeSpan, scalarText, seqItems, value } from '../yamlNodes';
import { NO_DUPLICATE_CONTAINER_NAME, NO_DUPLICATE_HOST_PORT, NO_UNDECLARED_REFERENCE, NO_VERSION_FIELD } from './meta';
import { dependencies } from './production';

export const checkVersionField: ComposeCheck = (ctx) => {
  const e = entry(ctx.root, 'version');
  if (!e) return;
  ctx.report(NO_VERSION_FIELD, nodeSpan(e.pair), 'The top-level "version" is obsolete: Compose ignores it (and warns) and always uses the latest Compose Specification. Remove the line.');
};

const SECTION_NOUN: Record<TopLevelKind, string> = { services: 'service', volumes: 'volume', networks: 'network', secrets: 'secret', configs: 'config' };

export const checkReferences: ComposeCheck = (ctx) => {
  // A file of the project could not be read: any name may be declared there.
  if (ctx.project.partial) return;
  const declared = ctx.project.declared;
  // An overlay (`compose.ssl.yaml`, `etherpad.yml`, used with -f after a base file) may be given with other
  // overlays too (`-f base -f fleet.yml -f agent.yml`): a name it uses may come from any of them.
  const overlay = ctx.project.hasPartners && !!ctx.filePath && !/^(docker-)?compose\.ya?ml$/.test(path.basename(ctx.filePath));
  const unsure = (_kind: TopLevelKind) => overlay;
  const missing = (kind: TopLevelKind, name: string | undefined, node: unknown, svc: ServiceNode) => {
    if (!name || hasVariable(name) || declared[kind].has(name) || unsure(kind)) return;
    if (kind === 'networks' && name === 'default') return;
    const hint = kind === 'services' ? 'Define the service, or fix the name' : `Declare it under the top-level "${kind}:" key`;
    ctx.report(NO_UNDECLARED_REFERENCE, nodeSpan(node), `Service "${svc.name}" uses the ${SECTION_NOUN[kind]} "${name}", which is not declared in this project, so compose will refuse to start. ${hint}.`, {
      data: { kind, name },
    });
  };
  for (const svc of ctx.services) {
    for (const m of serviceMounts(value(svc.map, 'volumes'))) {
      if (m.type === 'volume' && m.source) missing('volumes', m.source, m.node, svc);
    }
    const nets = value(svc.map, 'networks');
    for (const item of seqItems(nets)) missing('networks', scalarText(item), item, svc);
    for (const e of entries(asMap(nets))) missing('networks', e.key, e.via?.key ?? e.pair.key, svc);
    for (const kind of ['secrets', 'configs'] as const) {
      for (const item of seqItems(value(svc.map, kind))) {
        const long = asMap(item);
        missing(kind, long ? scalarText(value(long, 'source')) : scalarText(item), item, svc);
      }
    }
    for (const dep of dependencies(svc)) {
      if (dep.name && !dep.optional && !hasVariable(dep.name) && !declared.services.has(dep.name) && !unsure('services')) {
        ctx.report(NO_UNDECLARED_REFERENCE, dep.span, `Service "${svc.name}" depends on "${dep.name}", which is not a service of this project, so compose will refuse to start. Define it, or fix the name.`, {
          data: { kind: 'services', name: dep.name },
        });
      }
    }
    for (const item of seqItems(value(svc.map, 'links'))) missing('services', scalarText(item)?.split(':')[0], item, svc);
    for (const item of seqItems(value(svc.map, 'volumes_from'))) {
      const t = scalarText(item);
      if (t && !t.startsWith('container:')) missing('services', t.replace(/^service:/, '').split(':')[0], item, svc);
    }
    for (const key of ['network_mode', 'ipc', 'pid']) {
      const mode = entry(svc.map, key);
      const modeText = mode && scalarText(mode.pair.value);
      if (modeText?.startsWith('service:')) missing('services', modeText.slice(8), mode!.pair.value, svc);
    }
    checkExtends(ctx, svc);
  }
};

function checkExtends(ctx: Parameters<ComposeCheck>[0], svc: ServiceNode) {
  const e = entry(svc.map, 'extends');
  if (!e) return;
  const node = e.pair.value;
  const long = asMap(node);
  const service = long ? scalarText(value(long, 'service')) : scalarText(node);
  const file = long ? scalarText(value(long, 'file')) : undefined;
  if (!service || hasVariable(service) || (file && hasVariable(file))) return;
  if (ctx.project.hasExtendsTarget(file, service) === false) {
    const where = file ? `in ${file}` : 'in this file';
    ctx.report(NO_UNDECLARED_REFERENCE, long ? nodeSpan(value(long, 'service')) : entryValueSpan(e), `Service "${svc.name}" extends "${service}", which is not defined ${where}, so compose will refuse to start.`, {
      data: { kind: 'services', name: service },
    });
  }
}

/** Two services run together unless both have profiles and share none. */
function runTogether(a: ServiceNode, b: ServiceNode): boolean {
  // The same service written in two documents of the file is one service, merged.
  if (a !== b && a.name === b.name) return false;
  if (!a.profiles.length || !b.profiles.length) return true;
  return a.profiles.some((p) => b.profiles.includes(p));
}

export const checkDuplicateContainerNames: ComposeCheck = (ctx) => {
  const seen = new Map<string, ServiceNode>();
  for (const svc of ctx.services) {
    const e = entry(svc.map, 'container_name');
    const name = e && scalarText(e.pair.value);
    if (!name || hasVariable(name)) continue;
    const first = seen.get(name);
    if (first && runTogether(first, svc)) {
      ctx.report(NO_DUPLICATE_CONTAINER_NAME, entryValueSpan(e), `Services "${first.name}" and "${svc.name}" both use container_name "${name}": Docker refuses to create the second container. Give each a unique name, or drop container_name and let compose name them.`);
    } else if (!first) seen.set(name, svc);
  }
};

const overlaps = (a: [number, number], b: [number, number]) => a[0] <= b[1] && b[0] <= a[1];
const sameAddress = (a: string | undefined, b: string | undefined) => {
  const all = (ip: string | undefined) => !ip || ip === '0.0.0.0' || ip === '::';
  return all(a) || all(b) || a === b;
};

export const checkDuplicateHostPorts: ComposeCheck = (ctx) => {
  type Taken = { svc: ServiceNode; port: PublishedPort; range: [number, number] };
  // Indexed by protocol and host port, so a file with thousands of ports is not compared pair by pair.
  const byPort = new Map<string, Taken[]>();
  const wide: Taken[] = [];
  const candidates = (protocol: string, r: [number, number]): Taken[] => {
    if (r[1] - r[0] > 64) return [...wide, ...[...byPort.values()].flat()];
    const out = [...wide];
    for (let p = r[0]; p <= r[1]; p++) out.push(...(byPort.get(`${protocol}/${p}`) ?? []));
    return out;
  };
  for (const svc of ctx.services) {
    for (const port of publishedPorts(value(svc.map, 'ports'))) {
      const r = port.published;
      if (!r) continue;
      const clash = candidates(port.protocol, r).find(
        (t) => t.port.protocol === port.protocol && overlaps(t.range, r) && sameAddress(t.port.hostIp, port.hostIp) && (t.svc === svc || runTogether(t.svc, svc)),
      );
      if (clash) {
        const who = clash.svc === svc ? `Service "${svc.name}" publishes` : `Services "${clash.svc.name}" and "${svc.name}" both publish`;
        ctx.report(NO_DUPLICATE_HOST_PORT, nodeSpan(port.node as Node), `${who} host port ${r[0] === r[1] ? r[0] : `${r[0]}-${r[1]}`}/${port.protocol}: the second one fails with "port is already allocated". Pick another host port.`);
        continue;
      }
      const t: Taken = { svc, port, range: r };
      if (r[1] - r[0] > 64) wide.push(t);
      else for (let p = r[0]; p <= r[1]; p++) byPort.set(`${port.protocol}/${p}`, [...(byPort.get(`${port.protocol}/${p}`) ?? []), t]);
    }
  }
};
