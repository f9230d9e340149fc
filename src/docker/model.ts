/**
 * What the explorer shows, computed from Engine API answers: images grouped by repository, an image's layers (base
 * first, with the instruction that made each, empty layers and layers shared with other images), containers running
 * first, volumes with their users, networks with their containers. Reading is split from shaping so the shaping is
 * plain functions over JSON.
 */
import { createHash } from 'node:crypto';
import { DockerApi } from './api';

// ---- Engine API shapes (only the fields used) ----

export interface ApiImageSummary {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created: number;
  Size: number;
  Labels?: Record<string, string> | null;
}

export interface ApiHistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags?: string[] | null;
  Size: number;
  Comment?: string;
}

export interface ApiImageInspect {
  Id: string;
  RepoTags?: string[] | null;
  RootFS?: { Type: string; Layers?: string[] };
  Created?: string;
  Size?: number;
}

export interface ApiPort {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

export interface ApiMount {
  Type: string;
  Name?: string;
  Source?: string;
  Destination: string;
  RW?: boolean;
}

export interface ApiContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command?: string;
  Created: number;
  State: string;
  Status: string;
  Ports?: ApiPort[];
  Labels?: Record<string, string> | null;
  Mounts?: ApiMount[];
  NetworkSettings?: { Networks?: Record<string, { NetworkID?: string; IPAddress?: string; GlobalIPv6Address?: string; MacAddress?: string }> };
  HostConfig?: { NetworkMode?: string };
}

export interface ApiVolume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Labels?: Record<string, string> | null;
  Scope?: string;
}

export interface ApiNetwork {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Internal: boolean;
  Created?: string;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null };
  Labels?: Record<string, string> | null;
}

// ---- Images ----

export interface ImageTag {
  /** `repo:tag`, or the short ID for a dangling image. */
  ref: string;
  repository: string;
  tag: string;
  id: string;
  size: number;
  created: number;
}

export interface ImageGroup {
  repository: string;
  tags: ImageTag[];
}

export interface ImageListing {
  groups: ImageGroup[];
  dangling: ImageTag[];
}

export const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** Splits `host:5000/team/app:1.2` into repository and tag (the last colon after the last slash). */
export function splitRef(ref: string): { repository: string; tag: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: ref, tag: 'latest' };
}

export function groupImages(images: ApiImageSummary[]): ImageListing {
  const byRepo = new Map<string, ImageTag[]>();
  const dangling: ImageTag[] = [];
  for (const img of images) {
    const tags = (img.RepoTags ?? []).filter((t) => t && t !== '<none>:<none>');
    if (!tags.length) {
      dangling.push({ ref: shortId(img.Id), repository: '<none>', tag: '<none>', id: img.Id, size: img.Size, created: img.Created });
      continue;
    }
    for (const ref of tags) {
      const { repository, tag } = splitRef(ref);
      const list = byRepo.get(repository) ?? [];
      list.push({ ref, repository, tag, id: img.Id, size: img.Size, created: img.Created });
      byRepo.set(repository, list);
    }
  }
  const groups = [...byRepo.entries()]
    .map(([repository, tags]) => ({ repository, tags: tags.sort((a, b) => b.created - a.created || a.tag.localeCompare(b.tag, undefined, { numeric: true })) }))
    .sort((a, b) => a.repository.localeCompare(b.repository));
  dangling.sort((a, b) => b.created - a.created);
  return { groups, dangling };
}

export async function fetchImages(api: DockerApi, signal?: AbortSignal): Promise<ImageListing> {
  return groupImages(await api.get<ApiImageSummary[]>('/images/json', { signal }));
}

// ---- Layers ----

export interface Layer {
  /** Position, 0 = base. */
  index: number;
  /** The instruction, shortened for a label (`RUN apt-get install …`). */
  instruction: string;
  /** The full text the daemon recorded. */
  createdBy: string;
  size: number;
  created: number;
  comment?: string;
  /** A metadata-only step (ENV, CMD, LABEL…): no filesystem layer. */
  empty: boolean;
  /** The layer's diff ID, when it has one. */
  diffId?: string;
  /** Other local images (their refs or short IDs) that contain this layer with the same layers below it. */
  sharedWith: string[];
}

const METADATA_STEP = /^(ENV|LABEL|CMD|ENTRYPOINT|EXPOSE|USER|ARG|HEALTHCHECK|STOPSIGNAL|SHELL|VOLUME|ONBUILD|MAINTAINER)\b/i;

