import * as assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseHost, resolveEndpoint } from '../../src/docker/connection';
import { DaemonState, DaemonWatcher } from '../../src/docker/daemonWatcher';
import { startTestDaemon, TestDaemon } from '../support/testDaemon';

const repo = path.resolve(__dirname, '..', '..');

function until(watcher: DaemonWatcher, state: DaemonState, ms: number): Promise<number> {
  const t0 = Date.now();
  if (watcher.state === state) return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      watcher.off('state', on);
      reject(new Error(`not ${state} within ${ms} ms (last error: ${watcher.lastError})`));
    }, ms);
    const on = (s: DaemonState) => {
      if (s !== state) return;
      clearTimeout(timer);
      watcher.off('state', on);
      resolve(Date.now() - t0);
    };
    watcher.on('state', on);
  });
}

describe('which daemon, and why it cannot be reached, against a real daemon', function () {
  this.timeout(60_000);
  let d: TestDaemon;
  const saved = { DOCKER_HOST: process.env.DOCKER_HOST, DOCKER_CERT_PATH: process.env.DOCKER_CERT_PATH, DOCKER_TLS_VERIFY: process.env.DOCKER_TLS_VERIFY };

  before(async () => {
    d = await startTestDaemon({ seed: false });
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await d?.stop();
  });

  it('talks to the socket in the setting although DOCKER_HOST points at a tcp daemon', async () => {
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:9';
    process.env.DOCKER_CERT_PATH = '/nonexistent/certs';
    const endpoint = resolveEndpoint({ setting: d.host });
    const watcher = new DaemonWatcher({ endpoint });
    try {
      watcher.start();
      await watcher.whenUp(10_000);
      assert.match(watcher.version?.Version ?? '', /^20\.10/);
      const info = await watcher.api.get<{ DockerRootDir: string }>('/info');
      assert.ok(info.DockerRootDir.startsWith(d.root), `the calls reached ${info.DockerRootDir}`);
    } finally {
      watcher.stop();
      delete process.env.DOCKER_CERT_PATH;
      delete process.env.DOCKER_HOST;
    }
  });

  it('says how to get access when the socket refuses the user (EACCES)', async () => {
    // Run as nobody, who is not in the socket's group. Root would pass any permission check.
    const script = `
      const { DaemonWatcher } = require('./src/docker/daemonWatcher');
      const { parseHost } = require('./src/docker/connection');
      const w = new DaemonWatcher({ endpoint: { ...parseHost(${JSON.stringify(d.host)}), source: 'env', description: 'test' }, backoff: { initialMs: 60000, maxMs: 60000 } });
      w.on('state', (s) => { if (s === 'down') { console.log(JSON.stringify({ problem: w.problem, error: w.lastError })); w.stop(); } });
      w.start();`;
    // Bundled into a folder anyone can read: the checkout itself may be in a folder only its owner can enter.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-eacces-'));
    fs.chmodSync(dir, 0o755);
    const probe = path.join(dir, 'probe.js');
    await esbuild.build({ stdin: { contents: script, resolveDir: repo, loader: 'ts' }, bundle: true, platform: 'node', outfile: probe, external: ['cpu-features', '*.node'], logLevel: 'error' });
    fs.chmodSync(probe, 0o644);
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [probe], { cwd: dir, uid: 65534, gid: 65534, env: { PATH: process.env.PATH, HOME: '/tmp' }, timeout: 30_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    fs.rmSync(dir, { recursive: true, force: true });
    const result = JSON.parse(out.trim().split('\n').pop()!) as { problem: string; error: string };
    assert.equal(result.problem, 'denied');
    assert.match(result.error, new RegExp(`Permission denied on the Docker socket at ${d.socket.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    assert.match(result.error, /docker group/);
  });

  it('notices a frozen daemon within seconds and says so, then sees it thaw', async () => {
    const watcher = new DaemonWatcher({ endpoint: { ...parseHost(d.host), source: 'env', description: d.host }, backoff: { initialMs: 200, maxMs: 500 } });
    try {
      watcher.start();
      await watcher.whenUp(10_000);
      process.kill(d.pid, 'SIGSTOP');
      let downAfter: number;
      try {
        downAfter = await until(watcher, 'down', 8000);
      } finally {
        process.kill(d.pid, 'SIGCONT');
      }
      assert.ok(downAfter < 6000, `down after ${downAfter} ms`);
      assert.equal(watcher.problem, 'frozen');
      assert.match(watcher.lastError ?? '', /accepts connections but does not answer/);
      await until(watcher, 'up', 15_000);
      console.log(`      frozen daemon noticed after ${downAfter} ms`);
    } finally {
      watcher.stop();
    }
  });

  it('stays down with the reason when TLS is on and ca.pem is missing, and reads the files again on retry', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-tls-'));
    try {
      const endpoint = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://127.0.0.1:9', DOCKER_TLS_VERIFY: '0', DOCKER_CERT_PATH: dir }, home: '/nonexistent' });
      assert.equal(endpoint.tls?.verify, true);
      const watcher = new DaemonWatcher({ endpoint, backoff: { initialMs: 60_000, maxMs: 60_000 } });
      try {
        watcher.start();
        await until(watcher, 'down', 5000);
        assert.equal(watcher.problem, 'config');
        assert.match(watcher.lastError ?? '', new RegExp(`no CA certificate at ${path.join(dir, 'ca.pem').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
        await assert.rejects(watcher.api.get('/version'), /no CA certificate/);
        fs.writeFileSync(path.join(dir, 'ca.pem'), 'not a certificate');
        watcher.retryNow();
        await until(watcher, 'down', 5000).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 300));
        assert.notEqual(watcher.problem, 'config', 'the files are read again on retry');
      } finally {
        watcher.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
