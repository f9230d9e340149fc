/**
 * A lint worker thread: answers the server's requests (see protocol.ts) one at a time with a LintService. The
 * server terminates a worker whose work a newer edit made stale, so nothing here needs to be interruptible.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareLint } from '../diagnostics/engine';
import { LintService, UnknownVersionError } from './lintService';
import { UNKNOWN_VERSION, WorkerMethod, WorkerReply, WorkerRequest } from './protocol';

if (!parentPort) throw new Error('lintWorker.js runs as a worker thread of the language server');
const port = parentPort;
const service = new LintService();
const log = (level: 'info' | 'warn' | 'error', message: string) => port.postMessage({ log: message, level } satisfies WorkerReply);

// The shell parser (WebAssembly) loads before the first request is read, so RUN-body rules are there from the
// first lint on.
const ready = (workerData as { shellParser?: boolean } | undefined)?.shellParser === false ? Promise.resolve() : prepareLint();

port.on('message', (req: WorkerRequest) => {
  void ready.then(() => {
    let reply: WorkerReply;
    try {
      const method = service[req.method as WorkerMethod] as (p: unknown) => unknown;
      reply = { id: req.id, result: method.call(service, req.params) };
    } catch (e) {
      const unknown = e instanceof UnknownVersionError;
      if (!unknown) log('error', `${req.method} failed: ${(e as Error)?.stack ?? String(e)}`);
      reply = { id: req.id, error: unknown ? UNKNOWN_VERSION : String((e as Error)?.message ?? e) };
    }
    port.postMessage(reply);
  });
});