/** `/bin/sh -c #(nop)  ENV A=b` → `ENV A=b`; `/bin/sh -c apt-get …` → `RUN apt-get …`; buildkit's ` # buildkit` dropped. */
export function instructionOf(createdBy: string): string {
  let s = (createdBy ?? '').trim();
  const nop = /^\/bin\/sh -c #\(nop\)\s*/.exec(s);
  if (nop) s = s.slice(nop[0].length);
  else if (s.startsWith('/bin/sh -c ')) s = 'RUN ' + s.slice('/bin/sh -c '.length);
  else if (/^cmd \/S \/C /i.test(s)) s = 'RUN ' + s.slice(10);
  // BuildKit records `RUN |2 A=1 B=2 /bin/sh -c cmd # buildkit`: keep only the command.
  s = s.replace(/\s*# buildkit$/, '').replace(/^RUN (?:\|\d+ (?:\S+=\S* )*)?\/bin\/sh -c /, 'RUN ');
  return s.replace(/\s+/g, ' ').trim() || '(unknown step)';
}

export function shorten(s: string, max = 60): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

/**
 * Pairs history steps (newest first, as the API returns them) with RootFS layer digests. The history API does not
 * say which steps were metadata-only, so: steps with bytes are layers; when more layers remain, zero-byte steps that
 * are not metadata instructions (RUN, COPY, WORKDIR…) take them, base first.
 */
export function pairLayers(historyNewestFirst: ApiHistoryEntry[], diffIds: string[]): Omit<Layer, 'sharedWith'>[] {
  const steps = [...historyNewestFirst].reverse();
  const isLayer = steps.map((h) => h.Size > 0);
  let missing = diffIds.length - isLayer.filter(Boolean).length;
  if (missing > 0) {
    for (let i = 0; i < steps.length && missing > 0; i++) {
      if (!isLayer[i] && !METADATA_STEP.test(instructionOf(steps[i].CreatedBy))) {
        isLayer[i] = true;
        missing--;
      }
    }
    for (let i = 0; i < steps.length && missing > 0; i++) {
      if (!isLayer[i]) {
        isLayer[i] = true;
        missing--;
      }
    }
  }
  let next = 0;
  return steps.map((h, index) => {
    const layer = isLayer[index] && next < diffIds.length ? diffIds[next++] : undefined;
    return {
      index,
      // `docker import` records no command, only a comment ("Imported from -").
      instruction: !h.CreatedBy?.trim() && h.Comment ? h.Comment : instructionOf(h.CreatedBy),
      createdBy: h.CreatedBy ?? '',
      size: h.Size,
      created: h.Created,
      comment: h.Comment || undefined,
      empty: !layer,
      diffId: layer,
    };
  });
}

/** Chain IDs identify a layer together with everything below it, as the daemon's layer store does. */
export function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) out.push(out.length ? 'sha256:' + createHash('sha256').update(`${out[out.length - 1]} ${d}`).digest('hex') : d);
  return out;
}

/**
 * Layer digests of local images, by image ID. Image IDs are content addresses, so an entry never goes stale: only
 * images not seen before are inspected, when someone expands an image.
 */
export class LayerIndex {
  private readonly byImage = new Map<string, { chains: string[]; refs: string[] }>();

  has(id: string): boolean {
    return this.byImage.has(id);
  }

  set(id: string, diffIds: string[], refs: string[]): void {
    this.byImage.set(id, { chains: chainIds(diffIds), refs });
  }

  /** Keeps only the given image IDs (and updates their refs). */
  retain(images: { id: string; refs: string[] }[]): void {
    const keep = new Map(images.map((i) => [i.id, i.refs]));
    for (const [id, entry] of this.byImage) {
      const refs = keep.get(id);
      if (!refs) this.byImage.delete(id);
      else entry.refs = refs;
    }
  }

  /** For each chain ID of `imageId`, the refs of other images that share it. */
  sharedWith(imageId: string, chains: string[]): string[][] {
    return chains.map((c) => {
      const refs: string[] = [];
      for (const [id, entry] of this.byImage) if (id !== imageId && entry.chains.includes(c)) refs.push(...(entry.refs.length ? entry.refs : [shortId(id)]));
      return refs;
    });
  }
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function mapLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}

/**
 * An image's layers, base first. Costs two calls for the image, plus one per local image the index has not seen
 * (to tell which layers are shared); `allImages` is the current image listing.
 */
