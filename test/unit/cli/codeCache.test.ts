import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { userCacheDir } from '../../../src/cli/cacheDir';
import { loadWithCodeCache } from '../../../src/cli/codeCache';
import { copyOfBuiltCli } from '../../support/builtCli';

const root = path.resolve(__dirname, '../../..');
const mkdtemp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** A bundle-like CommonJS file with a helper beside it, and its cache folder. */
function fixture(body = 'module.exports = { answer: require("./helper.js").n * 2, file: __filename, dir: __dirname, main: require.main === module };') {
  const dir = mkdtemp('dw-codecache-');
  fs.writeFileSync(path.join(dir, 'helper.js'), 'exports.n = 21;\n');
  const file = path.join(dir, 'bundle.js');
  fs.writeFileSync(file, `#!/usr/bin/env node\n${body}\n`);
  return { dir, file, cacheDir: path.join(dir, 'cache') };
}

/**
 * Loads in a fresh process, as each `dockwise` run is one: within one process V8 keeps compiled scripts in memory
 * and does not look at the cached data again. Saves the cache, as the CLI does at exit.
 */
function load(file: string, cacheDir: string | undefined): { exports: unknown; cache: string } {
  const code = `const { loadWithCodeCache } = require(${JSON.stringify(path.join(root, 'src', 'cli', 'codeCache.ts'))});
    const l = loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
    l.save();
    process.stdout.write(JSON.stringify({ exports: l.exports, cache: l.cache }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { exports: unknown; cache: string };
}

describe('the CLI loaded through V8\'s code cache', function () {
  this.timeout(30_000);

  it('runs the file as CommonJS (require beside it, __filename, __dirname, a #! line), then from its cache', () => {
    const { dir, file, cacheDir } = fixture();
    const first = load(file, cacheDir);
    assert.deepEqual(first.exports, { answer: 42, file, dir, main: false });
    assert.equal(first.cache, 'none');
    assert.equal(fs.readdirSync(cacheDir).length, 1);
    const second = load(file, cacheDir);
    assert.equal(second.cache, 'used');
    assert.deepEqual(second.exports, first.exports);
  });

  it('never runs the cache of an earlier build, even one of the same length, and drops it', async () => {
    const { file, cacheDir } = fixture('module.exports = "build 1";');
    assert.equal(load(file, cacheDir).exports, 'build 1');
    const [oldCache] = fs.readdirSync(cacheDir);
    await new Promise((r) => setTimeout(r, 5)); // a later modification time, as a rebuild has
    fs.writeFileSync(file, '#!/usr/bin/env node\nmodule.exports = "build 2";\n');
    const two = load(file, cacheDir);
    assert.equal(two.exports, 'build 2');
    assert.equal(two.cache, 'none');
    assert.equal(fs.readdirSync(cacheDir).length, 1);
    assert.notEqual(fs.readdirSync(cacheDir)[0], oldCache);
  });

  it('takes a damaged cache as no cache, and writes a good one', () => {
    const { file, cacheDir } = fixture();
    load(file, cacheDir);
    const [name] = fs.readdirSync(cacheDir);
    fs.writeFileSync(path.join(cacheDir, name), Buffer.from('not V8 cached data at all'));
    const damaged = load(file, cacheDir);
    assert.equal(damaged.cache, 'rejected');
    assert.equal((damaged.exports as { answer: number }).answer, 42);
    assert.equal(load(file, cacheDir).cache, 'used');
  });

  it('runs without a cache where none can be written', () => {
    const { dir, file } = fixture();
    const blocked = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    const loaded = loadWithCodeCache(file, path.join(blocked, 'cache'));
    assert.equal((loaded.exports as { answer: number }).answer, 42);
    assert.doesNotThrow(() => loaded.save());
    assert.equal(load(file, undefined).cache, 'none');
  });

  it('keeps the cache in the user\'s cache folder, never the shared temporary one', () => {
    const home = os.homedir();
    assert.equal(userCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }, 'linux'), '/var/cache/me/dockwise');
    assert.equal(userCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux'), path.posix.join(home, '.cache', 'dockwise'));
    assert.equal(userCacheDir({}, 'darwin'), path.posix.join(home, 'Library', 'Caches', 'dockwise'));
    assert.equal(userCacheDir({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32'), 'C:\\Users\\me\\AppData\\Local\\dockwise\\Cache');
  });

  it('dist/cli.js lints the same with and without its cache, and runs a rebuilt bundle, not its cache', function () {
    this.timeout(60_000);
    this.slow(5_000);
    const dist = copyOfBuiltCli();
    const cacheHome = mkdtemp('dw-cache-home-');
    const env = { ...process.env, XDG_CACHE_HOME: cacheHome };
    const dockerfile = path.join(root, 'samples', 'todo-app', 'Dockerfile');
    const lint = () => spawnSync(process.execPath, [path.join(dist, 'cli.js'), 'lint', '--format', 'json', '--no-shellcheck', dockerfile], { env, encoding: 'utf8' });
    const cold = lint();
    assert.equal(cold.stderr, '');
    assert.ok(JSON.parse(cold.stdout).length > 0, cold.stdout);
    const caches = fs.readdirSync(path.join(cacheHome, 'dockwise'));
    assert.equal(caches.length, 1, caches.join());
    const warm = lint();
    assert.equal(warm.stdout, cold.stdout);
    assert.deepEqual(fs.readdirSync(path.join(cacheHome, 'dockwise')), caches, 'the second run used the cache, so wrote none');

    // Node's own switch for its compile cache turns this one off too.
    const offHome = mkdtemp('dw-cache-off-');
    const off = spawnSync(process.execPath, [path.join(dist, 'cli.js'), 'lint', '--format', 'json', '--no-shellcheck', dockerfile],
      { env: { ...env, XDG_CACHE_HOME: offHome, NODE_DISABLE_COMPILE_CACHE: '1' }, encoding: 'utf8' });
    assert.equal(off.stdout, cold.stdout);
    assert.deepEqual(fs.readdirSync(offHome), [], 'nothing cached');

    // Same length, new code: V8 alone would take the old cache (it checks only the length).
    const bundle = path.join(dist, 'cli-main.js');
    const text = fs.readFileSync(bundle, 'utf8');
    const version = spawnSync(process.execPath, [path.join(dist, 'cli.js'), '--version'], { env, encoding: 'utf8' }).stdout.trim();
    const other = version.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
    assert.equal(other.length, version.length);
    fs.writeFileSync(bundle, text.split(version).join(other));
    assert.equal(spawnSync(process.execPath, [path.join(dist, 'cli.js'), '--version'], { env, encoding: 'utf8' }).stdout.trim(), other);

    fs.rmSync(bundle);
    const missing = spawnSync(process.execPath, [path.join(dist, 'cli.js'), '--version'], { env, encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cli-main\.js is missing: cli\.js runs it, so copy both/);
  });
});
