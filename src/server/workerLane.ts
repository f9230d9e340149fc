/**
 * One lint worker thread and its queue. Requests run one at a time in order; a newer lint of a document replaces
 * one still waiting, and a newer edit stops one already running (by ending the thread, the only way to stop
 * synchronous work) once it has run long enough that waiting would cost more than starting a new thread.
 */
import { Worker, ResourceLimits } from 'node:worker_threads';
import type { WorkerMethod, WorkerMethods, WorkerReply } from './protocol';

/** What a request resolves to when a newer one made it pointless, or the lane was disposed. */
export const CANCELLED: unique symbol = Symbol('cancelled');
export type Cancelled = typeof CANCELLED;

/** The worker ran out of the memory it is allowed (`resourceLimits`) on this request. */
export class OutOfMemoryError extends Error {
  override name = 'OutOfMemoryError';
}

export interface LaneOptions {
  name: string;
  script: string;
  resourceLimits?: ResourceLimits;
  workerData?: unknown;
  /** A running request older than the document's newest version is stopped after this long (default 300 ms). */
  cancelAfterMs?: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** A new thread started (the first, or after a stop or crash): it knows no documents and no broadcasts. */
  onStart?: () => void;
}

export interface RequestOptions {
  /** The document the request is about, and its version: a newer version may cancel it. */
  uri?: string;
  version?: number;
  /** A request with the same key still waiting is replaced (resolved as cancelled). */
  replaces?: string;
  /** Not started, or stopped, when this aborts (the editor cancelled its request). */
  signal?: AbortSignal;
  /** The request hands the worker this document version's text: later requests may leave the text out. */
  carries?: boolean;
}

interface Job {
  id: number;
  method: WorkerMethod;
  params: unknown;
  opts: RequestOptions;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  startedAt?: number;
}

let nextId = 1;

export class WorkerLane {
  private worker: Worker | undefined;
  private running: Job | undefined;
  private readonly queue: Job[] = [];
  /** Document versions the current thread holds. */
  private readonly known = new Map<string, number>();
  private disposed = false;
  /** Why the current thread is being ended on purpose (so its exit is not taken for a crash). */
  private stopping = false;

  constructor(private readonly options: LaneOptions) {}

  /** Queues a request; resolves to its result, or CANCELLED. Rejects when the worker fails on it. */
  request<M extends WorkerMethod>(method: M, params: Parameters<WorkerMethods[M]>[0], opts: RequestOptions = {}): Promise<ReturnType<WorkerMethods[M]> | Cancelled> {
    if (this.disposed) return Promise.resolve(CANCELLED);
    return new Promise((resolve, reject) => {
      if (opts.replaces) {
        for (let i = this.queue.length - 1; i >= 0; i--) {
          if (this.queue[i].opts.replaces !== opts.replaces) continue;
          this.queue[i].resolve(CANCELLED);
          this.queue.splice(i, 1);
        }
      }
      this.queue.push({ id: nextId++, method, params, opts, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Starts the thread ahead of the first request (it loads the engine and the shell parser meanwhile). */
  warm(): void {
    if (!this.disposed) this.thread();
  }

  /** Whether the thread holds this version of a document (so a request may leave its text out). */
  knows(uri: string, version: number): boolean {
    return this.known.get(uri) === version;
  }

  /** Whether the thread holds any version of a document. */
  holds(uri: string): boolean {
    return this.known.has(uri);
  }

  forget(uri: string): void {
    this.known.delete(uri);
  }

  /** True while a request is running or waiting. */
  get busy(): boolean {
    return !!this.running || this.queue.length > 0;
  }

  /**
   * A document changed to `version`: a running request on an older version is stopped if it has run for
   * `cancelAfterMs` (a short one is left to finish: its result is dropped, and a new thread would cost more).
   */
  supersede(uri: string, version: number): void {
    const job = this.running;
    if (!job || job.opts.uri !== uri || job.opts.version === undefined || job.opts.version >= version) return;
    if (performance.now() - (job.startedAt ?? 0) < (this.options.cancelAfterMs ?? 300)) return;
    this.options.log('info', `Stopped ${job.method} of ${uri} (version ${job.opts.version}): version ${version} replaces it.`);
    this.restart();
    job.resolve(CANCELLED);
  }

  /** Ends the thread; queued requests resolve as cancelled. */
  dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.resolve(CANCELLED);
    this.running?.resolve(CANCELLED);
    this.running = undefined;
    const w = this.worker;
    this.worker = undefined;
    this.stopping = true;
    return w ? w.terminate().then(() => undefined) : Promise.resolve();
  }

  private restart(): void {
    const w = this.worker;
    this.worker = undefined;
    this.running = undefined;
    this.known.clear();
    if (w) {
      this.stopping = true;
      void w.terminate();
    }
    queueMicrotask(() => this.pump());
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    this.stopping = false;
    const w = new Worker(this.options.script, { workerData: this.options.workerData, resourceLimits: this.options.resourceLimits, name: this.options.name });
    this.worker = w;
    this.known.clear();
    w.on('message', (msg: WorkerReply) => this.onMessage(w, msg));
    w.on('error', (e: Error & { code?: string }) => this.onFailure(w, e));
    w.on('exit', (code) => this.onFailure(w, new Error(`the ${this.options.name} lint worker stopped (exit code ${code})`)));
    // A thread waiting for work does not keep the server alive.
    w.unref();
    this.options.onStart?.();
    return w;
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    let job = this.queue.shift();
    while (job?.opts.signal?.aborted) {
      job.resolve(CANCELLED);
      job = this.queue.shift();
    }
    if (!job) return;
    const w = this.thread();
    this.running = job;
    job.startedAt = performance.now();
    if (job.opts.carries && job.opts.uri && job.opts.version !== undefined) this.known.set(job.opts.uri, job.opts.version);
    w.postMessage({ id: job.id, method: job.method, params: job.params });
  }

  private onMessage(w: Worker, msg: WorkerReply): void {
    if (w !== this.worker) return;
    if ('log' in msg) return this.options.log(msg.level, msg.log);
    const job = this.running;
    if (!job || job.id !== msg.id) return;
    this.running = undefined;
    if ('error' in msg) job.reject(new Error(msg.error));
    else job.resolve(msg.result);
    this.pump();
  }

  private onFailure(w: Worker, e: Error & { code?: string }): void {
    if (w !== this.worker || this.stopping) return;
    this.worker = undefined;
    this.known.clear();
    const job = this.running;
    this.running = undefined;
    const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
    this.options.log(oom ? 'warn' : 'error', `The ${this.options.name} lint worker ${oom ? 'ran out of memory' : 'failed'}${job ? ` on ${job.method} of ${job.opts.uri ?? 'a document'}` : ''}: ${e.message}`);
    job?.reject(oom ? new OutOfMemoryError(e.message) : e);
    this.pump();
  }
}
