/**
 * Building an image from a Dockerfile through the Engine API (`POST /build`, the builder every daemon offers over
 * plain HTTP; docs/build-from-the-editor.md says why not BuildKit's session protocol): the build context packed as
 * the docker CLI packs it (`.dockerignore` applied, the Dockerfile and `.dockerignore` always sent), the daemon's
 * JSON stream read into steps, log lines and an outcome that says which step failed and what it printed last.
 * Nothing here goes through a shell; no `vscode`.
 */
import ignore from '@balena/dockerignore';
import type Dockerode from 'dockerode';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-fs';

/** Directories a build context almost never needs: each one found in a context is a lesson about .dockerignore. */
export const USUALLY_IGNORED = ['node_modules', '.git', '.venv', 'venv', '__pycache__', '.tox', 'target', 'dist', 'build', '.next', 'coverage', '.terraform'];

export interface ContextScan {
  root: string;
  /** The Dockerfile's path inside the context, with forward slashes (the API's `dockerfile` parameter). */
  dockerfile: string;
  /** Which ignore file applied, relative to the context, if any. */
  ignoreFile?: string;
  files: number;
  bytes: number;
  /** Every path that goes into the archive (files, links and directories), relative with forward slashes. */
  entries: Set<string>;
  /** Size per top-level entry of the context, largest first: where a big context comes from. */
  topLevel: { name: string; bytes: number; directory: boolean }[];
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/**
 * What the docker CLI would send as the build context of `root` for `dockerfilePath`: `<Dockerfile>.dockerignore`
 * beside the Dockerfile wins over the context's `.dockerignore` (as BuildKit), and neither file can exclude the
 * Dockerfile or `.dockerignore` itself. Symbolic links are sent as links, never followed.
 */
export async function scanContext(root: string, dockerfilePath: string, signal?: AbortSignal): Promise<ContextScan> {
  const dockerfile = toPosix(path.relative(root, dockerfilePath));
  if (!dockerfile || dockerfile.startsWith('../') || path.isAbsolute(dockerfile)) throw new Error(`The Dockerfile ${dockerfilePath} is outside the build context ${root}.`);
  let ignoreFile: string | undefined;
  let patterns: string[] = [];
  for (const candidate of [`${dockerfilePath}.dockerignore`, path.join(root, '.dockerignore')]) {
    const text = await fsp.readFile(candidate, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    ignoreFile = toPosix(path.relative(root, candidate));
    patterns = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    break;
  }
  const ig = ignore({ ignorecase: false }).add([...patterns, `!${dockerfile}`, '!.dockerignore']);
  const negations = patterns.some((p) => p.startsWith('!'));
  const entries = new Set<string>();
  const top = new Map<string, { bytes: number; directory: boolean }>();
  let files = 0;
  let bytes = 0;

  /** Walks `dir`; returns whether anything under it is kept (a directory is sent when it or something in it is). */
  const walk = async (dir: string): Promise<boolean> => {
    if (signal?.aborted) throw new Error('cancelled');
    let kept = false;
    const children = await fsp.readdir(path.join(root, dir), { withFileTypes: true });
    for (const child of children) {
      const rel = dir ? `${dir}/${child.name}` : child.name;
      const ignored = ig.ignores(rel);
      if (child.isDirectory()) {
        // Docker skips an ignored directory unless a `!` pattern may bring back something inside it.
        if (ignored && !negations) continue;
        const inside = await walk(rel);
        if (!ignored || inside) {
          entries.add(rel);
          kept = true;
        }
        if (!dir) top.set(child.name, { bytes: top.get(child.name)?.bytes ?? 0, directory: true });
        continue;
      }
      if (ignored || !(child.isFile() || child.isSymbolicLink())) continue;
      const size = child.isFile() ? (await fsp.lstat(path.join(root, rel))).size : 0;
      entries.add(rel);
      files++;
      bytes += size;
      const head = rel.split('/')[0];
      top.set(head, { bytes: (top.get(head)?.bytes ?? 0) + size, directory: head !== rel });
      kept = true;
    }
    return kept;
  };
  await walk('');
  const topLevel = [...top].map(([name, v]) => ({ name, ...v })).filter((t) => t.bytes > 0 || t.directory).sort((a, b) => b.bytes - a.bytes);
  return { root, dockerfile, ignoreFile, files, bytes, entries, topLevel };
}

/** The scanned context as a tar stream: only the kept entries, owned by root as the docker CLI sends them. */
export function packContext(scan: ContextScan): Readable {
  return tar.pack(scan.root, {
    ignore: (name) => {
      const rel = toPosix(path.relative(scan.root, name));
      return rel !== '' && !scan.entries.has(rel);
    },
    map: (header) => {
      header.uid = 0;
      header.gid = 0;
      return header;
    },
  });
}

/** One message of the daemon's build stream (classic builder). */
interface BuildMessage {
  stream?: string;
  status?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  id?: string;
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: { ID?: string };
}

export interface BuildStep {
  /** 1-based, as the builder counts: every instruction, ARGs before the first FROM included. */
  index: number;
  total: number;
  /** The instruction as the builder printed it (`RUN echo hi`). */
  instruction: string;
}

export type BuildOutcome =
  | { ok: true; imageId: string; steps: number }
  | { ok: false; cancelled: boolean; error: string; step?: BuildStep; lastLines: string[] };

export interface BuildOptions {
  contextDir: string;
  dockerfilePath: string;
  tag: string;
  signal?: AbortSignal;
  /** Called once the context is known, before it is sent. */
  onContext?: (scan: ContextScan) => void;
  onStep?: (step: BuildStep) => void;
  /** Every line the build prints, as the docker CLI shows it. */
  onLine?: (line: string) => void;
}

const STEP = /^Step (\d+)\/(\d+) : (.*)$/;
/** Builder chatter that says nothing about what the step itself printed. */
const CHATTER = /^ ---> |^Removing intermediate container |^Successfully (built|tagged) |^Sending build context/;
const LAST_LINES = 12;
/** Terminal colour codes the builder wraps stderr in (`\x1b[91m…\x1b[0m`): output channels and diagnostics show text. */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/** Reads a build's JSON stream into steps and an outcome; separate from the HTTP call so it can be tested alone. */
export class BuildStreamReader {
  step: BuildStep | undefined;
  imageId: string | undefined;
  error: string | undefined;
  private tail: string[] = [];
  private partial = '';

  constructor(private readonly opts: Pick<BuildOptions, 'onStep' | 'onLine'> = {}) {}

  accept(m: BuildMessage): void {
    if (m.aux?.ID) this.imageId = m.aux.ID;
    if (m.error || m.errorDetail?.message) {
      this.flush();
      this.error = (m.errorDetail?.message ?? m.error ?? '').trim();
      this.opts.onLine?.(`ERROR: ${this.error}`);
      return;
    }
    // A base image being pulled reports each layer's progress many times a second: the log keeps the steps only.
    if (!m.stream && (m.progress || m.progressDetail?.total)) return;
    const text = m.stream ?? (m.status ? `${m.id ? `${m.id}: ` : ''}${m.status}\n` : '');
    if (!text) return;
    // Output arrives in chunks that need not end at a line break; a carriage return redraws a progress line.
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) this.line(raw);
  }

  flush(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  /** What the current step printed last, without the builder's own bookkeeping lines. */
  get lastLines(): string[] {
    return [...this.tail];
  }

  private line(raw: string): void {
    const line = (raw.split('\r').pop() ?? '').replace(ANSI, '');
    this.opts.onLine?.(line);
    const step = STEP.exec(line);
    if (step) {
      this.step = { index: Number(step[1]), total: Number(step[2]), instruction: step[3] };
      this.tail = [];
      this.opts.onStep?.(this.step);
      return;
    }
    if (CHATTER.test(line) || !line.trim()) return;
    this.tail.push(line);
    if (this.tail.length > LAST_LINES) this.tail.shift();
  }
}

/**
 * Builds `tag` from the context through the daemon's API and reports what happened. Aborting `signal` stops the
 * upload or the build (the daemon cancels a build whose client goes away) and resolves as cancelled.
 */
export async function buildImage(docker: Dockerode, opts: BuildOptions): Promise<BuildOutcome & { context: ContextScan }> {
  const context = await scanContext(opts.contextDir, opts.dockerfilePath, opts.signal).catch((e: Error) => {
    throw opts.signal?.aborted ? Object.assign(new Error('cancelled'), { cancelled: true }) : e;
  });
  opts.onContext?.(context);
  const reader = new BuildStreamReader(opts);
  const cancelled = () => ({ ok: false as const, cancelled: true, error: 'The build was cancelled.', step: reader.step, lastLines: reader.lastLines, context });
  if (opts.signal?.aborted) return cancelled();
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(packContext(context) as unknown as NodeJS.ReadableStream, {
      t: opts.tag,
      dockerfile: context.dockerfile,
      rm: true,
      forcerm: true,
      abortSignal: opts.signal,
    } as Dockerode.ImageBuildOptions);
  } catch (e) {
    if (opts.signal?.aborted) return cancelled();
    return { ok: false, cancelled: false, error: (e as Error).message, lastLines: [], context };
  }
  await new Promise<void>((resolve) => {
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    // Aborting the request ends the stream without an error event on some Node versions: settle on either.
    const onAbort = () => {
      (stream as Readable).destroy?.();
      done();
    };
    opts.signal?.addEventListener('abort', onAbort);
    docker.modem.followProgress(stream, (err) => {
      if (err && !opts.signal?.aborted) reader.error ??= (err as Error).message;
      done();
    }, (m: BuildMessage) => reader.accept(m));
  });
  reader.flush();
  if (opts.signal?.aborted) return cancelled();
  if (reader.error || !reader.imageId) {
    return { ok: false, cancelled: false, error: reader.error ?? 'The daemon ended the build without an image.', step: reader.step, lastLines: reader.lastLines, context };
  }
  return { ok: true, imageId: reader.imageId, steps: reader.step?.total ?? 0, context };
}
