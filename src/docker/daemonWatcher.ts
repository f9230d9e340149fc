/**
 * One live connection to the Docker daemon shared by every feature: its state (connecting, up, down), its version,
 * and its event stream. When the stream drops or the daemon restarts it reconnects with backoff, and it reports
 * bursts of events both one by one ('event') and coalesced ('batch').
 *
 *   const watcher = new DaemonWatcher({ endpoint: resolveEndpoint({ setting }) });
 *   watcher.on('state', (s) => …);      // 'connecting' | 'up' | 'down'; on 'up' re-read whatever you show
 *   watcher.on('batch', (events) => …); // coalesced Docker events
 *   watcher.start();                    // … watcher.stop() on dispose
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import Dockerode from 'dockerode';
import { DaemonCallError, DockerApi } from './api';
import { createDockerClient, DockerEndpoint } from './connection';

/** Why the daemon is down, for guidance a person can act on. */
export type DaemonProblem = 'unreachable' | 'frozen' | 'denied' | 'config' | 'other';

export type DaemonState = 'connecting' | 'up' | 'down';

/** One message of the Engine API's `/events` stream. */
export interface DockerEvent {
  Type: 'container' | 'image' | 'volume' | 'network' | 'daemon' | 'plugin' | 'service' | 'node' | 'secret' | 'config' | 'builder' | string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  scope?: string;
  time: number;
  timeNano?: number;
}

export interface DaemonVersion {
  Version: string;
  ApiVersion: string;
  Os?: string;
  Arch?: string;
  KernelVersion?: string;
}

export interface DaemonWatcherOptions {
  endpoint: DockerEndpoint;
  /** Time limit for each call the watcher makes (version, heartbeat). Default 5 s. */
  callTimeoutMs?: number;
  /** Reconnect delays: doubles from `initialMs` up to `maxMs`. Default 250 ms → 5 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** Events arriving within `coalesceMs` of each other go out as one batch, flushed at most `maxDelayMs` after the first. */
  coalesce?: { quietMs: number; maxDelayMs: number };
  /**
   * While up, a ping every `heartbeatMs` notices a connection that died silently (tcp) and a daemon that froze (it
   * still accepts connections but answers nothing). Default 2.5 s on a local socket, 5 s over the network; 0 turns
   * it off. A ping unanswered within `heartbeatTimeoutMs` (default the same) takes the daemon down.
   */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface DaemonWatcherEvents {
  state: [state: DaemonState];
  event: [event: DockerEvent];
  batch: [events: DockerEvent[]];
}

/** Longest event line kept; anything bigger is garbage and dropped. */
const MAX_LINE = 1 << 20;

export class DaemonWatcher extends EventEmitter<DaemonWatcherEvents> {
  private _state: DaemonState = 'down';
  private _version: DaemonVersion | undefined;
  private _lastError: string | undefined;
  private _problem: DaemonProblem | undefined;
  private _endpoint: DockerEndpoint;
  private _docker: Dockerode;
  /** Why no client could be made for the endpoint (unusable TLS files); retried on every attempt. */
  private clientError: Error | undefined;
  private _api: DockerApi;
  private running = false;
  /** Connection attempts since start(); only the first one (and an explicit retry) shows 'connecting'. */
  private attempts = 0;
  /** Bumped on every (re)connect and stop so late callbacks of an old connection are ignored. */
  private generation = 0;
  private stream: IncomingMessage | undefined;
  private streamAbort: AbortController | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private nextDelay: number;
  private pending: DockerEvent[] = [];
  private quietTimer: NodeJS.Timeout | undefined;
  private maxTimer: NodeJS.Timeout | undefined;
  private readonly opts: Required<Omit<DaemonWatcherOptions, 'endpoint' | 'log' | 'heartbeatMs' | 'heartbeatTimeoutMs'>> & Pick<DaemonWatcherOptions, 'log' | 'heartbeatMs' | 'heartbeatTimeoutMs'>;

  constructor(options: DaemonWatcherOptions) {
    super();
    this.opts = {
      callTimeoutMs: options.callTimeoutMs ?? 5000,
      backoff: options.backoff ?? { initialMs: 250, maxMs: 5000 },
      coalesce: options.coalesce ?? { quietMs: 60, maxDelayMs: 150 },
      heartbeatMs: options.heartbeatMs,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs,
      log: options.log,
    };
    this.nextDelay = this.opts.backoff.initialMs;
    this._endpoint = options.endpoint;
    this._docker = this._api = undefined as never;
    this.makeClient();
  }

