/**
 * compose-go's consistency checks (loader/validate.go, validation/, graph/cycle.go): combinations the schema
 * accepts but `docker compose` refuses to load, each reported where it is fixed.
 */
import * as path from 'node:path';
import type { Node } from 'yaml';
import type { ComposeCheck, ComposeContext, ServiceNode } from '../context';
import { serviceMounts } from '../mounts';
import { isObject } from '../project';
import { hasVariable, withDefaults } from '../variables';
import { asMap, asScalar, entries, entry, entryKeySpan, entryValueSpan, nodeSpan, scalarText, seqItems, value } from '../yamlNodes';
import { COMPOSE_CONSISTENCY, NO_UNDECLARED_REFERENCE } from './meta';
import { dependencies } from './production';

/** compose-go refuses these while loading, before (and even without) its consistency checks. */
const LOADING = { data: { stage: 'load' } };

const text = (node: unknown) => {
  const t = scalarText(node);
  return t === undefined ? undefined : withDefaults(t);
};

export const checkConsistency: ComposeCheck = (ctx) => {
  if (!ctx.dataAvailable) return;
  checkTopLevel(ctx);
  for (const svc of ctx.services) {
    checkNetworkMode(ctx, svc);
    checkBuild(ctx, svc);
    checkDevices(ctx, svc);
    checkEnvironmentList(ctx, svc);
    checkScale(ctx, svc);
    checkMountTargets(ctx, svc);
    checkBindSources(ctx, svc);
    checkHealthcheckTest(ctx, svc);
    checkWatch(ctx, svc);
    checkExtendedReferences(ctx, svc);
  }
  checkDependencyCycles(ctx);
  checkIncludeCycle(ctx);
};

/** `external: true` beside settings only compose could apply to a volume it creates; `name` beside `external.name`. */
function checkTopLevel(ctx: ComposeContext): void {
  for (const doc of ctx.parsed.docs) {
    for (const section of entries(asMap(doc.contents))) {
      if (!['volumes', 'networks', 'secrets', 'configs'].includes(section.key)) continue;
      for (const res of entries(asMap(section.pair.value))) {
        const map = asMap(res.pair.value);
        const ext = entry(map, 'external');
        if (!map || !ext) continue;
        const extMap = asMap(ext.pair.value);
        if (extMap && entry(extMap, 'name') && entry(map, 'name')) {
          ctx.report(COMPOSE_CONSISTENCY, entryKeySpan(entry(map, 'name')!), `${section.key}.${res.key} sets both "name" and "external.name": compose refuses the pair. Keep only "name".`, LOADING);
        }
        if (section.key !== 'volumes' || text(ext.pair.value) !== 'true') continue;
        for (const e of entries(map)) {
          if (e.key === 'name' || e.key === 'external' || e.key.startsWith('x-')) continue;
          ctx.report(COMPOSE_CONSISTENCY, entryKeySpan(e), `volumes.${res.key} is external, so compose does not create it and refuses "${e.key}" beside "external: true". Remove "${e.key}", or let compose create the volume.`, LOADING);
        }
      }
      if (section.key === 'secrets' || section.key === 'configs') {
        const sources = section.key === 'secrets' ? ['file', 'environment'] : ['file', 'environment', 'content'];
        for (const res of entries(asMap(section.pair.value))) {
          const map = asMap(res.pair.value);
          if (!map) continue;
          const set = sources.filter((k) => entry(map, k));
          if (set.length > 1) {
            ctx.report(COMPOSE_CONSISTENCY, entryKeySpan(entry(map, set[1])!), `${section.key}.${res.key} sets ${set.map((k) => `"${k}"`).join(' and ')}: compose takes exactly one of ${sources.join(', ')}.`, LOADING);
          } else if (!set.length && !entry(map, 'external') && !entry(map, 'driver')) {
            ctx.report(COMPOSE_CONSISTENCY, entryKeySpan(res), `${section.key}.${res.key} says neither where its content comes from (${sources.join(', ')}) nor that it is external: compose refuses it.`);
          }
        }
      }
    }
  }
}

function checkNetworkMode(ctx: ComposeContext, svc: ServiceNode): void {
  const mode = entry(svc.map, 'network_mode');
  const nets = entry(svc.map, 'networks');
  if (!mode || !nets || text(mode.pair.value) === '') return;
  ctx.report(COMPOSE_CONSISTENCY, entryKeySpan(nets), `Service "${svc.name}" sets both network_mode and networks: compose refuses the pair, since network_mode replaces the service's networks. Keep one.`);
}

