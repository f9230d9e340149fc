import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyOfBuiltCli } from '../../support/builtCli';

const FAKE = path.join(__dirname, '..', '..', 'fixtures', 'shellcheck', 'fake-shellcheck.js');

describe('dockwise lint keeps ShellCheck\'s results between runs', function () {
  this.timeout(60_000);
  this.slow(5_000);

  it('checks a RUN body once, again after --no-cache, and again when what ShellCheck reads changes', function () {
    if (process.platform === 'win32') this.skip();
    const dist = copyOfBuiltCli();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-sc-results-'));
    // `shellcheck` on PATH is the stand-in, which logs each run's files.
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(FAKE, path.join(bin, 'shellcheck'));
    const log = path.join(dir, 'runs.log');
    const dockerfile = path.join(dir, 'Dockerfile');
    fs.writeFileSync(dockerfile, 'FROM alpine:3.20\nRUN echo $HOME\nRUN ls $PWD\n');
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, XDG_CACHE_HOME: path.join(dir, 'cache'), FAKE_SHELLCHECK_LOG: log };
    const lint = (extra: string[] = [], more: NodeJS.ProcessEnv = {}) => {
      const r = spawnSync(process.execPath, [path.join(dist, 'cli.js'), 'lint', '--format', 'json', ...extra, dockerfile], { env: { ...env, ...more }, encoding: 'utf8' });
      assert.equal(r.stderr, '');
      return (JSON.parse(r.stdout) as { code: string; aliases: string[]; line: number }[]).filter((f) => f.code === 'shellcheck').map((f) => `${f.aliases[0]}:${f.line}`);
    };
    /** The files of each ShellCheck run so far, by name. */
    const runs = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []).map((l) => (JSON.parse(l) as string[]).slice((JSON.parse(l) as string[]).indexOf('--') + 1).map((f) => path.basename(f)));

    const expected = ['SC2086:2', 'SC2086:3'];
    assert.deepEqual(lint(), expected);
    assert.deepEqual(runs(), [['run0.sh', 'run1.sh']]);
    assert.deepEqual(lint(), expected, 'the same findings from the kept results');
    assert.equal(runs().length, 1, 'no ShellCheck process');
    assert.deepEqual(lint(['--no-cache']), expected);
    assert.equal(runs().length, 2, '--no-cache runs ShellCheck');

    // One body changed: only that one is checked.
    fs.writeFileSync(dockerfile, 'FROM alpine:3.20\nRUN echo $HOME\nRUN ls -l $PWD\n');
    assert.deepEqual(lint(), expected);
    assert.deepEqual(runs().at(-1), ['run0.sh']);
    assert.equal(runs().length, 3);

    assert.deepEqual(lint([], { SHELLCHECK_OPTS: '--enable=all' }), expected);
    assert.deepEqual(runs().at(-1), ['run0.sh', 'run1.sh'], 'other SHELLCHECK_OPTS, other results');
  });
});
