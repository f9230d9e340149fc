/** What a service needs before it runs unattended: a healthcheck, a restart policy, limits, and ordered start-up. */
import type { ComposeCheck, ComposeContext, ServiceNode } from '../context';
import { builtImageHasHealthcheck } from '../dockerfileHealthcheck';
import { isObject, ServiceLayer } from '../project';
import { withDefaults } from '../variables';
import { asMap, entries, entryKeySpan, nodeSpan, scalarText, seqItems, value } from '../yamlNodes';
import { DEPENDS_ON_HEALTHY, REQUIRE_HEALTHCHECK, REQUIRE_RESOURCE_LIMITS, REQUIRE_RESTART_POLICY } from './meta';

const has = (layers: ServiceLayer[], pick: (d: Record<string, unknown>) => unknown) => layers.some((l) => pick(l.data) !== undefined);
const path = (d: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), d);

/** A service that compose does not run as a container of its own (a provider such as a model runner). */
const isProvider = (svc: ServiceNode) => has(svc.layers, (d) => d.provider);

/**
 * Whether a service has a healthcheck compose can wait for: its own (not disabled), or a HEALTHCHECK in the
 * Dockerfile it builds. undefined when only the image could tell.
 */
function healthcheckOf(ctx: ComposeContext, layers: ServiceLayer[]): 'compose' | 'dockerfile' | 'disabled' | undefined {
  for (const l of layers) {
    const hc = l.data.healthcheck;
    if (hc === undefined) continue;
    if (isObject(hc) && (hc.disable === true || String(hc.disable) === 'true' || (Array.isArray(hc.test) && hc.test[0] === 'NONE'))) return 'disabled';
    return 'compose';
  }
  for (const l of layers) {
    if (l.data.build === undefined) continue;
    return builtImageHasHealthcheck(l.data.build, l.dir, ctx.host) ? 'dockerfile' : undefined;
  }
  return undefined;
}

/** Services another one waits for with service_completed_successfully: jobs that run once and exit (migrations, setup). */
function oneShotJobs(ctx: ComposeContext): Set<string> {
  const out = new Set<string>();
  for (const svc of ctx.services) for (const d of dependencies(svc)) if (d.condition === 'service_completed_successfully') out.add(d.name);
  return out;
}

export const checkHealthchecks: ComposeCheck = (ctx) => {
  if (!ctx.dataAvailable) return;
  const jobs = oneShotJobs(ctx);
  for (const svc of ctx.services) {
    if (isProvider(svc) || jobs.has(svc.name) || healthcheckOf(ctx, svc.layers)) continue;
    ctx.report(REQUIRE_HEALTHCHECK, svc.keySpan, `Service "${svc.name}" has no healthcheck, so Docker only knows that its process is running, not that it answers. Add one (healthcheck: test: ["CMD", ...]) so restarts and depends_on: condition: service_healthy can rely on it, unless its image already declares a HEALTHCHECK.`);
  }
};

export const checkRestartPolicies: ComposeCheck = (ctx) => {
  if (!ctx.dataAvailable) return;
  const jobs = oneShotJobs(ctx);
  for (const svc of ctx.services) {
    if (isProvider(svc) || jobs.has(svc.name) || has(svc.layers, (d) => d.restart ?? path(d, 'deploy', 'restart_policy'))) continue;
    ctx.report(REQUIRE_RESTART_POLICY, svc.keySpan, `Service "${svc.name}" has no restart policy, so if it crashes or the host reboots it stays down. Add restart: unless-stopped (or on-failure for jobs; "no" if it should never come back).`);
  }
};

export const checkResourceLimits: ComposeCheck = (ctx) => {
  if (!ctx.dataAvailable) return;
  for (const svc of ctx.services) {
    if (isProvider(svc)) continue;
    const memory = has(svc.layers, (d) => d.mem_limit ?? path(d, 'deploy', 'resources', 'limits', 'memory'));
    const cpu = has(svc.layers, (d) => d.cpus ?? d.cpu_quota ?? path(d, 'deploy', 'resources', 'limits', 'cpus'));
    if (memory && cpu) continue;
    const missing = !memory && !cpu ? 'memory or CPU limit' : !memory ? 'memory limit' : 'CPU limit';
    ctx.report(REQUIRE_RESOURCE_LIMITS, svc.keySpan, `Service "${svc.name}" has no ${missing}: a leak or a busy loop can starve every other service on the host. Set deploy: resources: limits: (memory: 512M, cpus: "1.0") to what it needs.`);
  }
};

/** `depends_on` entries, short (`- db`) and long (`db: {condition: ...}`) syntax, with their condition. */
interface Dependency {
  name: string;
  span: [number, number] | undefined;
  condition: string | undefined;
  /** `required: false`: compose only warns when the dependency is missing. */
  optional: boolean;
}

function dependencies(svc: ServiceNode): Dependency[] {
  const node = value(svc.map, 'depends_on');
  const out: Dependency[] = [];
  for (const item of seqItems(node)) {
    const name = scalarText(item);
    if (name) out.push({ name, span: nodeSpan(item), condition: undefined, optional: false });
  }
  for (const e of entries(asMap(node))) {
    const long = asMap(e.pair.value);
    const cond = scalarText(value(long, 'condition'));
    const optional = scalarText(value(long, 'required')) === 'false';
    out.push({ name: e.key, span: entryKeySpan(e), condition: cond === undefined ? undefined : withDefaults(cond), optional });
  }
  return out;
}

export const checkDependsOnHealthy: ComposeCheck = (ctx) => {
  if (!ctx.dataAvailable) return;
  const known = new Map<string, ReturnType<typeof healthcheckOf>>();
  const healthOf = (name: string) => {
    if (!known.has(name)) known.set(name, healthcheckOf(ctx, ctx.project.layers(name)));
    return known.get(name);
  };
  for (const svc of ctx.services) {
    for (const dep of dependencies(svc)) {
      // Any condition written out is a choice (service_started included): only the implicit default is reported.
      if (dep.condition !== undefined) continue;
      const hc = healthOf(dep.name);
      if (hc !== 'compose' && hc !== 'dockerfile') continue;
      ctx.report(DEPENDS_ON_HEALTHY, dep.span, `"${svc.name}" starts as soon as "${dep.name}"'s container starts, before it is ready, although "${dep.name}" has a healthcheck. Wait for it: depends_on: ${dep.name}: condition: service_healthy.`, {
        data: { dependency: dep.name },
      });
    }
  }
};

export { dependencies };