function checkBuild(ctx: ComposeContext, svc: ServiceNode): void {
  const build = asMap(value(svc.map, 'build'));
  if (build && entry(build, 'dockerfile') && entry(build, 'dockerfile_inline')) {
    ctx.report(COMPOSE_CONSISTENCY, entryKeySpan(entry(build, 'dockerfile_inline')!), `Service "${svc.name}" sets both build.dockerfile and build.dockerfile_inline: compose takes only one.`);
  }
  for (const item of seqItems(value(build, 'secrets'))) {
    const long = asMap(item);
    const name = long ? scalarText(value(long, 'source')) : scalarText(item);
    if (!name || hasVariable(name) || ctx.project.declared.secrets.has(name)) continue;
    ctx.report(NO_UNDECLARED_REFERENCE, nodeSpan(item), `Service "${svc.name}" builds with the secret "${name}", which is not declared in this project, so compose will refuse to build. Declare it under the top-level "secrets:" key.`, {
      data: { kind: 'secrets', name },
    });
  }
  // Only a base file is known to stand alone: any other file may be an override that `-f` puts over one.
  // A devcontainer's compose file is listed after the project's own in devcontainer.json: an overlay by design.
  const base = !ctx.filePath || (/^(docker-)?compose\.ya?ml$/.test(path.basename(ctx.filePath)) && !ctx.filePath.split(/[\\/]/).includes('.devcontainer'));
  const runs = svc.layers.some((l) => l.data.image !== undefined || l.data.build !== undefined || l.data.provider !== undefined || l.data.extends !== undefined);
  if (base && !runs && svc.map && !ctx.project.hasPartners) {
    ctx.report(COMPOSE_CONSISTENCY, svc.keySpan, `Service "${svc.name}" has neither an image nor a build context: compose cannot tell what to run. Add image: or build:.`);
  }
}

/** GPU requests: `count` is a number or "all", and is never given with `device_ids`. */
function checkDevices(ctx: ComposeContext, svc: ServiceNode): void {
  const reservations = asMap(value(asMap(value(asMap(value(svc.map, 'deploy')), 'resources')), 'reservations'));
  const requests = [...seqItems(value(reservations, 'devices')), ...seqItems(value(svc.map, 'gpus'))];
  for (const req of requests) {
    const map = asMap(req);
    const count = entry(map, 'count');
    if (!map || !count) continue;
    const ids = entry(map, 'device_ids');
    if (ids) ctx.report(COMPOSE_CONSISTENCY, entryKeySpan(ids), `Service "${svc.name}" asks for devices by both "count" and "device_ids": compose takes one or the other.`, LOADING);
    const s = asScalar(count.pair.value);
    if (s && typeof s.value === 'string' && !hasVariable(s.value) && s.value !== 'all' && !/^-?\d+$/.test(s.value)) {
      ctx.report(COMPOSE_CONSISTENCY, nodeSpan(s), `"${s.value}" is not a device count: use a number or "all".`, LOADING);
    }
  }
}

/** `- NAME = value`: compose reads the name as "NAME " and refuses it. */
function checkEnvironmentList(ctx: ComposeContext, svc: ServiceNode): void {
  for (const item of seqItems(value(svc.map, 'environment'))) {
    const t = scalarText(item);
    const eq = t?.indexOf('=') ?? -1;
    if (!t || eq <= 0) continue;
    const name = t.slice(0, eq);
    if (name !== name.trimEnd()) {
      ctx.report(COMPOSE_CONSISTENCY, nodeSpan(item), `The environment variable "${name.trim()}" is written with a space before "=": compose refuses the name "${name}". Write ${name.trim()}=${t.slice(eq + 1).trim()}.`, LOADING);
    }
  }
}

