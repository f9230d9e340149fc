/**
 * One file on the command line, as pre-commit hooks run linters: the whole process, from start to exit, for
 * `dockwise lint` (the built dist/cli.js, its code cache warmed by a first run) beside dockerfile-utils' CLI on a Dockerfile and dclint's on a compose
 * file. Interleaved runs, median and fastest wall time, and CPU time (user + system) from the child's resource usage.
 *
 * Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Suite, Table } from './harness';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const DOCKERFILE = path.join(ROOT, 'bench', 'corpus', 'python-web.Dockerfile');
const COMPOSE_SOURCE = path.join(ROOT, 'bench', 'corpus', 'compose', '02-todo-node-postgres.yaml');

interface Command {
  name: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** Wall time of a child process, in ms, and its CPU time from /usr/bin/time when there is one. */
function runOnce(c: Command): { wall: number; cpu: number } {
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const t0 = performance.now();
  const r = timeBin
    ? spawnSync(timeBin, ['-f', '%U %S', process.execPath, ...c.args], { cwd: ROOT, encoding: 'utf8', env: c.env })
    : spawnSync(process.execPath, c.args, { cwd: ROOT, encoding: 'utf8', env: c.env });
  const wall = performance.now() - t0;
  const last = (r.stderr ?? '').trim().split('\n').pop() ?? '';
  const [user, sys] = last.split(' ').map(Number);
  return { wall, cpu: timeBin && Number.isFinite(user) ? (user + sys) * 1000 : NaN };
}

const ms = (n: number) => (Number.isNaN(n) ? '—' : `${n.toFixed(0)} ms`);

export const cliSuite: Suite = {
  name: 'cli',
  async run(): Promise<Table[]> {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    // A compose file by a name both tools accept.
    const composeDir = path.join(ROOT, 'bench', 'corpus', 'generated', 'cli');
    fs.mkdirSync(composeDir, { recursive: true });
    const compose = path.join(composeDir, 'compose.yaml');
    fs.copyFileSync(COMPOSE_SOURCE, compose);
    // Dockwise's cache folder (code cache, ShellCheck's results) of the benchmark's own, warmed by the first round.
    const env = { ...process.env, XDG_CACHE_HOME: path.join(ROOT, 'bench', 'corpus', 'generated', 'cli-cache') };
    fs.rmSync(env.XDG_CACHE_HOME, { recursive: true, force: true });
    const commands: Command[] = [
      { name: 'node -e 0 (start-up alone)', args: ['-e', '0'] },
      { name: 'dockwise lint Dockerfile (ShellCheck\'s results kept from a run before)', args: [CLI, 'lint', DOCKERFILE], env },
      { name: 'dockwise lint --no-cache Dockerfile (ShellCheck runs)', args: [CLI, 'lint', '--no-cache', DOCKERFILE], env },
      { name: 'dockwise lint --no-shellcheck Dockerfile', args: [CLI, 'lint', '--no-shellcheck', DOCKERFILE], env },
      // Every run compiling the bundle, as the first run after an install or an update does.
      { name: 'dockwise lint --no-shellcheck Dockerfile, no code cache', args: [CLI, 'lint', '--no-shellcheck', DOCKERFILE], env: { ...env, NODE_DISABLE_COMPILE_CACHE: '1' } },
      { name: 'dockerfile-utils lint Dockerfile', args: [path.join(ROOT, 'node_modules', 'dockerfile-utils', 'bin', 'dockerfile-utils'), 'lint', DOCKERFILE] },
      { name: 'dockwise lint compose.yaml', args: [CLI, 'lint', compose], env },
      { name: 'dclint compose.yaml', args: [path.join(ROOT, 'node_modules', 'dclint', 'bin', 'dclint.cjs'), compose] },
    ];
    const samples = commands.map(() => [] as { wall: number; cpu: number }[]);
    for (const c of commands) runOnce(c); // warm the file cache
    for (let i = 0; i < 7; i++) commands.forEach((c, k) => samples[k].push(runOnce(c)));
    const stat = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return { median: s[Math.floor(s.length / 2)], min: s[0] };
    };
    const rows = commands.map((c, k) => {
      const wall = stat(samples[k].map((x) => x.wall));
      const cpu = stat(samples[k].map((x) => x.cpu));
      return { name: c.name, wall, cpu };
    });
    const peer = (name: string) => rows.find((r) => r.name.startsWith(name))!;
    const ratio = (a: { median: number }, b: { median: number }) => `${(a.median / b.median).toFixed(2)}×`;
    return [{
      title: 'One file on the command line (whole process; 7 interleaved runs)',
      columns: ['command', 'median', 'fastest', 'CPU (median)', 'vs peer (median wall)'],
      rows: rows.map((r) => [
        r.name, ms(r.wall.median), ms(r.wall.min), ms(r.cpu.median),
        r.name.startsWith('dockwise lint compose') ? ratio(r.wall, peer('dclint').wall) : r.name.startsWith('dockwise lint') ? ratio(r.wall, peer('dockerfile-utils').wall) : '',
      ]),
      notes: [
        'Target: dockwise lint on one Dockerfile within 0.3 s on an idle machine. The start-up row is Node alone: what no CLI can go below.',
        'ShellCheck (when on PATH) is a process of its own; a RUN body it has checked before, with the same ShellCheck and settings, is not checked again (--no-cache checks every one).',
      ],
    }];
  },
};
