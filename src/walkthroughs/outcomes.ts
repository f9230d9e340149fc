/**
 * Whether a hands-on step's outcome holds, decided from what the daemon shows (daemonFacts.ts gathers it through the
 * Engine API) and from what the learner's app says about itself. Events only make the course look again; a step
 * ticks when the outcome is there, never because a container started. When an attempt went wrong, the outcome says
 * what happened and what to try. No `vscode` import: pure, and unit tested with facts shaped like the daemon's.
 *
 *   imageRuns        an image of the todo app exists, a container of it runs and the app answers (healthy, or /health 2xx)
 *   imagePushed      a registry container runs, and the todo app's image was pushed to it (the daemon records the
 *                    digest the registry gave it)
 *   ephemeralDemo    con_1 created greeting.txt and exited 0; con_2 then failed to find it
 *   volumePersists   the app runs with a named volume over the folder of its SQLite file and still lists an item
 *                    created before this container was
 *   bindMountFile    myfile.txt is in a running container's bind-mounted folder and in that folder on the host
 *   appReachesMysql  the app reports its MySQL answers, at a container name reachable over a user-defined network
 *   composeHealthy   every service of a compose project runs, healthy where it has a healthcheck, and the app's
 *                    database answers
 */
import * as posixPath from 'node:path/posix';

export type OutcomeId = 'imageRuns' | 'imagePushed' | 'ephemeralDemo' | 'volumePersists' | 'bindMountFile' | 'appReachesMysql' | 'composeHealthy';

export const OUTCOME_IDS: readonly OutcomeId[] = ['imageRuns', 'imagePushed', 'ephemeralDemo', 'volumePersists', 'bindMountFile', 'appReachesMysql', 'composeHealthy'];

/**
 * done: the outcome holds. pending: nothing of it yet. waiting: under way (an app still starting), look again soon.
 * problem: the attempt went wrong; `summary` says what, `hint` what to try.
 */
export type OutcomeState = 'done' | 'pending' | 'waiting' | 'problem';

export interface Outcome {
  state: OutcomeState;
  summary: string;
  hint?: string;
  /** The container the outcome is about, by name. */
  container?: string;
  /** Its last log lines, where they explain a problem. */
  logTail?: string[];
  /** Identifies this problem so it is reported once (container id + what went wrong). */
  signature?: string;
  /** When the problem happened (ms), so problems older than the watching are not announced. */
  at?: number;
}

/** What the app's own routes said, through a probe run inside its container. */
export interface AppReport {
  /** Whether /health gave an HTTP answer at all. */
  answered: boolean;
  status?: number;
  app?: string;
  /** `serverHostname`: the host name of the MySQL server it reached (a container's is its short id). */
  db?: { type?: string; ok?: boolean; host?: string; file?: string; error?: string; serverHostname?: string };
  itemCount?: number;
  /** Creation time (ms) of its oldest item. */
  oldestItem?: number;
  /** Why there was no answer (connection refused, no node in the image…). */
  error?: string;
}

export interface MountFact {
  type: string;
  /** Volume name (volumes only). */
  name?: string;
  source: string;
  destination: string;
}