function checkScale(ctx: ComposeContext, svc: ServiceNode): void {
  const scale = entry(svc.map, 'scale');
  const replicas = value(asMap(value(svc.map, 'deploy')), 'replicas');
  const n = (node: unknown) => {
    const t = text(node);
    return t === undefined || !/^-?\d+$/.test(t.trim()) ? undefined : Number(t);
  };
  const s = scale ? n(scale.pair.value) : undefined;
  const r = replicas ? n(replicas) : undefined;
  if (s !== undefined && r !== undefined && s !== r) {
    ctx.report(COMPOSE_CONSISTENCY, entryValueSpan(scale!), `Service "${svc.name}" sets scale: ${s} and deploy.replicas: ${r}: compose refuses two different counts. Keep one.`);
  }
  if (s !== undefined && s < 0) ctx.report(COMPOSE_CONSISTENCY, entryValueSpan(scale!), `services.${svc.name}.scale must be 0 or more, not ${s}.`);
  if (r !== undefined && r < 0) ctx.report(COMPOSE_CONSISTENCY, nodeSpan(replicas), `services.${svc.name}.deploy.replicas must be 0 or more, not ${r}.`);
  const count = s ?? r;
  const name = entry(svc.map, 'container_name');
  if (count !== undefined && count > 1 && name) {
    ctx.report(COMPOSE_CONSISTENCY, entryKeySpan(name), `Service "${svc.name}" runs ${count} replicas under one container_name: container names are unique, so compose refuses it. Drop container_name.`);
  }
}

/** Two mounts (volumes or tmpfs) at the same path in the container. */
function checkMountTargets(ctx: ComposeContext, svc: ServiceNode): void {
  const seen = new Map<string, Node>();
  const tmpfs = value(svc.map, 'tmpfs');
  const tmpfsItems = asScalar(tmpfs) ? [tmpfs as Node] : seqItems(tmpfs);
  const targets: { target: string | undefined; node: Node }[] = [
    ...tmpfsItems.map((n) => ({ target: text(n)?.split(':')[0], node: n })),
    ...serviceMounts(value(svc.map, 'volumes')).map((m) => ({ target: m.target === undefined ? undefined : withDefaults(m.target), node: m.node })),
  ];
  for (const { target, node } of targets) {
    if (!target || hasVariable(target)) continue;
    const t = target.replace(/\/+$/, '') || '/';
    if (seen.has(t)) {
      ctx.report(COMPOSE_CONSISTENCY, nodeSpan(node), `Service "${svc.name}" mounts two things at ${t} in the container: compose refuses it. Keep one.`);
    } else seen.set(t, node);
  }
}

/** A long-syntax bind mount needs a source: compose refuses an empty one while loading. */
function checkBindSources(ctx: ComposeContext, svc: ServiceNode): void {
  for (const item of seqItems(value(svc.map, 'volumes'))) {
    const map = asMap(item);
    if (!map || text(value(map, 'type')) !== 'bind') continue;
    const src = entry(map, 'source');
    if (!src || text(src.pair.value) === '') ctx.report(COMPOSE_CONSISTENCY, nodeSpan(item), `This bind mount of "${svc.name}" has no source: say which host path to mount.`, LOADING);
  }
}

function checkHealthcheckTest(ctx: ComposeContext, svc: ServiceNode): void {
  const test = value(asMap(value(svc.map, 'healthcheck')), 'test');
  const first = seqItems(test)[0];
  const t = first && scalarText(first);
  if (t !== undefined && !['CMD', 'CMD-SHELL', 'NONE'].includes(t) && !hasVariable(t)) {
    ctx.report(COMPOSE_CONSISTENCY, nodeSpan(first), `healthcheck.test must start with "CMD", "CMD-SHELL" or "NONE", not "${t}". Use ["CMD", ...] to run a program, ["CMD-SHELL", "..."] for a shell command.`);
  }
}

function checkWatch(ctx: ComposeContext, svc: ServiceNode): void {
  for (const rule of seqItems(value(asMap(value(svc.map, 'develop')), 'watch'))) {
    const map = asMap(rule);
    const action = text(value(map, 'action'));
    if (!map || !action || action === 'rebuild' || action === 'restart' || entry(map, 'target')) continue;
    ctx.report(COMPOSE_CONSISTENCY, nodeSpan(rule), `This watch rule of "${svc.name}" syncs files but says nowhere to put them: compose needs a target for "${action}".`);
  }
}

/**
 * A service that extends another in another file brings that service's depends_on, links, volumes_from and
 * network_mode: the services they name must exist in this project.
 */
