/**
 * Dockwise's compose linter against dclint, on the corpus (bench/corpus/compose) and on one generated 300-service file.
 * Both run the way their CLIs do: from a bundled build, reading the files from disk. Times are medians of warm runs in
 * this process; peak memory and the cold first run come from a fresh child process per tool, so neither pays for the other.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { ratio, Suite, Table, time, us } from './harness';

const ROOT = path.resolve(__dirname, '..');
const CORPUS = path.join(ROOT, 'bench', 'corpus', 'compose');
const WORK = path.join(tmpdir(), 'dockwise-compose-bench');

type Tool = 'dockwise' | 'dclint';

/** The engine bundled as the CLI ships it. */
function bundleEngine(): string {
  const out = path.join(WORK, 'engine.cjs');
  buildSync({ entryPoints: [path.join(ROOT, 'src', 'diagnostics', 'engine.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'error' });
  return out;
}

/** A large but ordinary project: web services, workers and databases, anchors, both port and volume syntaxes. */
export function generateLargeCompose(services: number): string {
  const lines = ['name: big', 'x-defaults: &defaults', '  restart: unless-stopped', '  logging: {driver: json-file, options: {max-size: 10m}}', 'services:'];
  for (let i = 0; i < services; i++) {
    const kind = i % 3;
    // Every fifth service merges the defaults: dclint refuses files with more than 100 alias uses.
    lines.push(`  svc${i}:`, ...(i % 5 === 0 ? ['    <<: *defaults'] : ['    restart: unless-stopped']));
    if (kind === 0) {
      lines.push(`    image: ghcr.io/acme/web${i}:1.${i}.0`, '    ports:', `      - "${10000 + i}:8080"`, `      - target: 9000`, `        published: "${20000 + i}"`);
      lines.push('    environment:', `      SERVICE_NAME: web${i}`, '      DB_PASSWORD: ${DB_PASSWORD}', `      LOG_LEVEL: info`);
      lines.push('    healthcheck:', '      test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]', '      interval: 10s');
      lines.push(`    depends_on:`, `      svc${i + 2}:`, '        condition: service_started');
    } else if (kind === 1) {
      lines.push(`    image: ghcr.io/acme/worker${i}${i % 10 === 1 ? '' : ':2.0.1'}`, '    command: ["worker", "--queue", "default"]', `    volumes:`, `      - ./data/${i}:/data`, '      - type: volume', `        source: shared`, '        target: /shared');
      lines.push('    deploy:', '      resources:', '        limits: {cpus: "0.5", memory: 256M}');
    } else {
      lines.push(`    image: postgres:16.${i % 4}`, '    environment:', `      POSTGRES_DB: db${i}`, '      POSTGRES_PASSWORD_FILE: /run/secrets/db', '    secrets: [db]', `    volumes: ["pg${i}:/var/lib/postgresql/data"]`);
      lines.push('    healthcheck: {test: ["CMD", "pg_isready"], interval: 5s}');
    }
  }
  lines.push('volumes:', '  shared: {}');
  for (let i = 2; i < services; i += 3) lines.push(`  pg${i}: {}`);
  lines.push('secrets:', '  db: {file: ./db.txt}');
  return lines.join('\n') + '\n';
}

/** Runs one cold pass in a fresh process and reports its time and memory. */
const WORKER = `
const [tool, engine, ...files] = process.argv.slice(2);
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');
let run;
if (tool === 'dockwise') {
  const { lint } = require(engine);
  run = () => files.map((f) => lint({ text: fs.readFileSync(f, 'utf8'), kind: 'compose', filePath: f }).length);
} else {
  const { DCLinter } = require('dclint');
  const linter = new DCLinter({ rules: {}, quiet: true, debug: false, exclude: [] });
  run = () => linter.lintFiles(files, false).map((r) => r.messages.length);
}
global.gc && global.gc();
const before = process.memoryUsage().rss;
const t0 = performance.now();
const counts = run();
const coldMs = performance.now() - t0;
const peak = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ coldMs, growthMb: Math.max(0, peak - before) / 1048576, peakMb: peak / 1048576, findings: counts.reduce((a, b) => a + b, 0) }));
`;

interface Cold {
  coldMs: number;
  growthMb: number;
  peakMb: number;
  findings: number;
}

function coldRun(tool: Tool, engine: string, files: string[]): Cold {
  const worker = path.join(WORK, 'worker.cjs');
  writeFileSync(worker, WORKER);
  const out = execFileSync(process.execPath, ['--expose-gc', worker, tool, engine, ...files], { cwd: ROOT, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') }, maxBuffer: 1 << 20 });
  return JSON.parse(out.toString()) as Cold;
}

async function compare(title: string, files: string[], engine: string, runs: number, note?: string): Promise<Table> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { lint } = require(engine) as typeof import('../src/diagnostics/engine');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DCLinter } = require('dclint') as { DCLinter: new (c: object) => { lintFiles(p: string[], r: boolean): unknown[] } };
  const dclint = new DCLinter({ rules: {}, quiet: true, debug: false, exclude: [] });
  const warm = {
    dockwise: await time(() => files.forEach((f) => lint({ text: readFileSync(f, 'utf8'), kind: 'compose', filePath: f })), runs, 2),
    dclint: await time(() => dclint.lintFiles(files, false), runs, 2),
  };
  const cold = { dockwise: coldRun('dockwise', engine, files), dclint: coldRun('dclint', engine, files) };
  const row = (tool: Tool) => [tool, us(warm[tool].medianUs), us(warm[tool].p90Us), `${cold[tool].coldMs.toFixed(1)} ms`, cold[tool].growthMb.toFixed(1), cold[tool].peakMb.toFixed(1), cold[tool].findings];
  return {
    title,
    columns: ['tool', 'warm median', 'warm p90', 'cold first run', 'peak RSS growth (MB)', 'process peak RSS (MB)', 'findings'],
    rows: [row('dockwise'), row('dclint')],
    notes: [
      `Dockwise is ${ratio(warm.dclint.medianUs, warm.dockwise.medianUs)} faster warm and ${ratio(cold.dclint.coldMs, cold.dockwise.coldMs)} faster cold, with ${ratio(cold.dockwise.growthMb || 0.1, cold.dclint.growthMb || 0.1)} dclint's peak memory growth (${runs} warm runs).`,
      ...(note ? [note] : []),
    ],
  };
}

export const composeSuite: Suite = {
  name: 'compose',
  async run() {
    mkdirSync(WORK, { recursive: true });
    const engine = bundleEngine();
    const corpus = readdirSync(CORPUS)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => path.join(CORPUS, f));
    const large = path.join(WORK, 'compose.yaml');
    writeFileSync(large, generateLargeCompose(300));
    return [
      await compare(
        `compose corpus: ${corpus.length} files`,
        corpus,
        engine,
        10,
        'Findings differ in kind: dclint stops a file at its first schema error, and most of its findings are key-order and quoting style (see docs/compose-vs-dclint.md).',
      ),
      await compare('one compose file with 300 services', [large], engine, 5),
    ];
  },
};
