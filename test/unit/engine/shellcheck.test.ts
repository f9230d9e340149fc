import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig } from '../../../src/diagnostics/config';
import { createContext } from '../../../src/diagnostics/dockerfile/context';
import { prepareLint } from '../../../src/diagnostics/engine';
import { cleanupShellcheck, findOnPath, runShellcheck, shellcheckJobs, sweepStaleShellcheckFolders } from '../../../src/diagnostics/shellcheck';

const FAKE = path.join(__dirname, '..', '..', 'fixtures', 'shellcheck', 'fake-shellcheck.js');
const noFiles = { readFile: () => undefined };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-sc-test-'));
const ourFolders = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`dockwise-shellcheck-${process.pid}-`));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True once `pid` is gone; a killed process takes a moment to be reaped. */
async function dies(pid: number): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < 5000; await new Promise((r) => setTimeout(r, 50))) if (!isAlive(pid)) return true;
  return false;
}

/** Sets environment variables for the duration of `fn`. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k];
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(old)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('ShellCheck: where it comes from, time limits and cleanup', function () {
  this.timeout(60000);
  before(() => prepareLint());

  it('is found on PATH only, never in the working directory or through a relative PATH entry', async () => {
    const repo = tmp();
    // A name of its own, so that its being missing from PATH is not remembered for the real one.
    const planted = path.join(repo, 'dockwise-planted-shellcheck');
    fs.copyFileSync(FAKE, planted);
    fs.chmodSync(planted, 0o755);
    const log = path.join(tmp(), 'planted.log');
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      await withEnv({ PATH: `.:bin:${tmp()}`, FAKE_SHELLCHECK_LOG: log }, async () => {
        assert.equal(findOnPath('dockwise-planted-shellcheck'), undefined);
        const f = await runShellcheck({ text: 'FROM debian:12\nRUN echo $PLANTED\n', config: defaultConfig(), host: noFiles }, { binary: 'dockwise-planted-shellcheck' });
        assert.deepEqual(f, []);
      });
    } finally {
      process.chdir(cwd);
    }
    assert.equal(fs.existsSync(log), false, 'the shellcheck planted in the folder never ran');
    // An absolute PATH entry is where it is looked for.
    assert.equal(findOnPath('dockwise-planted-shellcheck', { PATH: `relative:${repo}` }), planted);
    assert.equal(findOnPath('./dockwise-planted-shellcheck', { PATH: repo }), undefined);
  });

  it('looks for .exe and .com on Windows, never for scripts a shell would run', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'shellcheck.bat'), '@echo off\n');
    assert.equal(findOnPath('shellcheck', { Path: dir }, 'win32'), undefined);
    fs.writeFileSync(path.join(dir, 'shellcheck.exe'), '');
    assert.equal(findOnPath('shellcheck', { Path: `.;${dir}` }, 'win32'), path.join(dir, 'shellcheck.exe'));
  });

  it('reports a RUN that ShellCheck does not finish in time as a finding, logs it, and still checks the others', async () => {
    const said: string[] = [];
    const text = 'FROM debian:12\nRUN echo $FIRST\nRUN echo HANG_HERE $SECOND\nRUN echo $THIRD\n';
    const f = await withEnv({ FAKE_SHELLCHECK_HANG_ON: 'HANG_HERE' }, () =>
      runShellcheck({ text, config: defaultConfig(), host: noFiles }, { binary: FAKE, timeoutMs: 4000, onTimeout: (m) => said.push(m) }));
    assert.deepEqual(f.map((x) => [x.code, x.range.start.line]), [['shellcheck', 1], ['shellcheck-incomplete', 2], ['shellcheck', 3]]);
    assert.match(f[1].message, /did not finish/);
    assert.equal(said.length, 1);
    assert.match(said[0], /ran out of time: 1 RUN body took longer than 4 s/);
    assert.deepEqual(ourFolders(), []);
  });

  it('stops at the time budget for the file, says where, and kills what still runs', async () => {
    const pids = path.join(tmp(), 'pids.log');
    const text = 'FROM debian:12\nRUN echo HANG_HERE $A\n' + Array.from({ length: 4 }, (_, k) => `RUN echo ${k} $B${k}\n`).join('');
    const f = await withEnv({ FAKE_SHELLCHECK_HANG_ON: 'HANG_HERE', FAKE_SHELLCHECK_PIDS: pids }, () =>
      runShellcheck({ text, config: defaultConfig(), host: noFiles }, { binary: FAKE, timeoutMs: 60000, budgetMs: 1500, batchSize: 1, concurrency: 1 }));
    // The body that hangs used the whole budget: it and the four after it are unchecked, said once.
    assert.deepEqual(f.map((x) => [x.code, x.range.start.line]), [['shellcheck-incomplete', 1]]);
    assert.match(f[0].message, /ran out of time on this file: 5 RUN instructions from here on \(lines 2, 3, 4, 5, 6\)/);
    for (const { pid } of fs.readFileSync(pids, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { pid: number })) assert.ok(await dies(pid));
  });

  it('runs ShellCheck in its private folder, and cleanup kills it and removes the folder', async () => {
    const pids = path.join(tmp(), 'pids.log');
    await withEnv({ FAKE_SHELLCHECK_HANG_ON: 'HANG_HERE', FAKE_SHELLCHECK_PIDS: pids }, async () => {
      const running = runShellcheck({ text: 'FROM debian:12\nRUN echo HANG_HERE\n', config: defaultConfig(), host: noFiles }, { binary: FAKE, timeoutMs: 60000 });
      const started = Date.now();
      while (!fs.existsSync(pids) && Date.now() - started < 20000) await new Promise((r) => setTimeout(r, 50));
      const { pid, cwd } = JSON.parse(fs.readFileSync(pids, 'utf8').trim()) as { pid: number; cwd: string };
      assert.match(path.basename(cwd), new RegExp(`^dockwise-shellcheck-${process.pid}-`));
      assert.equal(fs.existsSync(cwd), true);
      cleanupShellcheck();
      assert.equal(fs.existsSync(cwd), false);
      await running;
      assert.ok(await dies(pid));
    });
    assert.deepEqual(ourFolders(), []);
  });

  it('leaves no folder or process behind when the process exits mid-check', async () => {
    const dir = tmp();
    const pids = path.join(dir, 'pids.log');
    const script = path.join(dir, 'exit-mid-check.ts');
    fs.writeFileSync(script, `
      import { runShellcheck } from ${JSON.stringify(path.resolve(__dirname, '../../../src/diagnostics/shellcheck'))};
      import { defaultConfig } from ${JSON.stringify(path.resolve(__dirname, '../../../src/diagnostics/config'))};
      import * as fs from 'node:fs';
      void runShellcheck({ text: 'FROM debian:12\\nRUN echo HANG_HERE\\n', config: defaultConfig(), host: { readFile: () => undefined } }, { binary: ${JSON.stringify(FAKE)}, timeoutMs: 60000 });
      const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(pids)})) { clearInterval(t); process.exit(0); } }, 50);
    `);
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, FAKE_SHELLCHECK_HANG_ON: 'HANG_HERE', FAKE_SHELLCHECK_PIDS: pids }, encoding: 'utf8', timeout: 40000 });
    assert.equal(r.status, 0, r.stderr);
    const { pid, cwd } = JSON.parse(fs.readFileSync(pids, 'utf8').trim()) as { pid: number; cwd: string };
    assert.equal(fs.existsSync(cwd), false, 'the temporary folder is gone');
    assert.ok(await dies(pid), 'ShellCheck was killed');
  });

  it('sweeps folders left by processes that were killed outright, and only those', () => {
    const root = tmp();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    for (const name of [`dockwise-shellcheck-${dead}-abc`, `dockwise-shellcheck-${process.pid}-def`, `dockwise-shellcheck-${process.ppid}-ghi`, 'dockwise-other']) {
      fs.mkdirSync(path.join(root, name));
      fs.writeFileSync(path.join(root, name, 'run0.sh'), 'echo');
    }
    assert.deepEqual(sweepStaleShellcheckFolders(root), [path.join(root, `dockwise-shellcheck-${dead}-abc`)]);
    assert.deepEqual(fs.readdirSync(root).sort(), [`dockwise-other`, `dockwise-shellcheck-${process.pid}-def`, `dockwise-shellcheck-${process.ppid}-ghi`].sort());
  });

  it('declares only the variables a script uses, so the scripts grow with the file and not with its ARGs times its RUNs', () => {
    const decls = Array.from({ length: 2000 }, (_, k) => `ENV V${k}=${k}\nRUN echo $V${k}\n`).join('');
    const ctx = createContext(`FROM debian:12\nARG GLOBAL_ONLY\n${decls}RUN echo $V1 $LATER $http_proxy\nENV LATER=1\n`, undefined, defaultConfig(), noFiles);
    const jobs = shellcheckJobs(ctx);
    assert.equal(jobs.length, 2001);
    assert.equal(jobs[1999].script, 'export V1999=1\necho $V1999');
    assert.equal(jobs[2000].script, 'export V1=1\nexport http_proxy=1\necho $V1 $LATER $http_proxy', 'LATER is declared after the RUN');
    const total = jobs.reduce((n, j) => n + j.script.length, 0);
    assert.ok(total < 100_000, `${total} characters of scripts`);
  });
});
