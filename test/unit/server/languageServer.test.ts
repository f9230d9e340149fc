import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { largeFile } from '../../../bench/corpus';
import { LanguageServer, SERVER_JS } from '../../support/languageServer';

const ROOT = path.resolve(__dirname, '../../..');
const FAKE = path.join(ROOT, 'test', 'fixtures', 'shellcheck', 'fake-shellcheck.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A folder with the fake ShellCheck as `shellcheck`, for PATH. */
function fakeShellcheckOnPath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-fake-sc-'));
  fs.copyFileSync(FAKE, path.join(dir, 'shellcheck'));
  fs.chmodSync(path.join(dir, 'shellcheck'), 0o755);
  return dir;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the language server, over stdio', function () {
  this.timeout(120_000);
  let server: LanguageServer | undefined;

  before(() => {
    // The tests run the server as the editor does: built.
    if (!fs.existsSync(SERVER_JS) || !fs.existsSync(path.join(path.dirname(SERVER_JS), 'lintWorker.js'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT });
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('never publishes diagnostics for a version the editor has already replaced, while someone types', async () => {
    server = await LanguageServer.start({ trusted: false, settings: { lint: { debounceMs: 50 } } });
    const uri = 'file:///tmp/dockwise-typing/Dockerfile';
    const text = largeFile(4000).text;
    server.open(uri, 'dockerfile', text);
    await server.diagnostics(uri, (p) => p.version === 1);
    const from = server.published.length;
    const line = text.split('\n').findIndex((l) => l.startsWith('RUN '));
    for (let k = 0; k < 16; k++) {
      server.type(uri, { line, character: 4 }, 'x');
      await sleep(120);
    }
    const last = server.version(uri);
    await server.diagnostics(uri, (p) => p.version === last, 60_000, from);
    const stale = server.published.slice(from).filter((p) => p.uri === uri && p.version! < p.clientVersion);
    assert.deepEqual(stale.map((p) => `${p.version} arrived at ${p.clientVersion}`), []);
  });

  it('lints a small document while a large one is still being linted', async () => {
    server = await LanguageServer.start({ trusted: false });
    const big = 'file:///tmp/dockwise-large/Dockerfile';
    const small = 'file:///tmp/dockwise-small/Dockerfile';
    const perLine = largeFile(4000).text.length / 4000;
    server.open(big, 'dockerfile', largeFile(Math.round((3 * 1048576) / perLine)).text);
    await sleep(200);
    server.open(small, 'dockerfile', 'FROM node:latest\nCMD ["node", "app.js"]\n');
    const first = await server.diagnostics(small);
    assert.ok(first.diagnostics.some((d) => d.code === 'no-latest-tag'));
    const bigDone = await server.diagnostics(big, () => true, 110_000);
    assert.ok(first.at < bigDone.at, 'the small document did not wait for the large one');
  });

  it('runs ShellCheck only once the workspace is trusted, from PATH', async () => {
    const bin = fakeShellcheckOnPath();
    const log = path.join(bin, 'calls.log');
    server = await LanguageServer.start({ trusted: false, env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, FAKE_SHELLCHECK_LOG: log } });
    const uri = 'file:///tmp/dockwise-trust/Dockerfile';
    server.open(uri, 'dockerfile', 'FROM debian:12\nRUN echo $UNQUOTED\n');
    await server.diagnostics(uri);
    await sleep(1500);
    assert.equal(fs.existsSync(log), false, 'ShellCheck ran in an untrusted workspace');
    assert.ok(!server.published.some((p) => p.diagnostics.some((d) => d.code === 'shellcheck')));
    server.notify('dockwise/trust', { trusted: true });
    // ShellCheck's finding (or, on a machine too busy to start it in time, the finding that it did not finish).
    const withSc = await server.diagnostics(uri, (p) => p.diagnostics.some((d) => String(d.code).startsWith('shellcheck')));
    assert.equal(withSc.diagnostics.find((d) => String(d.code).startsWith('shellcheck'))?.range.start.line, 1);
    assert.equal(fs.existsSync(log), true);
  });

  it('kills ShellCheck and removes its folder when the server is terminated', async () => {
    const bin = fakeShellcheckOnPath();
    const pids = path.join(bin, 'pids.log');
    server = await LanguageServer.start({ trusted: true, env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, FAKE_SHELLCHECK_PIDS: pids, FAKE_SHELLCHECK_HANG_ON: 'HANG_HERE' } });
    const uri = 'file:///tmp/dockwise-kill/Dockerfile';
    server.open(uri, 'dockerfile', 'FROM debian:12\nRUN echo HANG_HERE\n');
    for (const started = Date.now(); !fs.existsSync(pids) && Date.now() - started < 60_000; ) await sleep(100);
    const { pid, cwd } = JSON.parse(fs.readFileSync(pids, 'utf8').trim().split('\n')[0]) as { pid: number; cwd: string };
    assert.ok(fs.existsSync(cwd));
    const exited = new Promise((r) => server!.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;
    for (const started = Date.now(); isAlive(pid) && Date.now() - started < 5000; ) await sleep(50);
    assert.equal(isAlive(pid), false, 'ShellCheck outlived the server');
    assert.equal(fs.existsSync(cwd), false, 'its temporary folder is left');
  });
});
