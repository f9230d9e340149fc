/**
 * The language server as an editor meets it: the built dist/server.js started over stdio and driven with LSP
 * messages (test/support/languageServer.ts). Measures what users wait for: fix-all and Ctrl+. on a 4,000-line
 * Dockerfile, the first diagnostics of 1, 4 and 10 MB Dockerfiles (the slope shows whether work grows with the
 * file), a small document's diagnostics while the 10 MB one is being linted, and whether any publication is
 * already stale when it arrives while someone types at 250 ms per key.
 *
 * Needs `npm run build` first (the bench uses dist/, as the extension does).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LanguageServer, SERVER_JS } from '../test/support/languageServer';
import { largeFile } from './corpus';
import { Suite, Table } from './harness';

const ms = (n: number) => `${n.toFixed(0)} ms`;
const DIR = path.join(os.tmpdir(), 'dockwise-server-bench');
const uriOf = (name: string) => `file://${path.join(DIR, name)}`;

/** A Dockerfile of about `mb` megabytes made from the corpus. */
function dockerfileOf(mb: number): string {
  const perLine = largeFile(4000).text.length / 4000;
  return largeFile(Math.round((mb * 1048576) / perLine)).text;
}

/** CPU time (user + system, all threads) a process has used so far, in ms; from /proc, so Linux only. */
function cpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** The median of `n` runs of `fn`, in ms (fewer when they take long: the median of what 30 s allowed). */
async function median(n: number, fn: () => Promise<number>): Promise<number> {
  const xs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n && (i === 0 || performance.now() - started < 30_000); i++) xs.push(await fn());
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
}

/**
 * A 4,000-line Dockerfile whose fix-all has work to do: 800 stages, each with an `ADD` of a plain file that the
 * build context holds (so COPY is provably the same: a safe fix). Under the rules' precision, the corpus file has
 * no fix safe enough to apply unseen.
 */
function safeFixesFile(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'app.py'), 'print("hello")\n');
  return Array.from({ length: 800 }, (_, k) => `FROM debian:bookworm-slim AS s${k}\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10\nADD app.py /app/app.py\nUSER 1000\nCMD ["python3", "/app/app.py"]\n`).join('');
}

/** Fix-all (source.fixAll.dockwise) as an editor asks for it on save, after the diagnostics are in: median time and edits. */
async function fixAllOn(s: LanguageServer, uri: string, text: string): Promise<{ ms: number; edits: number; diagnostics: number; diag: { range: unknown; code?: unknown } }> {
  s.open(uri, 'dockerfile', text);
  const published = await s.diagnostics(uri, (p) => p.version === 1);
  const diag = published.diagnostics.find((d) => d.code === 'chain-run') ?? published.diagnostics.find((d) => d.code)!;
  let edits = 0;
  const t = await median(5, async () => {
    const t0 = performance.now();
    const actions = await s.codeActions({ textDocument: { uri }, range: diag.range, context: { diagnostics: [], only: ['source.fixAll.dockwise'] } });
    const took = performance.now() - t0;
    edits = actions.reduce((n, a) => n + Object.values((a as { edit?: { changes?: Record<string, unknown[]> } }).edit?.changes ?? {}).reduce((m, e) => m + e.length, 0), 0);
    return took;
  });
  return { ms: t, edits, diagnostics: published.diagnostics.length, diag };
}

/** Fix-all and quick fixes on 4,000-line Dockerfiles, after their diagnostics are in. */
async function fixes(): Promise<Table> {
  const s = await LanguageServer.start({ trusted: false });
  try {
    const text = largeFile(4000).text;
    const uri = uriOf('fixes/Dockerfile');
    const corpus = await fixAllOn(s, uri, text);
    const fixable = await fixAllOn(s, uriOf('fixes-safe/Dockerfile'), safeFixesFile(path.join(DIR, 'fixes-safe')));
    const diag = corpus.diag as Parameters<LanguageServer['codeActions']>[0]['context']['diagnostics'][number];
    const quick = await median(9, async () => {
      const t0 = performance.now();
      await s.codeActions({ textDocument: { uri }, range: diag.range, context: { diagnostics: [diag], triggerKind: 1 } });
      return performance.now() - t0;
    });
    const kindAction = (await s.codeActions({ textDocument: { uri }, range: diag.range, context: { diagnostics: [diag], triggerKind: 1 } })).find((a) => a.title.startsWith('Fix all'));
    const resolve = kindAction
      ? await median(3, async () => {
        const t0 = performance.now();
        await s.resolve(kindAction);
        return performance.now() - t0;
      })
      : NaN;
    return {
      title: 'Fixes on 4,000-line Dockerfiles, through the server (median)',
      columns: ['request', 'time', 'target'],
      rows: [
        [`source.fixAll.dockwise (fix all), 800 safe fixes (${fixable.edits} edits)`, ms(fixable.ms), '< 200 ms'],
        [`source.fixAll.dockwise (fix all), corpus file (${corpus.diagnostics} diagnostics published, ${corpus.edits} edits: none safe)`, ms(corpus.ms), '< 200 ms'],
        ['Ctrl+. on one finding of the corpus file (quick fixes, ignore comments, learn why)', ms(quick), ''],
        [`resolve "${kindAction?.title ?? 'fix all of a kind'}"`, Number.isNaN(resolve) ? 'not offered' : ms(resolve), ''],
      ],
      notes: ['Fix-all starts from the findings the server already published (no second lint of the same text); how fast the fixes themselves are is the fix engine\'s part.'],
    };
  } finally {
    await s.stop();
  }
}