export async function fetchLayers(api: DockerApi, imageId: string, allImages: { id: string; refs: string[] }[], index: LayerIndex, signal?: AbortSignal): Promise<Layer[]> {
  const id = encodeURIComponent(imageId);
  const [history, inspect] = await Promise.all([
    api.get<ApiHistoryEntry[]>(`/images/${id}/history`, { signal }),
    api.get<ApiImageInspect>(`/images/${id}/json`, { signal }),
  ]);
  const diffIds = inspect.RootFS?.Layers ?? [];
  index.set(inspect.Id, diffIds, inspect.RepoTags?.filter((t) => t !== '<none>:<none>') ?? []);
  index.retain([...allImages, ...(allImages.some((i) => i.id === inspect.Id) ? [] : [{ id: inspect.Id, refs: inspect.RepoTags ?? [] }])]);
  const unseen = allImages.filter((i) => !index.has(i.id));
  await mapLimit(unseen, 4, async (img) => {
    try {
      const other = await api.get<ApiImageInspect>(`/images/${encodeURIComponent(img.id)}/json`, { signal });
      index.set(img.id, other.RootFS?.Layers ?? [], img.refs);
    } catch {
      /* removed meanwhile: it shares nothing */
    }
  });
  const layers = pairLayers(history, diffIds);
  const chains = chainIds(diffIds);
  const shared = index.sharedWith(inspect.Id, chains);
  let n = 0;
  return layers.map((l) => ({ ...l, sharedWith: l.diffId ? shared[n++] ?? [] : [] }));
}

/** Each image ID once, with all its refs. */
export function imageRefs(listing: ImageListing): { id: string; refs: string[] }[] {
  const map = new Map<string, string[]>();
  for (const g of listing.groups) for (const t of g.tags) map.set(t.id, [...(map.get(t.id) ?? []), t.ref]);
  for (const t of listing.dangling) if (!map.has(t.id)) map.set(t.id, []);
  return [...map.entries()].map(([id, refs]) => ({ id, refs }));
}

// ---- Containers ----

export interface ContainerItem {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  running: boolean;
  created: number;
  ports: string[];
  mounts: { type: string; name?: string; source?: string; destination: string; rw: boolean }[];
  networks: { name: string; networkId?: string; ipAddress?: string }[];
  /** Published ports, as the daemon lists them (one per address family). */
  published: PublishedPort[];
  /** From the labels `docker compose` puts on the containers it creates. */
  compose?: ComposeLabels;
}

export interface ComposeLabels {
  project: string;
  service?: string;
  workingDir?: string;
  /** The compose files the project was started from, as compose recorded them. */
  configFiles: string[];
}

export function composeLabels(labels: Record<string, string> | null | undefined): ComposeLabels | undefined {
  const project = labels?.['com.docker.compose.project'];
  if (!project) return undefined;
  const files = labels['com.docker.compose.project.config_files'];
  return {
    project,
    service: labels['com.docker.compose.service'] || undefined,
    workingDir: labels['com.docker.compose.project.working_dir'] || undefined,
    configFiles: files ? files.split(',').map((f) => f.trim()).filter(Boolean) : [],
  };
}

export function formatPort(p: ApiPort): string {
  if (p.PublicPort) return `${p.IP && p.IP !== '0.0.0.0' && p.IP !== '::' ? p.IP + ':' : ''}${p.PublicPort}→${p.PrivatePort}/${p.Type}`;
  return `${p.PrivatePort}/${p.Type}`;
}

export interface PublishedPort {
  ip?: string;
  hostPort: number;
  containerPort: number;
  protocol: string;
}

/**
 * One entry per reachable address: the daemon reports a port published on every address twice, once for 0.0.0.0 and
 * once for `::`, which are the same `localhost:PORT` to whoever opens it.
 */
