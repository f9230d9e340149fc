import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import { parseHost } from '../../src/docker/connection';
import { DaemonWatcher, DockerEvent } from '../../src/docker/daemonWatcher';
import { demoRunFromEvent, execCapture, gatherFacts, isTrigger, logTail, NO_NODE, probeApp, recentDemoRuns } from '../../src/walkthroughs/daemonFacts';
import { DemoRun, evaluate, OutcomeId } from '../../src/walkthroughs/outcomes';
import { startTestDaemon, TestDaemon } from '../support/testDaemon';

const all = new Set<OutcomeId>(['imageRuns', 'ephemeralDemo', 'volumePersists', 'bindMountFile', 'appReachesMysql', 'composeHealthy']);
const exists = async (f: string) => fs.existsSync(f);

describe('hands-on outcomes read from a real daemon', function () {
  this.timeout(120_000);
  let d: TestDaemon;
  let docker: Dockerode;
  let watcher: DaemonWatcher;
  const events: DockerEvent[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-outcomes-'));

  const run = async (name: string, cmd: string[], opts: { image?: string; binds?: string[]; mounts?: Dockerode.MountSettings[]; autoRemove?: boolean; start?: boolean } = {}) => {
    const c = await docker.createContainer({
      name,
      Image: opts.image ?? d.seeded.busyboxImage,
      Cmd: cmd,
      StopTimeout: 1,
      Labels: { 'dockwise.test': 'outcomes' },
      HostConfig: { NetworkMode: 'none', Binds: opts.binds, Mounts: opts.mounts, AutoRemove: opts.autoRemove },
    });
    if (opts.start !== false) await c.start();
    return c;
  };
  const sleeper = ['/bin/sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];

  before(async () => {
    d = await startTestDaemon();
    docker = d.docker;
    watcher = new DaemonWatcher({ endpoint: { ...parseHost(d.host), source: 'env', description: 'test' }, backoff: { initialMs: 100, maxMs: 1000 } });
    watcher.on('event', (e) => events.push(e));
    watcher.start();
    await watcher.whenUp(10_000);
    // The app's image: one of its own (the seeded layered image), so the other busybox containers are not the app.
    await docker.getImage(d.seeded.layeredImage).tag({ repo: 'todo-app', tag: 'test' });
  });
  after(async () => {
    watcher?.stop();
    await d?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reads inspected containers as facts: status, mounts, networks, start errors', async () => {
    await run('outcomes-running', sleeper, { mounts: [{ Type: 'volume', Source: 'todo-db', Target: '/etc/todos' }] });
    const broken = await run('outcomes-broken', ['/no/such/program'], { image: 'todo-app:test', start: false });
    await assert.rejects(broken.start());
    const facts = await gatherFacts(docker, { needed: all });
    const running = facts.containers.find((c) => c.name === 'outcomes-running')!;
    assert.equal(running.status, 'running');
    assert.deepEqual(running.mounts.map((m) => [m.type, m.name, m.destination]), [['volume', 'todo-db', '/etc/todos']]);
    assert.deepEqual(running.networks.map((n) => n.name), ['none']);
    assert.ok(running.created > Date.now() - 60_000 && running.created <= Date.now());
    const failed = facts.containers.find((c) => c.name === 'outcomes-broken')!;
    assert.equal(failed.status, 'created');
    assert.match(failed.error ?? '', /no such file or directory|executable file not found/);
    assert.ok(facts.images.some((i) => i.tags.includes('todo-app:test')));
    const o = evaluate('imageRuns', facts);
    assert.equal(o.state, 'problem', 'a container of the app that could not start is a problem, not a tick');
    assert.match(o.summary, /outcomes-broken could not start/);
    await broken.remove({ force: true });
  });

  it('runs a probe inside a container through the API, and knows an image without node', async () => {
    const c = docker.getContainer('outcomes-running');
    const out = await execCapture(c, ['/bin/busybox', 'echo', 'hello from inside'], 5000);
    assert.deepEqual(out, { code: 0, text: 'hello from inside\n' });
    const own = new Set<string>();
    assert.deepEqual(await probeApp(c, 5000, own), { answered: false, error: NO_NODE });
    // A probe's exec_die event carries its exec id, so the course does not take its own probe for the learner's action.
    await execCapture(c, ['/bin/busybox', 'true'], 5000, own);
    await new Promise((r) => setTimeout(r, 500));
    const execDie = events.find((e) => e.Type === 'container' && e.Action === 'exec_die' && own.has(e.Actor.Attributes?.execID ?? ''));
    assert.ok(execDie, 'the daemon reports the exec\'s end with its id');
    assert.equal(isTrigger(execDie, own), false);
    assert.equal(isTrigger(execDie, new Set()), true, 'the learner\'s exec is a trigger');
  });

  it('tells an exited app from a running one, with its last log lines', async () => {
    const c = await run('todo-crash', ['/bin/sh', '-c', 'echo starting; sleep 0.2; echo "Error: Cannot find module /app/src/server.js" >&2; exit 3'], { image: 'todo-app:test' });
    await c.wait();
    const lines = await logTail(c, 5000);
    assert.deepEqual(lines, ['starting', 'Error: Cannot find module /app/src/server.js']);
    const o = evaluate('imageRuns', await gatherFacts(docker, { needed: new Set(['imageRuns']) }));
    assert.equal(o.state, 'problem');
    assert.match(o.summary, /todo-crash exited with code 3/);
    assert.deepEqual(o.logTail, lines);
    await c.remove({ force: true });
  });

  it('sees the two-container demo in the event stream and in the daemon\'s memory of past events', async () => {
    const since = Date.now() - 1000;
    const first = await run('con_1', ['/bin/busybox', 'touch', 'greeting.txt'], { autoRemove: true });
    await first.wait().catch(() => undefined);
    const second = await run('con_2', ['/bin/busybox', 'stat', 'greeting.txt'], { autoRemove: true });
    await second.wait().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    const live = events.map(demoRunFromEvent).filter((r): r is DemoRun => !!r);
    assert.deepEqual(live.map((r) => [r.name, r.exitCode]), [['con_1', 0], ['con_2', 1]]);
    const replayed = await recentDemoRuns(docker, since);
    assert.deepEqual(replayed.map((r) => [r.name, r.exitCode]), [['con_1', 0], ['con_2', 1]], 'the same, read back after the fact');
    // --rm left nothing else: the containers are gone.
    const facts = await gatherFacts(docker, { needed: new Set(['ephemeralDemo']), demoRuns: replayed });
    assert.ok(!facts.containers.some((c) => c.name === 'con_1' || c.name === 'con_2'));
    assert.equal(evaluate('ephemeralDemo', facts).state, 'done');
  });

  it('does not take the demo as shown when the two containers share a volume', async () => {
    const since = Date.now() - 500;
    const shared: Dockerode.MountSettings[] = [{ Type: 'volume', Source: 'shared-demo', Target: '/w' }];
    await (await run('con_1', ['/bin/busybox', 'touch', '/w/greeting.txt'], { autoRemove: true, mounts: shared })).wait().catch(() => undefined);
    await (await run('con_2', ['/bin/busybox', 'stat', '/w/greeting.txt'], { autoRemove: true, mounts: shared })).wait().catch(() => undefined);
    const runs = await recentDemoRuns(docker, since);
    const o = evaluate('ephemeralDemo', { images: [], containers: [], demoRuns: runs });
    assert.equal(o.state, 'problem');
    assert.match(o.summary, /con_2 found greeting\.txt/);
  });

  it('finds myfile.txt created through exec in a bind-mounted folder on both sides, and not through a volume', async () => {
    const folder = fs.mkdtempSync(path.join(tmp, 'app-'));
    const dev = await run('todo-dev', sleeper, { image: 'todo-app:test', binds: [`${folder}:/src`] });
    const before = evaluate('bindMountFile', await gatherFacts(docker, { needed: new Set(['bindMountFile']), hostFileExists: exists }));
    assert.equal(before.state, 'pending');
    assert.match(before.summary, /now create myfile\.txt/);
    await execCapture(dev, ['/bin/busybox', 'touch', '/src/myfile.txt'], 5000);
    assert.ok(fs.existsSync(path.join(folder, 'myfile.txt')), 'the bind mount put it in the folder');
    const after = evaluate('bindMountFile', await gatherFacts(docker, { needed: new Set(['bindMountFile']), hostFileExists: exists }));
    assert.equal(after.state, 'done');
    assert.match(after.summary, new RegExp(`in your folder ${folder}`));
    await dev.remove({ force: true });

    const inVolume = await run('todo-vol', sleeper, { image: 'todo-app:test', mounts: [{ Type: 'volume', Source: 'src-volume', Target: '/src' }] });
    await execCapture(inVolume, ['/bin/busybox', 'touch', '/src/myfile.txt'], 5000);
    const wrong = evaluate('bindMountFile', await gatherFacts(docker, { needed: new Set(['bindMountFile']), hostFileExists: exists }));
    assert.equal(wrong.state, 'problem');
    assert.match(wrong.summary, /a volume, not your folder/);
    await inVolume.remove({ force: true });
  });

  it('reads only what the open steps need, quickly', async () => {
    const t = Date.now();
    const facts = await gatherFacts(docker, { needed: new Set(['ephemeralDemo']) });
    assert.deepEqual(facts.images, [], 'no image list for the demo');
    assert.ok(facts.containers.every((c) => c.report === undefined && c.files === undefined), 'no probes and no file checks');
    assert.ok(Date.now() - t < 3000, `${Date.now() - t} ms`);
  });

  it('gives up on a daemon that does not answer in time instead of hanging', async () => {
    await d.stopProcess();
    try {
      const t = Date.now();
      await assert.rejects(gatherFacts(docker, { needed: all, timeoutMs: 1000 }));
      assert.ok(Date.now() - t < 5000);
    } finally {
      await d.startProcess();
    }
  });
});
