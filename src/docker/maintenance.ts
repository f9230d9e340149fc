/**
 * Cleaning up, said before it is done: what `docker system prune` would remove and how much space it would free
 * (from `/system/df`), volume prune that means the same on every API version, and what keeps an image from going.
 */
import type { DockerApi } from './api';
import { filters } from './api';
import { formatBytes, shortId } from './model';

interface DfImage {
  Id: string;
  RepoTags?: string[] | null;
  Size: number;
  SharedSize: number;
  Containers: number;
}
interface DfContainer {
  Id: string;
  Names?: string[];
  ImageID?: string;
  State: string;
  SizeRw?: number;
}
interface DfBuildCache {
  ID: string;
  Size: number;
  InUse: boolean;
  Shared: boolean;
}
export interface DiskUsage {
  LayersSize?: number;
  Images?: DfImage[] | null;
  Containers?: DfContainer[] | null;
  BuildCache?: DfBuildCache[] | null;
}

export interface PrunePlan {
  containers: { name: string; bytes: number }[];
  images: { id: string; bytes: number }[];
  networks: string[];
  buildCache: { count: number; bytes: number };
  /** What removing all of it frees, about: image layers other images share stay. */
  bytes: number;
}

const BUILT_IN_NETWORKS = new Set(['bridge', 'host', 'none']);

const dangling = (i: DfImage) => !(i.RepoTags ?? []).some((t) => t && t !== '<none>:<none>');

/**
 * What `docker system prune` (without --all and --volumes) removes, in its order: stopped containers, then networks
 * no running container uses, then dangling images no running container uses, then build cache nothing uses.
 */