export interface NetworkAttachment {
  name: string;
  id: string;
  /** Names other containers on this network can use: the container's name, aliases, compose service. */
  aliases: string[];
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerFact {
  id: string;
  /** Without the leading slash. */
  name: string;
  /** The image as the container was created with it (`todo-app:1.0`). */
  image: string;
  imageId: string;
  /** ms */
  created: number;
  status: ContainerStatus;
  exitCode?: number;
  /** The daemon's error when starting failed (a port in use, a missing mount source…). */
  error?: string;
  oomKilled?: boolean;
  /** ms; absent when never */
  startedAt?: number;
  finishedAt?: number;
  health?: { status: string; failingStreak: number; lastOutput?: string };
  labels: Record<string, string>;
  mounts: MountFact[];
  networks: NetworkAttachment[];
  /** Looks like an app container (so it is probed and its failures reported). */
  appLike: boolean;
  /** Its host name (Config.Hostname: the short id unless set). */
  hostname?: string;
  report?: AppReport;
  /** For the bind-mount step: myfile.txt as the container and the host see it, per mount destination or `/src`. */
  files?: FileSighting[];
  logTail?: string[];
}

export interface FileSighting {
  /** Path inside the container. */
  path: string;
  inContainer: boolean;
  /** Set for bind mounts: whether the host folder has it (undefined when that folder is not visible from here). */
  onHost?: boolean;
  hostPath?: string;
  mountType?: string;
}

/** One exit of a demo container (from a `die` event, or from the container when it was not removed). */
export interface DemoRun {
  name: string;
  exitCode: number;
  /** ms */
  time: number;
}

export interface ImageFact {
  id: string;
  tags: string[];
  /** `registry/name@sha256:…`: where the image was pushed to (or pulled from). */
  digests?: string[];
}

export interface DaemonFacts {
  images: ImageFact[];
  containers: ContainerFact[];
  demoRuns: DemoRun[];
}

export const DEMO_CONTAINERS = ['con_1', 'con_2'] as const;
export const DEMO_FILE = 'greeting.txt';
export const BIND_FILE = 'myfile.txt';
/** Where the agenda mounts the app folder. */
export const BIND_DESTINATION = '/src';
/** Where the app keeps its SQLite file unless it says otherwise. */
export const DEFAULT_SQLITE_FILE = '/etc/todos/todo.db';
export const COMPOSE_PROJECT = 'com.docker.compose.project';
export const COMPOSE_SERVICE = 'com.docker.compose.service';
const COMPOSE_ONEOFF = 'com.docker.compose.oneoff';
const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none', 'ingress', 'docker_gwbridge']);
/** Docker names anonymous volumes with 64 hex digits. */
const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;

/** `todo-app`, `todo-app:1.0`, `you/todo-app:1.0`, `localhost:5000/todo-app@sha256:…` */
export function isTodoAppImage(image: string | undefined): boolean {
  if (!image) return false;
  const noDigest = image.split('@')[0];
  const nameAndTag = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return nameAndTag.split(':')[0] === 'todo-app';
}

export const isNamedVolume = (name: string | undefined): name is string => !!name && !ANONYMOUS_VOLUME.test(name);
export const isUserNetwork = (name: string): boolean => !BUILTIN_NETWORKS.has(name);

const isRunning = (c: ContainerFact) => c.status === 'running';
const newestFirst = (a: ContainerFact, b: ContainerFact) => b.created - a.created;
const isOneOff = (c: ContainerFact) => (c.labels[COMPOSE_ONEOFF] ?? '').toLowerCase() === 'true';

/** The app answered its health route with a 2xx. */
const appAnswers = (c: ContainerFact) => !!c.report?.answered && c.report.status !== undefined && c.report.status >= 200 && c.report.status < 300;
/** The container is the todo app: by its image's name, or by what its app calls itself. */
function isTodoApp(c: ContainerFact, appImageIds: ReadonlySet<string>): boolean {
  return isTodoAppImage(c.image) || appImageIds.has(c.imageId) || c.report?.app === 'todo-app';
}

function todoAppImageIds(facts: DaemonFacts): Set<string> {
  return new Set(facts.images.filter((i) => i.tags.some(isTodoAppImage)).map((i) => i.id));
}

export function evaluate(id: OutcomeId, facts: DaemonFacts): Outcome {
  switch (id) {
    case 'imageRuns':
      return imageRuns(facts);
    case 'imagePushed':
      return imagePushed(facts);
    case 'ephemeralDemo':
      return ephemeralDemo(facts.demoRuns);
    case 'volumePersists':
      return volumePersists(facts);
    case 'bindMountFile':
      return bindMountFile(facts);
    case 'appReachesMysql':
      return appReachesMysql(facts);
    case 'composeHealthy':
      return composeHealthy(facts);
  }
}

// ---------------------------------------------------------------------------------------------------------------

function imageRuns(facts: DaemonFacts): Outcome {
  const imageIds = todoAppImageIds(facts);
  const apps = facts.containers.filter((c) => isTodoApp(c, imageIds)).sort(newestFirst);
  const running = apps.filter(isRunning);
  const answering = running.find((c) => (c.health ? c.health.status === 'healthy' : appAnswers(c)));
  if (answering) {
    const how = answering.health ? 'its HEALTHCHECK reports healthy' : 'its app answers on /health';
    return { state: 'done', summary: `${answering.name} runs ${answering.image} and ${how}.`, container: answering.name };
  }
  const unhealthy = running.find((c) => c.health?.status === 'unhealthy');
  if (unhealthy) return unhealthyProblem(unhealthy);
  const starting = running[0];
  if (starting) {
    const why = starting.report?.error ? ` (${starting.report.error})` : starting.report?.status ? ` (/health answered ${starting.report.status})` : '';
    return { state: 'waiting', summary: `${starting.name} is running; waiting for its app to answer${why}.`, container: starting.name };
  }
  const last = apps[0];
  if (last) return stoppedProblem(last, 'todo app');
  const tag = facts.images.flatMap((i) => i.tags).find(isTodoAppImage);
  if (tag) return { state: 'pending', summary: `The image ${tag} is built; now run a container of it.` };
  return { state: 'pending', summary: 'No todo-app image yet: build it from the sample folder.' };
}

/** `localhost:5000/todo-app@sha256:…` → `localhost:5000`; undefined for Docker Hub references. */
function registryOf(ref: string): string | undefined {
  const first = ref.split('/')[0];
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : undefined;
}

function imagePushed(facts: DaemonFacts): Outcome {
  const registries = facts.containers.filter((c) => isRunning(c) && /(^|\/)registry(:|@|$)/.test(c.image));
  const pushed = facts.images.flatMap((i) => (i.digests ?? []).filter((d) => isTodoAppImage(d) && registryOf(d)));
  const tagged = facts.images.flatMap((i) => i.tags.filter((t) => isTodoAppImage(t) && registryOf(t)));
  if (pushed.length && registries.length) {
    return { state: 'done', summary: `${pushed[0].split('@')[0]} is in the registry ${registries[0].name} runs; Docker recorded its digest ${pushed[0].split('@')[1]?.slice(0, 19)}….`, container: registries[0].name };
  }
  if (pushed.length) return { state: 'pending', summary: `${pushed[0].split('@')[0]} was pushed, but no registry container runs now: start it again (docker start registry).` };
  const stopped = facts.containers.filter((c) => /(^|\/)registry(:|@|$)/.test(c.image)).sort(newestFirst)[0];
  if (!registries.length && stopped) return stoppedProblem(stopped, 'registry');
  if (tagged.length) return { state: 'pending', summary: `The image is tagged ${tagged[0]}; now push it: docker push ${tagged[0]}.` };
  if (registries.length) return { state: 'pending', summary: `The registry ${registries[0].name} runs; tag your image for it (docker tag todo-app:1.0 localhost:5000/todo-app:1.0) and push it.` };
  return { state: 'pending', summary: 'Run a local registry (registry:2 on port 5000), then tag and push the image to it.' };
}

/** A container that is not running: why, with its last log lines. */
function stoppedProblem(c: ContainerFact, what: string): Outcome {
  if (c.status === 'created' || c.status === 'dead' || (c.error && !c.startedAt)) {
    const err = c.error ?? 'it was created but never started';
    return {
      state: 'problem',
      summary: `${c.name} could not start: ${err}`,
      hint: startErrorHint(err, c.name),
      container: c.name,
      signature: `${c.id}:start`,
      at: c.created,
    };
  }
  if (c.status === 'restarting') {
    return {
      state: 'problem',
      summary: `${c.name} keeps restarting: its ${what} exits (code ${c.exitCode ?? '?'}) and Docker starts it again.`,
      hint: `Read why in its last lines (docker logs ${c.name}), fix that, then rebuild and run it again.`,
      container: c.name,
      logTail: c.logTail,
      signature: `${c.id}:restarting`,
      at: c.finishedAt ?? c.created,
    };
  }
  if (c.status === 'paused') {
    return { state: 'problem', summary: `${c.name} is paused.`, hint: `Resume it with docker unpause ${c.name}.`, container: c.name, signature: `${c.id}:paused`, at: c.created };
  }
  const code = c.exitCode ?? 0;
  const oom = c.oomKilled ? ' It ran out of memory (OOM killed).' : '';
  return {
    state: 'problem',
    summary: `${c.name} exited with code ${code}: its ${what} stopped instead of serving.${oom}`,
    hint: code === 0
      ? `Its command finished instead of running the server: check CMD in the Dockerfile, then run it again (docker rm ${c.name} first).`
      : `Its last lines say why (docker logs ${c.name}). Fix that, rebuild, then docker rm ${c.name} and run it again.`,
    container: c.name,
    logTail: c.logTail,
    signature: `${c.id}:exited:${c.finishedAt ?? ''}`,
    at: c.finishedAt ?? c.created,
  };
}

function unhealthyProblem(c: ContainerFact): Outcome {
  const out = c.health?.lastOutput?.trim();
  const answers = appAnswers(c);
  return {
    state: 'problem',
    summary: answers
      ? `${c.name}'s app answers on /health, yet its HEALTHCHECK failed ${c.health?.failingStreak ?? 0} times in a row${out ? `: ${firstLine(out)}` : ''}.`
      : `${c.name} runs but its HEALTHCHECK failed ${c.health?.failingStreak ?? 0} times in a row${out ? `: ${firstLine(out)}` : ''}.`,
    hint: answers
      ? 'The check itself is wrong: make the HEALTHCHECK probe the port and path the app serves (/health on port 3000) with a program the image has.'
      : `The app does not answer: read its last lines (docker logs ${c.name}).`,
    container: c.name,
    logTail: c.logTail,
    signature: `${c.id}:unhealthy`,
    at: c.startedAt ?? c.created,
  };
}

/** What to try when the daemon could not start a container. */
export function startErrorHint(error: string, name: string): string {
  if (/port is already allocated|address already in use|ports are not available/i.test(error)) {
    const port = /(?:0\.0\.0\.0|127\.0\.0\.1|\[::\]|::|localhost):(\d+)/.exec(error)?.[1];
    return `${port ? `Port ${port}` : 'The port'} on your machine is already taken (docker ps shows whether a container has it). Stop that, or publish another host port (-p 3001:3000), after docker rm ${name}.`;
  }
  if (/no such file or directory|not a directory|invalid mount|bind source path does not exist/i.test(error)) {
    return `A mount's source does not exist on the host: check the path before the colon in -v, then docker rm ${name} and run it again.`;
  }
  if (/executable file not found|no such file or directory.*exec|permission denied/i.test(error)) {
    return 'The image has no such program to start: check CMD/ENTRYPOINT in the Dockerfile and rebuild.';
  }
  if (/network .* not found/i.test(error)) return 'The network does not exist yet: docker network create it first.';
  return `Read the message above, fix it, then docker rm ${name} and run it again.`;
}

const firstLine = (s: string) => s.split('\n').find((l) => l.trim())?.trim().slice(0, 200) ?? '';

// ---------------------------------------------------------------------------------------------------------------

function ephemeralDemo(runs: readonly DemoRun[]): Outcome {
  const sorted = [...runs].sort((a, b) => a.time - b.time);
  let firstOk: DemoRun | undefined;
  let lastProblem: Outcome | undefined;
  for (const r of sorted) {
    if (r.name === 'con_1') {
      if (r.exitCode === 0) {
        firstOk = r;
        lastProblem = undefined;
      } else {
        firstOk = undefined;
        lastProblem = {
          state: 'problem',
          summary: `con_1 exited with code ${r.exitCode}: it did not create ${DEMO_FILE}.`,
          hint: `Run it as written: docker run --rm --name con_1 alpine touch ${DEMO_FILE}`,
          signature: `con_1:${r.time}`,
          at: r.time,
        };
      }
    } else if (r.name === 'con_2' && firstOk) {
      if (r.exitCode !== 0) {
        return { state: 'done', summary: `con_1 created ${DEMO_FILE}, and con_2, started from the same image afterwards, could not find it.` };
      }
      lastProblem = {
        state: 'problem',
        summary: `con_2 found ${DEMO_FILE}: the two containers shared storage, so the demo shows nothing.`,
        hint: `Run both exactly as written, without -v, so each has only its own writable layer.`,
        signature: `con_2:${r.time}`,
        at: r.time,
      };
    }
  }
  if (lastProblem) return lastProblem;
  if (firstOk) return { state: 'pending', summary: `con_1 created ${DEMO_FILE}; now run con_2 to look for it.` };
  return { state: 'pending', summary: 'Run con_1, then con_2.' };
}

// ---------------------------------------------------------------------------------------------------------------

function volumePersists(facts: DaemonFacts): Outcome {
  const imageIds = todoAppImageIds(facts);
  const apps = facts.containers.filter((c) => isRunning(c) && isTodoApp(c, imageIds) && c.report?.db?.type !== 'mysql').sort(newestFirst);
  let best: Outcome | undefined;
  for (const c of apps) {
    const file = c.report?.db?.file ?? DEFAULT_SQLITE_FILE;
    const dataDir = posixPath.dirname(file);
    const over = c.mounts.find((m) => covers(m.destination, file));
    const kept = c.report?.oldestItem !== undefined && c.report.oldestItem < c.created;
    let o: Outcome;
    if (over?.type === 'volume' && isNamedVolume(over.name)) {
      o = kept
        ? { state: 'done', summary: `${c.name} still lists an item added before it was created: the data lives in the volume ${over.name} at ${over.destination}.`, container: c.name }
        : c.report?.answered
          ? { state: 'pending', summary: `${c.name} keeps its data in the volume ${over.name}. Add an item, then replace the container (docker rm -f ${c.name}, and run it again with the same -v): the item must still be there.`, container: c.name }
          : { state: 'waiting', summary: `${c.name} mounts ${over.name}; waiting for its app to answer.`, container: c.name };
    } else if (over?.type === 'volume') {
      o = { state: 'problem', summary: `${c.name} keeps ${file} in an anonymous volume, which a new container does not get back.`, hint: `Name it: docker volume create todo-db, then -v todo-db:${dataDir}.`, container: c.name, signature: `${c.id}:anonymous`, at: c.created };
    } else if (over) {
      o = { state: 'pending', summary: `${c.name} keeps ${file} in a ${over.type} mount (${over.source}); this step is about a named volume.`, hint: `docker volume create todo-db, then run with -v todo-db:${dataDir}.`, container: c.name };
    } else {
      const elsewhere = c.mounts.find((m) => m.type === 'volume' && isNamedVolume(m.name));
      o = elsewhere
        ? {
            state: 'problem',
            summary: `${c.name} mounts the volume ${elsewhere.name} at ${elsewhere.destination}, but the app keeps its data in ${file}: the items stay in the container's own layer.`,
            hint: `Mount it where the data lives: -v ${elsewhere.name}:${dataDir}.`,
            container: c.name,
            signature: `${c.id}:misplaced`,
            at: c.created,
          }
        : { state: 'pending', summary: `${c.name} has no volume: its items live in its writable layer and go with it.`, hint: `docker volume create todo-db, then run with -v todo-db:${dataDir}.`, container: c.name };
    }
    if (o.state === 'done') return o;
    best = pick(best, o);
  }
  return best ?? { state: 'pending', summary: 'Run the todo app with the todo-db volume mounted where it keeps its data (/etc/todos).' };
}

/** A mount at `dest` holds `file`. */
function covers(dest: string, file: string): boolean {
  const d = dest.replace(/\/+$/, '') || '/';
  return file === d || file.startsWith(d === '/' ? '/' : d + '/');
}

/** Of two non-done outcomes, the one to show: problems before waiting before pending. */
function pick(a: Outcome | undefined, b: Outcome): Outcome {
  const rank: Record<OutcomeState, number> = { done: 3, problem: 2, waiting: 1, pending: 0 };
  return !a || rank[b.state] > rank[a.state] ? b : a;
}

// ---------------------------------------------------------------------------------------------------------------

function bindMountFile(facts: DaemonFacts): Outcome {
  let best: Outcome | undefined;
  for (const c of facts.containers.filter(isRunning).sort(newestFirst)) {
    for (const f of c.files ?? []) {
      if (f.mountType === 'bind' && f.inContainer && f.onHost) {
        return { state: 'done', summary: `${BIND_FILE}, created in ${posixPath.dirname(f.path)} of ${c.name}, is in your folder ${f.hostPath ?? ''}.`.replace(/ \.$/, '.'), container: c.name };
      }
      if (f.inContainer && f.mountType === 'volume') {
        best = pick(best, {
          state: 'problem',
          summary: `${BIND_FILE} is in ${c.name}'s ${posixPath.dirname(f.path)}, but that is a volume, not your folder.`,
          hint: `Mount the folder itself: -v "$(pwd)":${BIND_DESTINATION} (a path before the colon, not a name).`,
          container: c.name,
          signature: `${c.id}:volume-not-bind`,
          at: c.startedAt ?? c.created,
        });
      } else if (f.inContainer && !f.mountType) {
        best = pick(best, {
          state: 'problem',
          summary: `${BIND_FILE} is only inside ${c.name}: ${posixPath.dirname(f.path)} is not mounted from your folder.`,
          hint: `Start the container with -v "$(pwd)":${BIND_DESTINATION}, then create the file again.`,
          container: c.name,
          signature: `${c.id}:not-mounted`,
          at: c.startedAt ?? c.created,
        });
      } else if (f.inContainer && f.onHost === undefined) {
        best = pick(best, { state: 'pending', summary: `${c.name} has ${f.path}, but its folder ${f.hostPath ?? ''} is not visible from this window.`, container: c.name });
      } else if (f.mountType === 'bind') {
        best = pick(best, { state: 'pending', summary: `${c.name} mounts ${f.hostPath ?? 'a folder'} at ${posixPath.dirname(f.path)}: now create ${BIND_FILE} there through docker exec.`, container: c.name });
      }
    }
  }
  return best ?? { state: 'pending', summary: `Run the app with your folder bind-mounted at ${BIND_DESTINATION}, then create ${BIND_FILE} in it through docker exec.` };
}

// ---------------------------------------------------------------------------------------------------------------

/** Names a container answers to on a network. */
function namesOn(c: ContainerFact, net: NetworkAttachment): string[] {
  return [c.name, ...net.aliases, c.labels[COMPOSE_SERVICE] ?? ''].filter(Boolean);
}

function appReachesMysql(facts: DaemonFacts): Outcome {
  const imageIds = todoAppImageIds(facts);
  const apps = facts.containers.filter((c) => isRunning(c) && isTodoApp(c, imageIds) && c.report?.db?.type === 'mysql').sort(newestFirst);
  let best: Outcome | undefined;
  for (const app of apps) {
    const host = app.report?.db?.host ?? '';
    const others = facts.containers.filter((c) => c.id !== app.id);
    const shared = app.networks
      .filter((n) => isUserNetwork(n.name))
      .flatMap((n) => others.filter((o) => o.networks.some((on) => on.id === n.id && namesOn(o, on).includes(host))).map((o) => ({ net: n, target: o })));
    if (app.report?.db?.ok) {
      // The app says which server answered (its host name); it must be the container behind the name.
      const server = app.report.db.serverHostname;
      const reached = shared.find((s) => isRunning(s.target) && (!server || s.target.hostname === server || s.target.id.startsWith(server)));
      if (reached) {
        return { state: 'done', summary: `${app.name} reached MySQL by the name "${host}" (${reached.target.name}) over the network ${reached.net.name}.`, container: app.name };
      }
      best = pick(best, {
        state: 'problem',
        summary: `${app.name} reached MySQL at "${host}", which is not the name of a container on a network you created.`,
        hint: 'Put both containers on one user-defined network (docker network create todo-app; --network todo-app) and set MYSQL_HOST to the MySQL container\'s name or alias.',
        container: app.name,
        signature: `${app.id}:not-by-name:${host}`,
        at: app.startedAt ?? app.created,
      });
      continue;
    }
    const error = app.report?.db?.error ? ` (${firstLine(app.report.db.error)})` : '';
    const named = others.filter((o) => o.name === host || o.networks.some((n) => namesOn(o, n).includes(host))).sort(newestFirst);
    const target = named[0];
    if (!target) {
      best = pick(best, {
        state: 'problem',
        summary: `${app.name} looks for MySQL at "${host}", but no container has that name${error}.`,
        hint: `Start MySQL with --name ${host || 'mysql'} (or --network-alias ${host || 'mysql'}) on the app's network.`,
        container: app.name,
        signature: `${app.id}:no-host:${host}`,
        at: app.startedAt ?? app.created,
      });
    } else if (!isRunning(target)) {
      best = pick(best, { ...stoppedProblem(target, 'database'), summary: `${app.name} cannot reach MySQL: ${stoppedProblem(target, 'database').summary}` });
    } else if (shared.some((s) => s.target.id === target.id) && /ACCESS_DENIED|BAD_DB|Access denied|Unknown database/i.test(app.report?.db?.error ?? '')) {
      best = pick(best, {
        state: 'problem',
        summary: `${app.name} reaches ${target.name}, but MySQL refuses it${error}.`,
        hint: `MYSQL_USER, MYSQL_PASSWORD and MYSQL_DB of the app must match what ${target.name} was created with (MYSQL_USER, MYSQL_PASSWORD, MYSQL_DATABASE). MySQL reads those only on its first start with an empty volume.`,
        container: app.name,
        signature: `${app.id}:${target.id}:refused`,
        at: app.startedAt ?? app.created,
      });
    } else if (shared.some((s) => s.target.id === target.id)) {
      best = pick(best, { state: 'waiting', summary: `${app.name} and ${target.name} share a network; waiting for MySQL to accept connections${error}.`, container: app.name });
    } else {
      const appNets = app.networks.map((n) => n.name).join(', ') || 'no network';
      const dbNets = target.networks.map((n) => n.name).join(', ') || 'no network';
      const onlyBridge = app.networks.some((n) => n.name === 'bridge') && target.networks.some((n) => n.name === 'bridge');
      best = pick(best, {
        state: 'problem',
        summary: onlyBridge
          ? `${app.name} and ${target.name} are both on the default bridge network, where containers cannot find each other by name${error}.`
          : `${app.name} is on ${appNets} and ${target.name} on ${dbNets}: they share no network, so "${host}" does not resolve${error}.`,
        hint: networkHint(app.name, target.name, target.networks.map((n) => n.name)),
        container: app.name,
        signature: `${app.id}:${target.id}:no-shared-network:${appNets}|${dbNets}`,
        at: Math.max(app.startedAt ?? app.created, target.startedAt ?? target.created),
      });
    }
  }
  if (best) return best;
  const sqlite = facts.containers.find((c) => isRunning(c) && isTodoApp(c, imageIds) && c.report?.db?.type && c.report.db.type !== 'mysql');
  if (sqlite) return { state: 'pending', summary: `${sqlite.name} still uses ${sqlite.report?.db?.type}: run it with MYSQL_HOST, MYSQL_USER, MYSQL_PASSWORD and MYSQL_DB set.`, container: sqlite.name };
  return { state: 'pending', summary: 'Start MySQL and the app on one network, the app with MYSQL_HOST set to MySQL\'s name.' };
}

// ---------------------------------------------------------------------------------------------------------------

function composeHealthy(facts: DaemonFacts): Outcome {
  const imageIds = todoAppImageIds(facts);
  const projects = new Map<string, ContainerFact[]>();
  for (const c of facts.containers) {
    const p = c.labels[COMPOSE_PROJECT];
    if (!p || isOneOff(c)) continue;
    projects.set(p, [...(projects.get(p) ?? []), c]);
  }
  let best: Outcome | undefined;
  for (const [project, members] of projects) {
    const services = new Map<string, ContainerFact>();
    for (const c of [...members].sort(newestFirst)) {
      const s = c.labels[COMPOSE_SERVICE] ?? c.name;
      if (!services.has(s)) services.set(s, c);
    }
    if (services.size < 2) continue;
    const list = [...services.entries()];
    const stopped = list.find(([, c]) => !isRunning(c));
    if (stopped) {
      const p = stoppedProblem(stopped[1], `service ${stopped[0]}`);
      best = pick(best, { ...p, summary: `Compose project ${project}: ${p.summary}` });
      continue;
    }
    const unhealthy = list.find(([, c]) => c.health?.status === 'unhealthy');
    if (unhealthy) {
      const p = unhealthyProblem(unhealthy[1]);
      best = pick(best, { ...p, summary: `Compose project ${project}: ${p.summary}` });
      continue;
    }
    const starting = list.find(([, c]) => c.health?.status === 'starting');
    const app = list.map(([, c]) => c).find((c) => isTodoApp(c, imageIds) || appAnswers(c));
    if (starting) {
      best = pick(best, { state: 'waiting', summary: `Compose project ${project}: ${starting[0]} is still starting.`, container: starting[1].name });
      continue;
    }
    if (!app) {
      best = pick(best, { state: 'pending', summary: `Compose project ${project} runs ${list.map(([s]) => s).join(', ')}, but none of them is the todo app answering on /health.` });
      continue;
    }
    if (!appAnswers(app) && !app.report?.db) {
      best = pick(best, { state: 'waiting', summary: `Compose project ${project}: waiting for ${app.name} to answer.`, container: app.name });
      continue;
    }
    if (!app.report?.db?.ok) {
      const err = app.report?.db?.error ? `: ${firstLine(app.report.db.error)}` : '';
      best = pick(best, {
        state: 'waiting',
        summary: `Compose project ${project}: ${app.name} runs but its database does not answer yet${err}.`,
        hint: 'MySQL takes a while on its first start; if it stays like this, compare MYSQL_HOST with the database service\'s name and the passwords on both sides.',
        container: app.name,
      });
      continue;
    }
    return {
      state: 'done',
      summary: `Compose project ${project}: ${list.map(([s]) => s).join(', ')} run${list.some(([, c]) => c.health) ? ', healthy' : ''}, and the app's ${app.report.db.type ?? ''} database answers.`.replace(/  +/g, ' '),
      container: app.name,
    };
  }
  return best ?? { state: 'pending', summary: 'Start the app and MySQL with docker compose up -d in the sample folder.' };
}

/** What to type so the app reaches the database by name: join the database's user-defined network, or make one. */
function networkHint(app: string, db: string, dbNetworks: string[]): string {
  const userNet = dbNetworks.find((n) => !['bridge', 'host', 'none'].includes(n));
  if (userNet) return `Attach ${app} to ${db}'s network: docker network connect ${userNet} ${app} (or run it again with --network ${userNet}).`;
  return `Create a network and attach both: docker network create todo-net, then docker network connect todo-net ${db} and docker network connect todo-net ${app}, or run them with --network todo-net.`;
}
