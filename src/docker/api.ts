/**
 * Daemon calls with a time limit and cancellation on every one of them, counted so refresh costs can be measured.
 * A slow or hung daemon turns into a DaemonCallError after `timeoutMs`, never into a frozen caller.
 */
import type { IncomingMessage } from 'node:http';
import Dockerode from 'dockerode';

export class DaemonCallError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly timedOut = false,
    readonly cancelled = false,
  ) {
    super(message);
  }
}

export interface CallOptions {
  query?: Record<string, unknown>;
  body?: unknown;
  /** Defaults to the api's timeout; 0 means none (streams). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

type Dial = (options: Record<string, unknown>, cb: (err: (Error & { statusCode?: number; json?: unknown }) | null, data: unknown) => void) => void;

export class DockerApi {
  /** Number of requests made so far (the benchmark reads it). */
  calls = 0;
  /** Called when a call times out: the daemon may be frozen, and whoever watches it should check now. */
  onTimeout?: () => void;

  /**
   * `docker` may be the reason no client could be made (an unusable TLS setup, say): every call then fails with
   * that reason.
   */
  constructor(
    readonly docker: Dockerode | Error,
    readonly timeoutMs = 10_000,
  ) {}

  /** The socket or address calls go to, for messages. */
  get where(): string {
    if (this.docker instanceof Error) return '';
    const m = this.docker.modem as unknown as { socketPath?: string; host?: string; port?: number };
    return typeof m.socketPath === 'string' ? m.socketPath : m.host ? `${m.host}${m.port ? `:${m.port}` : ''}` : '';
  }

  get<T>(path: string, opts: CallOptions = {}): Promise<T> {
    return this.request<T>('GET', path, opts);
  }

  post<T>(path: string, opts: CallOptions = {}): Promise<T> {
    return this.request<T>('POST', path, opts);
  }

  delete<T>(path: string, opts: CallOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, opts);
  }

  /** A request whose JSON (or raw) answer is returned; errors carry the daemon's own message. */
  request<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
    return this.dial(method, path, opts, false) as Promise<T>;
  }

  /** A streaming request (events, logs); the time limit covers only getting the response headers. */
  stream(path: string, opts: CallOptions = {}): Promise<IncomingMessage> {
    return this.dial('GET', path, opts, true) as Promise<IncomingMessage>;
  }

  private dial(method: string, path: string, opts: CallOptions, isStream: boolean): Promise<unknown> {
    this.calls++;
    if (this.docker instanceof Error) return Promise.reject(new DaemonCallError(this.docker.message));
    const controller = new AbortController();
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    let timedOut = false;
    const onAbort = () => controller.abort();
    if (opts.signal) {
      if (opts.signal.aborted) return Promise.reject(new DaemonCallError('cancelled', undefined, false, true));
      opts.signal.addEventListener('abort', onAbort, { once: true });
    }
    const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), controller.abort()), timeoutMs) : undefined;
    const modem = (this.docker as unknown as { modem: { dial: Dial } }).modem;
    // The modem takes the query from `_query` and a POST body from `_body`.
    const options = { _query: opts.query ?? {}, _body: opts.body ?? {} };
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      modem.dial(
        {
          path: path + '?',
          method,
          options,
          abortSignal: controller.signal,
          isStream,
          allowEmpty: true,
          statusCodes: { 200: true, 201: true, 204: true, 304: true },
        },
        (err, data) => {
          finish();
          if (err) {
            if (timedOut) {
              reject(new DaemonCallError(`The Docker daemon did not answer ${method} ${path} within ${timeoutMs} ms`, undefined, true));
              this.onTimeout?.();
            } else if (controller.signal.aborted) reject(new DaemonCallError('cancelled', undefined, false, true));
            else reject(new DaemonCallError(daemonMessage(err, this.where), err.statusCode));
          } else resolve(data);
        },
      );
    });
  }
}

/** The daemon's own message (`{"message": …}`) rather than the modem's wrapper text; connection failures said plainly. */
export function daemonMessage(err: Error & { json?: unknown; code?: string }, where = ''): string {
  const json = err.json as { message?: string } | undefined;
  if (json && typeof json === 'object' && typeof json.message === 'string') return json.message;
  const at = where ? ` at ${where}` : '';
  if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') return `Cannot reach the Docker daemon${at} (${err.code})`;
  if (err.code === 'EACCES' || err.code === 'EPERM') {
    return `Permission denied on the Docker socket${at}: your user may not use it. Add yourself to the docker group (sudo usermod -aG docker $USER, then log out and back in), or choose another daemon.`;
  }
  return err.message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/** A compact `{"key":["value"]}` filter argument as the Engine API expects it. */
export function filters(f: Record<string, string[]>): string {
  return JSON.stringify(f);
}