  /** (Re)creates the client for the endpoint; an unusable endpoint leaves a client whose calls all fail with why. */
  private makeClient(): void {
    try {
      this._docker = createDockerClient(this._endpoint);
      this.clientError = undefined;
      this._api = new DockerApi(this._docker, this.opts.callTimeoutMs * 2);
    } catch (e) {
      this.clientError = e as Error;
      this._docker = createDockerClient({ host: 'unix:///nonexistent/docker.sock', protocol: 'unix', socketPath: '/nonexistent/docker.sock', source: 'default', description: '' });
      this._api = new DockerApi(this.clientError, this.opts.callTimeoutMs * 2);
    }
    this._api.onTimeout = () => {
      // A call that timed out while the daemon looks up: check now rather than at the next heartbeat.
      if (this._state === 'up') void this.heartbeat(this.generation);
    };
  }

  private get heartbeatMs(): number {
    return this.opts.heartbeatMs ?? (this._endpoint.protocol === 'unix' || this._endpoint.protocol === 'npipe' ? 2500 : 5000);
  }

  private get heartbeatTimeoutMs(): number {
    return this.opts.heartbeatTimeoutMs ?? Math.max(this.heartbeatMs, 1000);
  }

  get state(): DaemonState {
    return this._state;
  }
  /** The daemon's version while up (kept from the last connection while down). */
  get version(): DaemonVersion | undefined {
    return this._version;
  }
  /** Why the last connection attempt failed, for people. */
  get lastError(): string | undefined {
    return this._lastError;
  }
  /** What kind of failure took the daemon down (undefined while up). */
  get problem(): DaemonProblem | undefined {
    return this._state === 'up' ? undefined : this._problem;
  }
  get endpoint(): DockerEndpoint {
    return this._endpoint;
  }
  /** The dockerode client for the current endpoint (replaced when the endpoint changes). */
  get docker(): Dockerode {
    return this._docker;
  }
  /** Time-limited, counted calls on the same client. */
  get api(): DockerApi {
    return this._api;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempts = 0;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.teardown();
    this.flush();
    this.setState('down');
  }

  /** Reconnects now (the "Retry" button), resetting the backoff. */
  retryNow(): void {
    if (!this.running) return this.start();
    this.nextDelay = this.opts.backoff.initialMs;
    void this.connect(true);
  }

  /** Switches daemon (the setting changed) and reconnects. */
  setEndpoint(endpoint: DockerEndpoint): void {
    this._endpoint = endpoint;
    this.makeClient();
    this._version = undefined;
    if (this.running) this.retryNow();
  }