function checkExtendedReferences(ctx: ComposeContext, svc: ServiceNode): void {
  const ext = entry(svc.map, 'extends');
  if (!ext || svc.layers.length < 2) return;
  const own = svc.layers[0].data;
  const known = ctx.project.declared.services;
  const missing = new Set<string>();
  for (const layer of svc.layers.slice(1)) {
    const d = layer.data;
    const deps = Array.isArray(d.depends_on) ? d.depends_on.map(String) : isObject(d.depends_on) ? Object.keys(d.depends_on).filter((k) => (d.depends_on as Record<string, { required?: unknown }>)[k]?.required !== false) : [];
    const names = [
      ...deps,
      ...(Array.isArray(d.links) ? d.links.map((l) => String(l).split(':')[0]) : []),
      ...(Array.isArray(d.volumes_from) ? d.volumes_from.map(String).filter((v) => !v.startsWith('container:')).map((v) => v.replace(/^service:/, '').split(':')[0]) : []),
      ...['network_mode', 'ipc', 'pid'].flatMap((k) => (typeof d[k] === 'string' && (d[k] as string).startsWith('service:') ? [(d[k] as string).slice(8)] : [])),
    ];
    for (const n of names) if (n && !hasVariable(n) && !known.has(n) && !ownMentions(own, n)) missing.add(n);
  }
  for (const n of missing) {
    ctx.report(NO_UNDECLARED_REFERENCE, entryKeySpan(ext), `Service "${svc.name}" extends a service that depends on "${n}", which is not a service of this project, so compose will refuse to start. Define "${n}" here too, or reset the dependency (depends_on: !reset []).`, {
      data: { kind: 'services', name: n },
    });
  }
}

/** True when the extending service resets the inherited depends_on (`depends_on: !reset []` reads as empty). */
function ownMentions(own: Record<string, unknown>, _name: string): boolean {
  return own.depends_on !== undefined && !Array.isArray(own.depends_on) && !isObject(own.depends_on);
}

/** depends_on (and links, volumes_from, network_mode: service:, which imply it) may not loop. */
function checkDependencyCycles(ctx: ComposeContext): void {
  const edges = new Map<string, { to: string; span: [number, number] | undefined }[]>();
  const add = (from: string, to: string, span: [number, number] | undefined) => {
    if (!to || hasVariable(to)) return;
    if (!edges.has(from)) edges.set(from, []);
    if (!edges.get(from)!.some((e) => e.to === to)) edges.get(from)!.push({ to, span });
  };
  for (const svc of ctx.services) {
    for (const dep of dependencies(svc)) add(svc.name, dep.name, dep.span);
    for (const item of seqItems(value(svc.map, 'links'))) add(svc.name, scalarText(item)?.split(':')[0] ?? '', nodeSpan(item));
    for (const item of seqItems(value(svc.map, 'volumes_from'))) {
      const t = scalarText(item);
      if (t && !t.startsWith('container:')) add(svc.name, t.replace(/^service:/, '').split(':')[0], nodeSpan(item));
    }
    for (const key of ['network_mode', 'ipc', 'pid']) {
      const mode = entry(svc.map, key);
      const m = mode && scalarText(mode.pair.value);
      if (m?.startsWith('service:')) add(svc.name, m.slice(8), nodeSpan(mode!.pair.value));
    }
  }
  // Depth-first search; each cycle is reported once, at the edge that closes it.
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const e of edges.get(n) ?? []) {
      const s = state.get(e.to);
      if (s === 'open') {
        const cycle = [...stack.slice(stack.indexOf(e.to)), e.to];
        const key = [...cycle.slice(0, -1)].sort().join(' ');
        if (!reported.has(key)) {
          reported.add(key);
          ctx.report(COMPOSE_CONSISTENCY, e.span, `Dependency cycle: ${cycle.join(' -> ')}. Compose cannot tell which service to start first, so it refuses the file.`);
        }
      } else if (s === undefined && edges.has(e.to)) visit(e.to);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of edges.keys()) if (!state.has(n)) visit(n);
}

/** An include that leads back to this file. */
function checkIncludeCycle(ctx: ComposeContext): void {
  if (!ctx.filePath) return;
  const me = path.resolve(ctx.filePath);
  for (const item of seqItems(value(ctx.root, 'include'))) {
    const long = asMap(item);
    const pathNode = long ? value(long, 'path') : item;
    for (const p of asScalar(pathNode) ? [pathNode] : seqItems(pathNode)) {
      const file = text(p);
      if (!file || /^[a-z]+:\/\//i.test(file) || /^(oci|git)[:@]/.test(file)) continue;
      const chain = ctx.project.includeChain(path.resolve(path.dirname(me), file), me);
      if (!chain) continue;
      const shown = [me, ...chain].map((f) => path.relative(path.dirname(me), f) || path.basename(f)).join(' -> ');
      ctx.report(COMPOSE_CONSISTENCY, nodeSpan(p), `Include cycle: ${shown}. Compose refuses to load the file.`);
    }
  }
}
