import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openResultStore, rcCandidates, STORE_FILE, storeIdentity } from '../../../src/diagnostics/shellcheckResultStore';
import type { ScComment } from '../../../src/diagnostics/shellcheckRunner';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const comment = (line: number): ScComment => ({ line, column: 6, endLine: line, endColumn: 8, level: 'info', code: 2086, message: 'Double quote to prevent globbing and word splitting.' });
const ARGS = ['--format=json1', '--shell=DIALECT'];

/** A fake binary and a cache folder; `env` has no rc file in sight. */
function setup() {
  const dir = tmp('dw-store-');
  const binary = path.join(dir, 'shellcheck');
  fs.writeFileSync(binary, 'v1');
  const config = path.join(dir, 'config');
  fs.mkdirSync(config);
  return { dir, binary, cache: path.join(dir, 'cache'), config, env: { XDG_CONFIG_HOME: config } as NodeJS.ProcessEnv };
}

describe('ShellCheck results kept between runs', () => {
  it('keeps a result for the next run, in a file only its user can read', () => {
    const { binary, cache, env } = setup();
    const first = openResultStore(cache, binary, ARGS, env);
    assert.equal(first.get('sh', 'echo $A'), undefined);
    first.set('sh', 'echo $A', [{ ...comment(1), file: '/tmp/x/run0.sh', fix: null } as ScComment]);
    first.save();
    const next = openResultStore(cache, binary, ARGS, env);
    assert.deepEqual(next.get('sh', 'echo $A'), [comment(1)], 'only the fields that are mapped back are kept');
    assert.equal(next.get('bash', 'echo $A'), undefined, 'the dialect is part of the key');
    assert.equal(next.get('sh', 'echo $B'), undefined);
    if (process.platform !== 'win32') {
      assert.equal(fs.statSync(path.join(cache, STORE_FILE)).mode & 0o777, 0o600);
      assert.equal(fs.statSync(cache).mode & 0o777, 0o700);
    }
  });

  it('writes nothing when nothing new was learnt', () => {
    const { binary, cache, env } = setup();
    const store = openResultStore(cache, binary, ARGS, env);
    store.get('sh', 'echo $A');
    store.save();
    assert.equal(fs.existsSync(cache), false);
  });

  it('drops every result when the binary, the arguments, SHELLCHECK_OPTS or an rc file ShellCheck reads changes', () => {
    const { dir, binary, cache, config, env } = setup();
    const kept = (e: NodeJS.ProcessEnv = env, args = ARGS) => openResultStore(cache, binary, args, e).get('sh', 'echo $A') !== undefined;
    const learn = () => {
      const s = openResultStore(cache, binary, ARGS, env);
      s.set('sh', 'echo $A', [comment(1)]);
      s.save();
      assert.ok(kept());
    };
    learn();
    assert.equal(kept({ ...env, SHELLCHECK_OPTS: '--enable=all' }), false, 'SHELLCHECK_OPTS');
    assert.equal(kept(env, [...ARGS, '--severity=error']), false, 'arguments');
    // An rc file where ShellCheck would find it: beside the scripts' folder, or in the XDG config folder.
    fs.writeFileSync(path.join(config, 'shellcheckrc'), 'disable=SC2086\n');
    assert.equal(kept(), false, 'a new rc file');
    learn();
    fs.writeFileSync(path.join(config, 'shellcheckrc'), 'disable=SC2086,SC2046\n');
    assert.equal(kept(), false, 'an rc file that changed');
    learn();
    fs.writeFileSync(binary, 'version 2');
    assert.equal(kept(), false, 'another ShellCheck');
    learn();
    const scripts = path.join(dir, 'tmp', 'scripts');
    fs.mkdirSync(scripts, { recursive: true });
    const before = storeIdentity(binary, ARGS, env, scripts);
    fs.writeFileSync(path.join(dir, 'tmp', '.shellcheckrc'), 'disable=SC2086\n');
    assert.notEqual(storeIdentity(binary, ARGS, env, scripts), before, 'an rc file in a parent of the scripts\' folder');
  });

  it('looks for rc files where ShellCheck does: the folder, each parent, home, then the XDG or %APPDATA% one', () => {
    const home = os.homedir();
    assert.deepEqual(rcCandidates('/var/tmp', { XDG_CONFIG_HOME: '/cfg' }, 'linux'), [
      '/var/tmp/.shellcheckrc', '/var/tmp/shellcheckrc', '/var/.shellcheckrc', '/var/shellcheckrc', '/.shellcheckrc', '/shellcheckrc',
      path.posix.join(home, '.shellcheckrc'), '/cfg/shellcheckrc',
    ]);
    assert.equal(rcCandidates('/tmp', {}, 'linux').at(-1), path.posix.join(home, '.config', 'shellcheckrc'));
    assert.equal(rcCandidates('C:\\Temp', { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32').at(-1), 'C:\\Users\\me\\AppData\\Roaming\\shellcheckrc');
  });

  it('takes a damaged, foreign or missing file as empty, and replaces it', () => {
    const { binary, cache, env } = setup();
    fs.mkdirSync(cache);
    const file = path.join(cache, STORE_FILE);
    const identity = storeIdentity(binary, ARGS, env)!;
    for (const bad of ['{"identity":', '[]', 'null', JSON.stringify({ identity, entries: [['sh', 'echo $A', [{ line: 'x' }]]] }), JSON.stringify({ identity: 'other', entries: [['sh', 'echo $A', []]] })]) {
      fs.writeFileSync(file, bad);
      const store = openResultStore(cache, binary, ARGS, env);
      assert.equal(store.get('sh', 'echo $A'), undefined, bad);
      store.set('sh', 'echo $B', []);
      store.save();
      assert.deepEqual(openResultStore(cache, binary, ARGS, env).get('sh', 'echo $B'), []);
    }
  });

  it('has no store without a binary it can stat, and never throws where it cannot write', () => {
    const { dir, binary, env } = setup();
    const none = openResultStore(path.join(dir, 'c1'), path.join(dir, 'missing'), ARGS, env);
    none.set('sh', 'echo $A', []);
    none.save();
    assert.equal(fs.existsSync(path.join(dir, 'c1')), false);
    const blocked = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    const store = openResultStore(path.join(blocked, 'cache'), binary, ARGS, env);
    store.set('sh', 'echo $A', []);
    assert.doesNotThrow(() => store.save());
  });

  it('keeps the results this run used first, within its limit', () => {
    const { binary, cache, env } = setup();
    const first = openResultStore(cache, binary, ARGS, env);
    for (let i = 0; i < 2100; i++) first.set('sh', `echo ${i}`, []);
    first.save();
    const second = openResultStore(cache, binary, ARGS, env);
    assert.equal(second.get('sh', 'echo 2099'), undefined, 'at most 2,000 results');
    assert.deepEqual(second.get('sh', 'echo 0'), []);
    second.set('sh', 'echo new', []);
    second.save();
    const entries = (JSON.parse(fs.readFileSync(path.join(cache, STORE_FILE), 'utf8')) as { entries: [string, string][] }).entries;
    assert.deepEqual(entries.slice(0, 2).map((e) => e[1]), ['echo 0', 'echo new']);
    assert.equal(entries.length, 2000);
  });
});