export function uniquePublished(ports: PublishedPort[]): PublishedPort[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const any = !p.ip || p.ip === '0.0.0.0' || p.ip === '::';
    const key = `${any ? '*' : p.ip}:${p.hostPort}/${p.protocol}>${p.containerPort}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const STATE_ORDER: Record<string, number> = { running: 0, restarting: 1, paused: 2, created: 3, exited: 4, dead: 5 };

export function shapeContainers(list: ApiContainerSummary[]): ContainerItem[] {
  return list
    .map((c): ContainerItem => {
      const ports = [...new Set((c.Ports ?? []).map(formatPort))];
      return {
        id: c.Id,
        name: (c.Names?.[0] ?? shortId(c.Id)).replace(/^\//, ''),
        image: c.Image,
        state: c.State,
        status: c.Status,
        running: c.State === 'running',
        created: c.Created,
        ports,
        mounts: (c.Mounts ?? []).map((m) => ({ type: m.Type, name: m.Name, source: m.Source, destination: m.Destination, rw: m.RW !== false })),
        networks: Object.entries(c.NetworkSettings?.Networks ?? {}).map(([name, n]) => ({ name, networkId: n.NetworkID, ipAddress: n.IPAddress || undefined })),
        published: uniquePublished((c.Ports ?? []).filter((p) => p.PublicPort).map((p) => ({ ip: p.IP || undefined, hostPort: p.PublicPort!, containerPort: p.PrivatePort, protocol: p.Type }))),
        compose: composeLabels(c.Labels),
      };
    })
    .sort((a, b) => (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) || b.created - a.created || a.name.localeCompare(b.name));
}

export async function fetchContainers(api: DockerApi, signal?: AbortSignal): Promise<ApiContainerSummary[]> {
  return api.get<ApiContainerSummary[]>('/containers/json', { query: { all: true }, signal });
}

// ---- Volumes ----

export interface VolumeItem {
  name: string;
  driver: string;
  mountpoint: string;
  created?: string;
  /** Names of the containers (running or not) that mount it. */
  usedBy: string[];
  dangling: boolean;
}

export function shapeVolumes(volumes: ApiVolume[], containers: ContainerItem[]): VolumeItem[] {
  const users = new Map<string, string[]>();
  for (const c of containers) for (const m of c.mounts) if (m.type === 'volume' && m.name) users.set(m.name, [...(users.get(m.name) ?? []), c.name]);
  return volumes
    .map((v) => {
      const usedBy = users.get(v.Name) ?? [];
      return { name: v.Name, driver: v.Driver, mountpoint: v.Mountpoint, created: v.CreatedAt, usedBy, dangling: usedBy.length === 0 };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function fetchVolumes(api: DockerApi, signal?: AbortSignal): Promise<ApiVolume[]> {
  const answer = await api.get<{ Volumes?: ApiVolume[] | null }>('/volumes', { signal });
  return answer.Volumes ?? [];
}

// ---- Networks ----

export interface NetworkItem {
  id: string;
  name: string;
  driver: string;
  scope: string;
  internal: boolean;
  subnets: string[];
  /** One of Docker's own networks (bridge, host, none). */
  builtIn: boolean;
  containers: { id: string; name: string; ipAddress?: string }[];
}

export function shapeNetworks(networks: ApiNetwork[], containers: ContainerItem[]): NetworkItem[] {
  return networks
    .map((n) => {
      const members = containers
        .flatMap((c) => c.networks.filter((cn) => cn.networkId === n.Id || (!cn.networkId && cn.name === n.Name)).map((cn) => ({ id: c.id, name: c.name, ipAddress: cn.ipAddress })))
        .sort((a, b) => a.name.localeCompare(b.name));
      return {
        id: n.Id,
        name: n.Name,
        driver: n.Driver,
        scope: n.Scope,
        internal: !!n.Internal,
        subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => !!s),
        builtIn: ['bridge', 'host', 'none'].includes(n.Name),
        containers: members,
      };
    })
    .sort((a, b) => Number(a.builtIn) - Number(b.builtIn) || a.name.localeCompare(b.name));
}

export async function fetchNetworks(api: DockerApi, signal?: AbortSignal): Promise<ApiNetwork[]> {
  return api.get<ApiNetwork[]>('/networks', { signal });
}

// ---- Image references and port specs ----

/** `8080:80, 443/tcp, 53:53/udp` → port bindings; undefined when any part is not a port spec. */
export function parsePorts(text: string): { host?: number; container: number; protocol: 'tcp' | 'udp' }[] | undefined {
  const out: { host?: number; container: number; protocol: 'tcp' | 'udp' }[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(?:(\d{1,5}):)?(\d{1,5})(?:\/(tcp|udp))?$/.exec(part);
    if (!m) return undefined;
    const host = m[1] ? Number(m[1]) : undefined;
    const container = Number(m[2]);
    if ((host !== undefined && (host < 1 || host > 65535)) || container < 1 || container > 65535) return undefined;
    out.push({ host, container, protocol: (m[3] as 'tcp' | 'udp') ?? 'tcp' });
  }
  return out;
}

/** `[host[:port]/]path[:tag]` as Docker accepts it (no digest here). */
export function isReference(ref: string): boolean {
  return /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?$/.test(ref) && ref.length <= 255;
}

// ---- Formatting ----

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < units.length - 1);
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** "3 minutes ago" from a Unix time in seconds. */
export function formatAge(unixSeconds: number, now = Date.now()): string {
  const s = Math.max(0, Math.round(now / 1000 - unixSeconds));
  const steps: [number, string][] = [[60, 'second'], [60, 'minute'], [24, 'hour'], [30, 'day'], [12, 'month'], [Infinity, 'year']];
  let v = s;
  for (const [size, unit] of steps) {
    if (v < size) return `${v} ${unit}${v === 1 ? '' : 's'} ago`;
    v = Math.floor(v / size);
  }
  return `${v} years ago`;
}
