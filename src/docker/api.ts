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

  constructor(
    readonly docker: Dockerode,
    readonly timeoutMs = 10_000,
  ) {}

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
            if (timedOut) reject(new DaemonCallError(`The Docker daemon did not answer ${method} ${path} within ${timeoutMs} ms`, undefined, true));
            else if (controller.signal.aborted) reject(new DaemonCallError('cancelled', undefined, false, true));
            else reject(new DaemonCallError(daemonMessage(err), err.statusCode));
          } else resolve(data);
        },
      );
    });
  }
}

/** The daemon's own message (`{"message": …}`) rather than the modem's wrapper text. */
function daemonMessage(err: Error & { json?: unknown; code?: string }): string {
  const json = err.json as { message?: string } | undefined;
  if (json && typeof json === 'object' && typeof json.message === 'string') return json.message;
  if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') return `Cannot reach the Docker daemon (${err.code})`;
  return err.message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/** A compact `{"key":["value"]}` filter argument as the Engine API expects it. */
export function filters(f: Record<string, string[]>): string {
  return JSON.stringify(f);
}