/** First diagnostics by size; for 10 MB, a small document opened meanwhile. */
async function largeFiles(): Promise<Table[]> {
  const slope: Table = {
    title: 'First diagnostics of a large Dockerfile through the server (from didOpen to the first publication)',
    columns: ['size', 'lines', 'first diagnostics', 'per MB', 'server CPU', 'CPU per MB', 'diagnostics'],
    rows: [],
    notes: [],
  };
  const meanwhile: Table = {
    title: 'A small Dockerfile opened while the 10 MB one is being linted',
    columns: ['measure', 'time', 'target'],
    rows: [],
  };
  for (const mb of [1, 4, 10]) {
    const text = dockerfileOf(mb);
    const s = await LanguageServer.start({ trusted: false });
    try {
      // Let the threads start, as they do while an editor opens.
      await new Promise((r) => setTimeout(r, 1500));
      const uri = uriOf(`large-${mb}/Dockerfile`);
      const cpu0 = cpuMs(s.child.pid!);
      const t0 = performance.now();
      s.open(uri, 'dockerfile', text);
      let small: number | undefined;
      if (mb === 10) {
        await new Promise((r) => setTimeout(r, 500));
        const smallUri = uriOf('small/Dockerfile');
        const t1 = performance.now();
        s.open(smallUri, 'dockerfile', 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n');
        const p = await s.diagnostics(smallUri);
        small = p.at - t1;
      }
      const first = await s.diagnostics(uri, () => true, 600_000);
      const took = first.at - t0;
      const cpu = cpuMs(s.child.pid!) - cpu0;
      slope.rows.push([`${mb} MB`, text.split('\n').length - 1, ms(took), ms(took / mb), ms(cpu), ms(cpu / mb), first.diagnostics.length]);
      if (small !== undefined) {
        const bigStillRunning = small < took;
        meanwhile.rows.push(['10 MB Dockerfile: first diagnostics', ms(took), '< 10 s'], ['small Dockerfile: first diagnostics, while the 10 MB lint runs', `${ms(small)}${bigStillRunning ? '' : ' (the large lint had finished)'}`, '< 100 ms']);
      }
    } finally {
      await s.stop();
    }
  }
  slope.notes!.push('Linear work shows as a flat "per MB" column. Server CPU (all its threads, from /proc) is the figure a busy machine disturbs least; for 10 MB it includes the small document\'s lint.');
  return [slope, meanwhile];
}

/** Typing at 250 ms per key in a 4,000-line Dockerfile: publications that were stale on arrival. */
async function typing(): Promise<Table> {
  const s = await LanguageServer.start({ trusted: true });
  try {
    const text = largeFile(4000).text;
    const uri = uriOf('typing/Dockerfile');
    s.open(uri, 'dockerfile', text);
    await s.diagnostics(uri, (p) => p.version === 1);
    const before = s.published.length;
    const keys = 40;
    const line = text.split('\n').findIndex((l) => l.startsWith('RUN '));
    const word = 'echo typing && ';
    for (let k = 0; k < keys; k++) {
      s.type(uri, { line, character: 4 + k }, word[k % word.length]);
      await new Promise((r) => setTimeout(r, 250));
    }
    const last = s.version(uri);
    await s.diagnostics(uri, (p) => p.version === last, 60_000, before);
    // ShellCheck's publication for the last version, if it comes, may follow.
    await new Promise((r) => setTimeout(r, 3000));
    const during = s.published.slice(before).filter((p) => p.uri === uri);
    const stale = during.filter((p) => p.version !== undefined && p.version < p.clientVersion);
    return {
      title: 'Typing at 250 ms per key in the 4,000-line Dockerfile (40 keys, ShellCheck on)',
      columns: ['publications', 'stale on arrival', 'last version published'],
      rows: [[during.length, stale.length, `${during.at(-1)?.version} of ${last}`]],
      notes: ['Stale: the document had a newer version when the publication arrived. Target: none.'],
    };
  } finally {
    await s.stop();
  }
}

export const serverSuite: Suite = {
  name: 'server',
  async run(): Promise<Table[]> {
    if (!fs.existsSync(SERVER_JS)) throw new Error(`${SERVER_JS} is missing: run npm run build first`);
    fs.mkdirSync(DIR, { recursive: true });
    const only = process.env.DOCKWISE_BENCH_SERVER?.split(',');
    const out: Table[] = [];
    if (!only || only.includes('typing')) out.push(await typing());
    if (!only || only.includes('large')) out.push(...(await largeFiles()));
    if (!only || only.includes('fixes')) out.push(await fixes());
    return out;
  },
};