  /** Resolves once the daemon is up, or rejects after `timeoutMs`. */
  whenUp(timeoutMs = 30_000): Promise<void> {
    if (this._state === 'up') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onState = (s: DaemonState) => {
        if (s !== 'up') return;
        clearTimeout(timer);
        this.off('state', onState);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('state', onState);
        reject(new Error(`Docker daemon not up after ${timeoutMs} ms: ${this._lastError ?? this._state}`));
      }, timeoutMs);
      this.on('state', onState);
    });
  }

  private setState(state: DaemonState): void {
    if (this._state === state) return;
    this._state = state;
    this.opts.log?.(`Docker daemon ${state}${state === 'down' && this._lastError ? `: ${this._lastError}` : ''} (${this._endpoint.description})`);
    this.emit('state', state);
  }

  private teardown(): void {
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeatTimer);
    this.retryTimer = this.heartbeatTimer = undefined;
    this.streamAbort?.abort();
    this.stream?.destroy();
    this.stream = this.streamAbort = undefined;
  }

  /**
   * One connection attempt. Background retries while down stay 'down' (no flicker between welcome states);
   * the first attempt and an explicit retry show 'connecting'.
   */
  private async connect(announce = this.attempts === 0): Promise<void> {
    this.attempts++;
    const gen = ++this.generation;
    this.teardown();
    // Certificates may have been put in place since the last attempt.
    if (this.clientError) this.makeClient();
    if (announce && this._state !== 'up') this.setState('connecting');
    const api = this._api;
    try {
      const version = await api.get<DaemonVersion>('/version', { timeoutMs: this.opts.callTimeoutMs });
      if (gen !== this.generation) return;
      const abort = new AbortController();
      // Subscribe before announcing 'up': consumers then re-read everything and miss no change made meanwhile.
      const stream = await api.stream('/events', { timeoutMs: this.opts.callTimeoutMs, signal: abort.signal });
      if (gen !== this.generation) {
        abort.abort();
        stream.destroy();
        return;
      }
      this.stream = stream;
      this.streamAbort = abort;
      this._version = version;
      this._lastError = this._problem = undefined;
      this.nextDelay = this.opts.backoff.initialMs;
      this.readEvents(stream, gen);
      if (this.heartbeatMs > 0) {
        this.heartbeatTimer = setInterval(() => this.heartbeat(gen), this.heartbeatMs);
        this.heartbeatTimer.unref?.();
      }
      if (this._state === 'up') {
        // The stream was re-established without the daemon going away: still a gap, so consumers must re-read.
        this._state = 'connecting';
      }
      this.setState('up');
    } catch (e) {
      if (gen !== this.generation) return;
      this.failed(e as DaemonCallError);
      this.setState('down');
      this.scheduleRetry(gen);
    }
  }

  private failed(e: DaemonCallError, frozen = false): void {
    const where = this._endpoint.description;
    if (this.clientError) {
      this._problem = 'config';
      this._lastError = this.clientError.message;
    } else if (frozen || e.timedOut) {
      this._problem = 'frozen';
      this._lastError = `The Docker daemon at ${where} accepts connections but does not answer (${e.message}): it may be frozen or overloaded.`;
    } else {
      this._problem = /Permission denied/.test(e.message) ? 'denied' : /Cannot reach/.test(e.message) ? 'unreachable' : 'other';
      this._lastError = e.message;
    }
  }

  private scheduleRetry(gen: number): void {
    if (!this.running || gen !== this.generation) return;
    const delay = this.nextDelay;
    this.nextDelay = Math.min(this.nextDelay * 2, this.opts.backoff.maxMs);
    this.retryTimer = setTimeout(() => {
      if (gen === this.generation && this.running) void this.connect();
    }, delay);
    this.retryTimer.unref?.();
  }

  private pinging = false;

  /** A ping that must come back in time while up: a frozen daemon goes down at once, then reconnecting takes over. */
  private async heartbeat(gen: number): Promise<void> {
    if (this.pinging) return;
    this.pinging = true;
    try {
      await this._api.get('/_ping', { timeoutMs: this.heartbeatTimeoutMs });
    } catch (e) {
      if (gen !== this.generation || !this.running) return;
      const err = e as DaemonCallError;
      this.failed(err, err.timedOut);
      this.generation++;
      this.teardown();
      this.flush();
      this.setState('down');
      this.scheduleRetry(this.generation);
    } finally {
      this.pinging = false;
    }
  }

  private readEvents(stream: IncomingMessage, gen: number): void {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      if (gen !== this.generation) return;
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) this.onLine(line);
      }
      if (buffer.length > MAX_LINE) buffer = '';
    });
    const dropped = (why: string) => {
      if (gen !== this.generation || !this.running) return;
      this._lastError = why;
      this._problem = 'unreachable';
      this.opts.log?.(`Docker event stream ended (${why}); reconnecting`);
      this.flush();
      void this.connect();
    };
    stream.on('end', () => dropped('stream ended'));
    stream.on('error', (e) => dropped(e.message));
    stream.on('close', () => dropped('connection closed'));
  }

  private onLine(line: string): void {
    let event: DockerEvent;
    try {
      event = JSON.parse(line) as DockerEvent;
    } catch {
      return;
    }
    if (!event || typeof event !== 'object' || typeof event.Type !== 'string' || typeof event.Action !== 'string') return;
    if (!event.Actor || typeof event.Actor !== 'object') event.Actor = { ID: '' };
    this.emit('event', event);
    this.pending.push(event);
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.flush(), this.opts.coalesce.quietMs);
    if (!this.maxTimer) this.maxTimer = setTimeout(() => this.flush(), this.opts.coalesce.maxDelayMs);
  }

  private flush(): void {
    clearTimeout(this.quietTimer);
    clearTimeout(this.maxTimer);
    this.quietTimer = this.maxTimer = undefined;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.emit('batch', batch);
  }
}
