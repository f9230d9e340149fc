/**
 * Decides when a hands-on step is done from what the daemon reports, not from the learner's clicks. Fed the Engine
 * API's event messages (`/events`) and, for containers that start, their inspect data (`/containers/{id}/json`).
 * No `vscode` import: pure, and unit tested with real-shaped messages.
 *
 *   todoApp.buildRun     a container of an image named todo-app started
 *   todoApp.ephemeral    the two demo containers (con_1 and con_2) both ran
 *   todoApp.persistData  a named volume created while watching was mounted by a container
 *   todoApp.connectApp   two containers were on the same user-defined network at once
 *   todoApp.compose      two containers of one compose project (label com.docker.compose.project) started
 */

export type HandsOnKey = 'todoApp.buildRun' | 'todoApp.ephemeral' | 'todoApp.persistData' | 'todoApp.connectApp' | 'todoApp.compose';

export const HANDS_ON_KEYS: readonly HandsOnKey[] = ['todoApp.buildRun', 'todoApp.ephemeral', 'todoApp.persistData', 'todoApp.connectApp', 'todoApp.compose'];

/** One `/events` message (the fields this reads). */
export interface EventMessage {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** The fields of `/containers/{id}/json` this reads. */
export interface ContainerInspect {
  Id?: string;
  Name?: string;
  Config?: { Image?: string; Labels?: Record<string, string> | null };
  State?: { Running?: boolean };
  Mounts?: { Type?: string; Name?: string }[] | null;
  NetworkSettings?: { Networks?: Record<string, { NetworkID?: string } | null> | null };
}

export const DEMO_CONTAINERS = ['con_1', 'con_2'] as const;
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
/** Networks every daemon has; sharing them proves nothing about user-defined networking. */
const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none', 'ingress', 'docker_gwbridge']);
const NON_SHARING_DRIVERS = new Set(['host', 'null']);
/** Docker names anonymous volumes with 64 hex digits. */
const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;
/** Sets per key are capped so a daemon with thousands of objects cannot grow this without bound. */
const MAX_TRACKED = 10_000;

/** `todo-app`, `todo-app:1.0`, `you/todo-app:1.0`, `registry:5000/you/todo-app@sha256:…` */
export function isTodoAppImage(image: string | undefined): boolean {
  if (!image) return false;
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const nameAndTag = noDigest.slice(lastSlash + 1);
  return nameAndTag.split(':')[0] === 'todo-app';
}

export const isNamedVolume = (name: string | undefined): name is string => !!name && !ANONYMOUS_VOLUME.test(name);

export class HandsOnTracker {
  private readonly done = new Set<HandsOnKey>();
  private readonly demoRan = new Set<string>();
  private readonly createdVolumes = new Set<string>();
  /** network id → containers on it now */
  private readonly networkMembers = new Map<string, Set<string>>();
  /** compose project → containers that started */
  private readonly projectContainers = new Map<string, Set<string>>();

  /** Keys already reached (by this tracker). */
  get completed(): ReadonlySet<HandsOnKey> {
    return this.done;
  }

  /** Takes one event message; returns the keys it completed. Messages of any other shape are ignored. */
  feedEvent(e: EventMessage): HandsOnKey[] {
    if (!e || typeof e !== 'object') return [];
    const type = e.Type;
    const action = typeof e.Action === 'string' ? e.Action.split(':')[0] : '';
    const id = e.Actor?.ID;
    const attrs = e.Actor?.Attributes ?? {};
    if (typeof id !== 'string' || !id) return [];
    const out: HandsOnKey[] = [];
    if (type === 'container' && action === 'start') {
      this.containerStarted(id, attrs.name, attrs.image, attrs[COMPOSE_PROJECT_LABEL], out);
    } else if (type === 'volume' && action === 'create') {
      if (isNamedVolume(id)) this.add(this.createdVolumes, id);
    } else if (type === 'volume' && action === 'mount') {
      if (this.createdVolumes.has(id) && attrs.container) this.reach('todoApp.persistData', out);
    } else if (type === 'network' && (action === 'connect' || action === 'disconnect')) {
      const container = attrs.container;
      if (!container || !isUserNetwork(attrs.name, attrs.type)) return out;
      if (action === 'connect') this.joinNetwork(id, container, out);
      else this.networkMembers.get(id)?.delete(container);
    } else if (type === 'network' && action === 'destroy') {
      this.networkMembers.delete(id);
    } else if (type === 'container' && action === 'destroy') {
      for (const members of this.networkMembers.values()) members.delete(id);
    }
    return out;
  }

  /** Takes a started container's inspect data: the same facts, for when an event lacked them. */
  feedContainer(c: ContainerInspect): HandsOnKey[] {
    if (!c || typeof c !== 'object' || typeof c.Id !== 'string' || !c.Id) return [];
    const out: HandsOnKey[] = [];
    const name = typeof c.Name === 'string' ? c.Name.replace(/^\//, '') : undefined;
    const labels = c.Config?.Labels ?? {};
    this.containerStarted(c.Id, name, c.Config?.Image, labels[COMPOSE_PROJECT_LABEL], out);
    for (const m of c.Mounts ?? []) {
      if (m?.Type === 'volume' && m.Name && this.createdVolumes.has(m.Name)) this.reach('todoApp.persistData', out);
    }
    if (c.State?.Running !== false) {
      for (const [netName, net] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
        if (net?.NetworkID && isUserNetwork(netName, undefined)) this.joinNetwork(net.NetworkID, c.Id, out);
      }
    }
    return out;
  }

  private containerStarted(id: string, name: string | undefined, image: string | undefined, project: string | undefined, out: HandsOnKey[]): void {
    if (isTodoAppImage(image)) this.reach('todoApp.buildRun', out);
    if (name && (DEMO_CONTAINERS as readonly string[]).includes(name)) {
      this.demoRan.add(name);
      if (DEMO_CONTAINERS.every((n) => this.demoRan.has(n))) this.reach('todoApp.ephemeral', out);
    }
    if (project) {
      const set = this.projectContainers.get(project) ?? new Set<string>();
      this.add(set, id);
      if (this.projectContainers.size < MAX_TRACKED) this.projectContainers.set(project, set);
      if (set.size >= 2) this.reach('todoApp.compose', out);
    }
  }

  private joinNetwork(networkId: string, container: string, out: HandsOnKey[]): void {
    const members = this.networkMembers.get(networkId) ?? new Set<string>();
    this.add(members, container);
    if (this.networkMembers.size < MAX_TRACKED) this.networkMembers.set(networkId, members);
    if (members.size >= 2) this.reach('todoApp.connectApp', out);
  }

  private add(set: Set<string>, value: string): void {
    if (set.size < MAX_TRACKED) set.add(value);
  }

  private reach(key: HandsOnKey, out: HandsOnKey[]): void {
    if (this.done.has(key)) return;
    this.done.add(key);
    out.push(key);
  }
}

function isUserNetwork(name: string | undefined, driver: string | undefined): boolean {
  if (name !== undefined && BUILTIN_NETWORKS.has(name)) return false;
  if (driver !== undefined && NON_SHARING_DRIVERS.has(driver)) return false;
  return true;
}
