import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { largeFile } from '../../../bench/corpus';
import { lint, prepareLint } from '../../../src/diagnostics/engine';
import { fixAll } from '../../../src/diagnostics/fixes';
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

  it('publishes the 1,000 findings an editor shows, errors first, with a note on the rest, and fixes all of them', async () => {
    server = await LanguageServer.start({ trusted: false });
    // 1,200 stages, each with an ADD of a plain file of the build context: a safe fix (COPY) per stage.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-many-'));
    fs.writeFileSync(path.join(dir, 'app.py'), 'print("hello")\n');
    const file = path.join(dir, 'Dockerfile');
    const text = 'FROM nginx AS dup\nFROM scratch AS dup\n' + Array.from({ length: 1200 }, (_, k) => `FROM debian:bookworm-slim AS s${k}\nADD app.py /app/app.py\nUSER 1000\nCMD ["python3", "/app/app.py"]\n`).join('');
    await prepareLint();
    const all = lint({ text, kind: 'dockerfile', filePath: file });
    assert.ok(all.length > 1200, `${all.length} findings`);
    const uri = `file://${file}`;
    server.open(uri, 'dockerfile', text);
    const { diagnostics } = await server.diagnostics(uri, () => true, 110_000);
    assert.equal(diagnostics.length, 1000);
    assert.match(diagnostics[0].message, new RegExp(`^${(all.length - 999).toLocaleString('en-US')} more of this file's ${all.length.toLocaleString('en-US')} findings are not shown`));
    // More errors than fit (ADD where COPY does, DL3020, is an error as in hadolint): the first 999 errors in file
    // order, none of the warnings, even the one on line 1 (a floating tag).
    const errors = all.filter((f) => f.severity === 'error');
    assert.ok(all.some((f) => f.severity === 'warning' && f.range.start.line === 0));
    assert.deepEqual(diagnostics.slice(1).map((d) => `${d.range.start.line} ${d.code}`), errors.slice(0, 999).map((f) => `${f.range.start.line} ${f.code}`));
    // Fix all works from the whole lint, as `dockwise lint --fix` does, not from the findings shown.
    const [action] = await server.codeActions({ textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll.dockwise'] } });
    const edit = (action.edit ?? (await server.resolve(action)).edit)!.changes![uri][0];
    const expected = fixAll({ text, kind: 'dockerfile', filePath: file });
    assert.ok(expected.applied >= 1200, `${expected.applied} safe fixes`);
    assert.equal(edit.newText, expected.text);
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