export function planPrune(df: DiskUsage, networks: { Id: string; Name: string; Scope?: string }[], runningNetworkIds: Set<string>): PrunePlan {
  const containers = (df.Containers ?? []).filter((c) => c.State !== 'running' && c.State !== 'paused' && c.State !== 'restarting');
  const running = new Set((df.Containers ?? []).filter((c) => !containers.includes(c)).map((c) => c.ImageID));
  const images = (df.Images ?? []).filter((i) => dangling(i) && !running.has(i.Id));
  const cache = (df.BuildCache ?? []).filter((b) => !b.InUse && !b.Shared);
  const plan: PrunePlan = {
    containers: containers.map((c) => ({ name: (c.Names?.[0] ?? shortId(c.Id)).replace(/^\//, ''), bytes: c.SizeRw ?? 0 })),
    images: images.map((i) => ({ id: i.Id, bytes: Math.max(0, i.Size - Math.max(0, i.SharedSize)) })),
    networks: networks.filter((n) => !BUILT_IN_NETWORKS.has(n.Name) && n.Scope !== 'swarm' && !runningNetworkIds.has(n.Id)).map((n) => n.Name).sort(),
    buildCache: { count: cache.length, bytes: cache.reduce((s, b) => s + b.Size, 0) },
    bytes: 0,
  };
  plan.bytes = plan.containers.reduce((s, c) => s + c.bytes, 0) + plan.images.reduce((s, i) => s + i.bytes, 0) + plan.buildCache.bytes;
  return plan;
}

export async function fetchPrunePlan(api: DockerApi): Promise<PrunePlan> {
  const [df, networks, running] = await Promise.all([
    api.get<DiskUsage>('/system/df', { timeoutMs: 60_000 }),
    api.get<{ Id: string; Name: string; Scope?: string }[]>('/networks'),
    api.get<{ NetworkSettings?: { Networks?: Record<string, { NetworkID?: string }> } }[]>('/containers/json', { query: { filters: filters({ status: ['running', 'paused', 'restarting'] }) } }),
  ]);
  const used = new Set(running.flatMap((c) => Object.values(c.NetworkSettings?.Networks ?? {}).map((n) => n.NetworkID ?? '')));
  return planPrune(df, networks, used);
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/** "2 stopped containers (12 kB), 1 unused network, 3 dangling images (40 MB) and 5 build cache records (1 MB)". */
export function describePlan(plan: PrunePlan): string {
  const parts: string[] = [];
  if (plan.containers.length) parts.push(`${plural(plan.containers.length, 'stopped container')} (${formatBytes(plan.containers.reduce((s, c) => s + c.bytes, 0))})`);
  if (plan.networks.length) parts.push(plural(plan.networks.length, 'unused network'));
  if (plan.images.length) parts.push(`${plural(plan.images.length, 'dangling image')} (${formatBytes(plan.images.reduce((s, i) => s + i.bytes, 0))})`);
  if (plan.buildCache.count) parts.push(`${plural(plan.buildCache.count, 'build cache record')} (${formatBytes(plan.buildCache.bytes)})`);
  if (!parts.length) return 'nothing';
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export interface PruneResult {
  containers: number;
  networks: number;
  images: number;
  buildCache: number;
  bytes: number;
}

/** `docker system prune`: the same four calls in the same order. */
export async function systemPrune(api: DockerApi): Promise<PruneResult> {
  const opts = { timeoutMs: 300_000 };
  const c = await api.post<{ ContainersDeleted?: string[] | null; SpaceReclaimed?: number }>('/containers/prune', opts);
  const n = await api.post<{ NetworksDeleted?: string[] | null }>('/networks/prune', opts);
  const i = await api.post<{ ImagesDeleted?: { Deleted?: string }[] | null; SpaceReclaimed?: number }>('/images/prune', { ...opts, query: { filters: filters({ dangling: ['true'] }) } });
  const b = await api.post<{ CachesDeleted?: string[] | null; SpaceReclaimed?: number }>('/build/prune', opts).catch(() => ({ CachesDeleted: [], SpaceReclaimed: 0 }));
  return {
    containers: c.ContainersDeleted?.length ?? 0,
    networks: n.NetworksDeleted?.length ?? 0,
    images: (i.ImagesDeleted ?? []).filter((x) => x.Deleted).length,
    buildCache: b.CachesDeleted?.length ?? 0,
    bytes: (c.SpaceReclaimed ?? 0) + (i.SpaceReclaimed ?? 0) + (b.SpaceReclaimed ?? 0),
  };
}

/** Compares API versions like `1.41` and `1.42`. */
export function apiAtLeast(version: string | undefined, wanted: string): boolean {
  const [a = 0, b = 0] = (version ?? '0').split('.').map(Number);
  const [x = 0, y = 0] = wanted.split('.').map(Number);
  return a > x || (a === x && b >= y);
}

/**
 * The query that prunes every volume no container uses, named and anonymous. From API 1.42 (Engine 23) the daemon
 * prunes only anonymous volumes unless asked for `all`; older daemons prune all of them and reject the filter.
 */
export function volumePruneQuery(apiVersion: string | undefined): Record<string, string> {
  return apiAtLeast(apiVersion, '1.42') ? { filters: filters({ all: ['true'] }) } : {};
}

export async function pruneVolumes(api: DockerApi, apiVersion: string | undefined): Promise<{ deleted: string[]; bytes: number }> {
  const answer = await api.post<{ VolumesDeleted?: string[] | null; SpaceReclaimed?: number }>('/volumes/prune', { query: volumePruneQuery(apiVersion), timeoutMs: 120_000 });
  return { deleted: answer.VolumesDeleted ?? [], bytes: answer.SpaceReclaimed ?? 0 };
}

export interface ImageDependents {
  /** Every tag of the image. */
  tags: string[];
  /** Containers created from it, in any state. */
  containers: { id: string; name: string; state: string }[];
  /** Local images built on top of it (the classic builder records the parent). */
  children: string[];
}

/** What depends on an image, for explaining what removing it means. */
export async function imageDependents(api: DockerApi, imageId: string): Promise<ImageDependents> {
  const [images, containers] = await Promise.all([
    api.get<{ Id: string; ParentId?: string; RepoTags?: string[] | null }[]>('/images/json', { query: { all: true } }),
    api.get<{ Id: string; Names?: string[]; ImageID?: string; State: string }[]>('/containers/json', { query: { all: true } }),
  ]);
  const self = images.find((i) => i.Id === imageId);
  const tagsOf = (i: { Id: string; RepoTags?: string[] | null }) => (i.RepoTags ?? []).filter((t) => t && t !== '<none>:<none>');
  return {
    tags: self ? tagsOf(self) : [],
    containers: containers.filter((c) => c.ImageID === imageId).map((c) => ({ id: c.Id, name: (c.Names?.[0] ?? shortId(c.Id)).replace(/^\//, ''), state: c.State })),
    children: images.filter((i) => i.ParentId === imageId).map((i) => tagsOf(i)[0] ?? shortId(i.Id)),
  };
}
