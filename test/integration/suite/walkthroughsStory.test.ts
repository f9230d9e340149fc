/**
 * The whole story of the todo-app walkthrough, as a learner follows it: the course's own commands run through its
 * terminal buttons in the sample folder, against the test daemon (stand-in images, a network namespace of its own),
 * a browser's requests sent to the published port. Before each hands-on step's right attempt comes a broken one a
 * learner could make (an app that exits, a volume where the data does not live, two containers on different
 * networks…): the step must not tick on it and must say what went wrong; then it must tick on the right one.
 * Screenshots of each hands-on step before and after; the time of each step and of the whole story is printed and
 * written to .test-output/story-timings.json.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import * as vscode from 'vscode';
import { findStep, SNIPPETS } from '../../../src/walkthroughs/course';
import { lessonSnippets } from '../../support/lessonSnippets';
import { attachTestDaemon, TestDaemon } from '../../support/testDaemon';
import { activateExtension, queryWorkbench, screenshot, waitFor, workspaceRoot } from '../support';

interface Progress {
  done: string[];
  daemon: string;
  handsOn: Record<string, { state: string; summary: string; hint?: string }>;
  commandFailures: { line: string; kind: string; summary: string; step?: string }[];
}
interface Ran {
  exitCode: number | undefined;
  output: string;
}

const progress = () => vscode.commands.executeCommand<Progress>('dockwise.course.progress');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FIXED_DOCKERFILE = fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'course', 'fixed.Dockerfile'), 'utf8');
/** Debian's docker-compose stands in for the compose plugin, which this machine does not have. */
const COMPOSE_STAND_IN = 'docker-compose';
const timings: { step: string; seconds: number }[] = [];

describe('The course story, as a learner follows it on the test daemon', function () {
  this.timeout(25 * 60_000);
  let daemon: TestDaemon;
  let docker: Dockerode;
  let sample: string;
  let started = 0;
  let viaTerminal = true;
  const runs = new Map<vscode.TerminalShellExecution, { line: string; output: string; done: Promise<void> }>();
  const ended: { line: string; exitCode: number | undefined; output: string }[] = [];
  const subs: vscode.Disposable[] = [];

  /** The learner clicks a step's Run button for a course command and waits for it to finish. */
  async function learnerRuns(snippet: string): Promise<Ran> {
    const line = SNIPPETS[snippet];
    assert.ok(line, `the course has a command ${snippet}`);
    if (!viaTerminal) return shell(line);
    const before = ended.length;
    assert.equal(await vscode.commands.executeCommand('dockwise.course.runInTerminal', snippet), true);
    const result = await waitFor(`"${line}" to finish in the course terminal`, () => ended.slice(before).find((e) => e.line === line), 10 * 60_000);
    return { exitCode: result.exitCode, output: result.output };
  }

  /** The learner types a command of their own into the course terminal (a mistake, usually). */
  async function learnerTypes(line: string): Promise<Ran> {
    if (!viaTerminal) return shell(line);
    const terminal = vscode.window.terminals.find((t) => t.name.startsWith('Dockwise Course') && t.shellIntegration);
    assert.ok(terminal, 'a course terminal');
    const before = ended.length;
    terminal.shellIntegration!.executeCommand(line);
    const result = await waitFor(`"${line}" to finish`, () => ended.slice(before).find((e) => e.line === line), 5 * 60_000);
    return { exitCode: result.exitCode, output: result.output };
  }

  /** The same command typed into a shell in the sample folder (when the terminal cannot report its commands). */
  function shell(line: string): Promise<Ran> {
    return new Promise((resolve) => {
      execFile('bash', ['-c', `${line} 2>&1`], { cwd: sample, env: process.env, maxBuffer: 16 << 20, timeout: 10 * 60_000 }, (err, stdout) =>
        resolve({ exitCode: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: stdout }),
      );
    });
  }

  /** A command the learner types by hand (a mistake, or the compose stand-in): argv, no shell. */
  function types(argv: string[]): Promise<Ran> {
    return new Promise((resolve) => {
      execFile(argv[0], argv.slice(1), { cwd: sample, env: process.env, maxBuffer: 16 << 20, timeout: 10 * 60_000 }, (err, stdout, stderr) =>
        resolve({ exitCode: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: stdout + stderr }),
      );
    });
  }
  const ok = async (argv: string[]) => {
    const r = await types(argv);
    assert.equal(r.exitCode, 0, `${argv.join(' ')}\n${r.output}`);
    return r;
  };
  const succeeds = (r: Ran, what: string) => assert.equal(r.exitCode, 0, `${what}:\n${r.output.slice(-2000)}`);

  /** What the learner's browser does: add a todo through the published port. */
  async function addTodo(name: string): Promise<void> {
    const host = daemon.network?.publishedAddress;
    assert.ok(host, 'the test daemon publishes ports in a network namespace this machine can reach');
    await waitFor('the app to take a todo', () =>
      new Promise<boolean | undefined>((resolve) => {
        const body = JSON.stringify({ name });
        const req = http.request({ host, port: 3000, path: '/api/items', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 3000 }, (res) => {
          res.resume();
          resolve(res.statusCode === 201 || res.statusCode === 200 ? true : undefined);
        });
        req.on('error', () => resolve(undefined));
        req.on('timeout', () => req.destroy());
        req.end(body);
      }).then(async (v) => (v ? v : (await sleep(500), undefined))),
    120_000);
  }

  const outcomeOf = async (key: string) => (await progress()).handsOn[key];
  const isDone = async (key: string) => (await progress()).done.includes(key);
  /** Waits until the step's outcome is a problem (it did not tick), and returns it. */
  const problemOf = (key: string, timeoutMs = 120_000) =>
    waitFor(`${key} to report a problem`, async () => {
      assert.ok(!(await isDone(key)), `${key} must not tick on a broken outcome (${(await outcomeOf(key))?.summary})`);
      const o = await outcomeOf(key);
      return o?.state === 'problem' ? o : undefined;
    }, timeoutMs);
  const doneWithin = (key: string, timeoutMs = 180_000) => waitFor(`${key} to tick`, async () => ((await isDone(key)) ? true : undefined), timeoutMs);
  const failureFor = (line: RegExp, kind: string) =>
    waitFor(`the course to explain the failed ${line}`, async () => (await progress()).commandFailures.find((f) => line.test(f.line) && f.kind === kind), 30_000);

  /** The walkthrough at the step, with the terminal panel (before) or without it (after: the ticks in full view). */
  async function showStep(key: string, picture: string): Promise<void> {
    const [w, s] = key.split('.');
    if (picture.endsWith('-after')) await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('dockwise.openLesson', `dockwise.${w}#${s}`);
    await sleep(800);
    await screenshot(picture);
  }
  async function tickShown(key: string): Promise<boolean | undefined> {
    const [w, s] = key.split('.');
    const found = await queryWorkbench(`[data-done-step-id="dockwise.dockwise#${w}#${s}"]`, ['aria-checked']);
    return found?.length ? found[0].attrs['aria-checked'] === 'true' : undefined;
  }
  async function step(key: string, body: () => Promise<void>): Promise<void> {
    const t = Date.now();
    await body();
    if (process.env.DOCKWISE_TEST_HOST === 'code-server') {
      await waitFor(`the walkthrough to tick ${key}`, async () => ((await tickShown(key)) === true ? true : undefined), 20_000);
    }
    timings.push({ step: key, seconds: (Date.now() - t) / 1000 });
  }
  const hasOutcome = (key: string) => !!findStep(key)?.step.outcome;

  before(async function () {
    await activateExtension();
    const root = process.env.DOCKWISE_TEST_DAEMON_ROOT;
    assert.ok(root, 'the runner passes the test daemon root');
    daemon = attachTestDaemon(root);
    docker = daemon.docker;
    if (!daemon.network) this.skip(); // the story needs published ports and user-defined networks
    const images = (await docker.listImages()).flatMap((i) => i.RepoTags ?? []);
    for (const needed of ['node:22-bookworm-slim', 'mysql:8.4', 'alpine:3.21', 'registry:2']) assert.ok(images.includes(needed), `stand-in ${needed} loaded`);

    // The learner's copy of the sample, with the Dockerfile fixed in the Dockerfile step. Their folder is theirs:
    // on a typical Linux machine the first user is uid 1000, as is the image's node user.
    sample = path.join(workspaceRoot(), 'todo-app');
    fs.writeFileSync(path.join(sample, 'Dockerfile'), FIXED_DOCKERFILE);
    await ok(['chown', '-R', '1000:1000', sample]);

    subs.push(
      vscode.window.onDidStartTerminalShellExecution((e) => {
        const rec = { line: e.execution.commandLine.value, output: '', done: Promise.resolve() };
        rec.done = (async () => {
          for await (const d of e.execution.read()) rec.output += d;
        })().catch(() => undefined);
        runs.set(e.execution, rec);
      }),
      vscode.window.onDidEndTerminalShellExecution(async (e) => {
        const rec = runs.get(e.execution);
        if (rec) await Promise.race([rec.done, sleep(1000)]);
        ended.push({ line: e.execution.commandLine.value, exitCode: e.exitCode, output: rec?.output ?? '' });
      }),
    );
    await vscode.commands.executeCommand('dockwise.course.resetProgress', { force: true });
    await vscode.commands.executeCommand('dockwise.openLesson', 'dockwise.todoApp#buildRun');
    await waitFor('the course to see the daemon', async () => ((await progress()).daemon === 'up' ? true : undefined), 30_000);

    // The first Run opens the course terminal; its shell integration lets the test see each command end. It can take
    // a while to start on a busy machine; a command sent before it started is not reported, so the test runs another.
    started = Date.now();
    await vscode.commands.executeCommand('dockwise.course.runInTerminal', 'dockerVersion');
    const terminal = await waitFor('the course terminal', () => vscode.window.terminals.find((t) => t.name === 'Dockwise Course'));
    await waitFor('shell integration in the course terminal', () => terminal.shellIntegration, 90_000).catch(() => undefined);
    if (terminal.shellIntegration) {
      await sleep(500);
      succeeds(await learnerRuns('dockerVersion'), 'docker version');
    } else {
      viaTerminal = false;
      console.log('story: the course terminal reports no commands here; running the course commands in a shell instead');
    }
  });

  after(async () => {
    for (const s of subs) s.dispose();
    const total = started ? (Date.now() - started) / 1000 : 0;
    const out = process.env.DOCKWISE_TEST_OUTPUT;
    if (out) fs.writeFileSync(path.join(out, 'story-timings.json'), JSON.stringify({ totalSeconds: total, steps: timings }, null, 2));
    console.log(`story: ${total.toFixed(0)} s in all; ${timings.map((t) => `${t.step} ${t.seconds.toFixed(0)} s`).join(', ')}`);
    if (!docker) return;
    await types([COMPOSE_STAND_IN, 'down', '-v', '--remove-orphans']).catch(() => undefined);
    for (const c of await docker.listContainers({ all: true })) {
      if (!c.Labels?.['dockwise.test']) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    }
    for (const n of ['todo-net', 'other-net']) await docker.getNetwork(n).remove().catch(() => undefined);
    for (const v of ['todo-db', 'todo-mysql-data', 'todo-src']) await docker.getVolume(v).remove().catch(() => undefined);
    for (const t of vscode.window.terminals.filter((x) => x.name.startsWith('Dockwise Course'))) t.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('build and run: not on an app that exits; ticks when the container is healthy', async () => {
    await step('todoApp.buildRun', async () => {
      // A typo in a Dockerfile of their own: the build fails, and the course says at which step.
      fs.writeFileSync(path.join(sample, 'Dockerfile.typo'), 'FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm run biuld\n');
      const typo = await learnerTypes('docker build -t todo-app:typo -f Dockerfile.typo .');
      assert.notEqual(typo.exitCode, 0);
      if (viaTerminal) assert.match((await failureFor(/Dockerfile\.typo/, 'buildFailed')).summary, /RUN npm run biuld/);
      fs.rmSync(path.join(sample, 'Dockerfile.typo'));
      succeeds(await learnerRuns('buildImage'), 'docker build');
      assert.ok(!(await isDone('todoApp.buildRun')), 'an image alone is not the outcome');
      // A mistake: half of the MySQL settings, so the app stops at once.
      await ok(['docker', 'run', '-d', '--name', 'todo-app', '-p', '3000:3000', '-e', 'MYSQL_HOST=mysql', 'todo-app:1.0']);
      const o = await problemOf('todoApp.buildRun');
      assert.match(o.summary, /todo-app exited with code 1/);
      assert.match(o.hint ?? '', /docker logs todo-app/);
      // Running the course's command now fails on the name: the course says so.
      const again = await learnerRuns('runApp');
      assert.notEqual(again.exitCode, 0);
      if (viaTerminal) await failureFor(/--name todo-app/, 'nameInUse');
      await showStep('todoApp.buildRun', 'story-buildRun-before');
      await learnerRuns('removeApp');
      succeeds(await learnerRuns('runApp'), 'docker run');
      await doneWithin('todoApp.buildRun');
      assert.match((await outcomeOf('todoApp.buildRun')).summary, /healthy|answers/);
      await showStep('todoApp.buildRun', 'story-buildRun-after');
      // A second copy on the same port: the course says the port is taken.
      assert.notEqual((await learnerTypes('docker run -d --name todo-web -p 3000:3000 todo-app:1.0')).exitCode, 0);
      if (viaTerminal) assert.match((await failureFor(/--name todo-web/, 'portInUse')).summary, /Port 3000/);
      await ok(['docker', 'rm', '-f', 'todo-web']);
    });
  });

  it('registry: not before the push reached a running registry; ticks after it', async function () {
    if (!hasOutcome('todoApp.registry')) this.skip();
    await step('todoApp.registry', async () => {
      succeeds(await learnerRuns('tagImage'), 'docker tag');
      const refused = await learnerRuns('pushImage');
      assert.notEqual(refused.exitCode, 0, 'no registry runs yet');
      if (viaTerminal) await failureFor(/docker push/, 'pushFailed');
      assert.ok(!(await isDone('todoApp.registry')));
      await showStep('todoApp.registry', 'story-registry-before');
      succeeds(await learnerRuns('runRegistry'), 'registry');
      succeeds(await waitFor('the registry to take the push', async () => {
        const r = await learnerRuns('pushImage');
        return r.exitCode === 0 ? r : (await sleep(1000), undefined);
      }, 60_000), 'docker push');
      await doneWithin('todoApp.registry');
      await showStep('todoApp.registry', 'story-registry-after');
    });
  });

  it('ephemeral filesystem: not when the two containers share a volume; ticks when con_2 cannot find the file', async () => {
    await step('todoApp.ephemeral', async () => {
      // Without the tag Docker looks for alpine:latest, which it cannot download here: the course says so.
      assert.notEqual((await learnerTypes('docker run --rm --name con_1 alpine touch greeting.txt')).exitCode, 0);
      if (viaTerminal) assert.match((await failureFor(/--name con_1 alpine touch/, 'pullFailed')).summary, /could not download the image alpine/);
      await types(['docker', 'run', '--rm', '--name', 'con_1', '-v', 'demo-shared:/w', '-w', '/w', 'alpine:3.21', 'touch', 'greeting.txt']);
      await types(['docker', 'run', '--rm', '--name', 'con_2', '-v', 'demo-shared:/w', '-w', '/w', 'alpine:3.21', 'stat', 'greeting.txt']);
      assert.match((await problemOf('todoApp.ephemeral')).summary, /con_2 found greeting\.txt/);
      await showStep('todoApp.ephemeral', 'story-ephemeral-before');
      succeeds(await learnerRuns('con1'), 'con_1');
      assert.ok(!(await isDone('todoApp.ephemeral')), 'one container is not the demo');
      const second = await learnerRuns('con2');
      assert.equal(second.exitCode, 1, 'con_2 does not find the file');
      await doneWithin('todoApp.ephemeral');
      assert.ok(!(await progress()).commandFailures.some((f) => /con_2/.test(f.line)), 'the demo\'s expected failure is not reported as a mistake');
      await showStep('todoApp.ephemeral', 'story-ephemeral-after');
      await docker.getVolume('demo-shared').remove().catch(() => undefined);
    });
  });

  it('persist data: not with the volume where the data does not live; ticks when a todo outlives its container', async () => {
    await step('todoApp.persistData', async () => {
      succeeds(await learnerRuns('volumeCreate'), 'volume create');
      await learnerRuns('removeApp');
      // A mistake: the volume at /data, while the app keeps its SQLite file in /etc/todos.
      const wrong = ['docker', 'run', '-d', '--name', 'todo-app', '-p', '3000:3000', '-v', 'todo-db:/data', 'todo-app:1.0'];
      await ok(wrong);
      await addTodo('written before the container was replaced');
      await learnerRuns('removeApp');
      await ok(wrong);
      const o = await problemOf('todoApp.persistData');
      assert.match(o.summary, /at \/data, but the app keeps its data in \/etc\/todos\/todo\.db/);
      await showStep('todoApp.persistData', 'story-persistData-before');
      await learnerRuns('removeApp');
      succeeds(await learnerRuns('runWithVolume'), 'run with the volume');
      await addTodo('kept in the todo-db volume');
      await sleep(300);
      assert.ok(!(await isDone('todoApp.persistData')), 'not before the container is replaced');
      await learnerRuns('removeApp');
      succeeds(await learnerRuns('runWithVolume'), 'run with the volume again');
      await doneWithin('todoApp.persistData');
      await showStep('todoApp.persistData', 'story-persistData-after');
    });
  });

  it('bind mount: not through a volume at /src; ticks when myfile.txt shows up in the folder', async function () {
    if (!hasOutcome('todoApp.bindMount')) this.skip();
    await step('todoApp.bindMount', async () => {
      // A mistake: a named volume where the folder should be.
      await ok(['docker', 'run', '-d', '--name', 'todo-dev', '-v', 'todo-src:/src', 'todo-app:1.0']);
      await ok(['docker', 'exec', '-u', 'root', 'todo-dev', 'touch', '/src/myfile.txt']);
      assert.match((await problemOf('todoApp.bindMount')).summary, /a volume, not your folder/);
      assert.ok(!fs.existsSync(path.join(sample, 'myfile.txt')));
      await showStep('todoApp.bindMount', 'story-bindMount-before');
      await ok(['docker', 'rm', '-f', 'todo-dev']);
      succeeds(await learnerRuns('runWithBind'), 'run with the folder bind-mounted');
      succeeds(await learnerRuns('execTouch'), 'exec touch');
      await doneWithin('todoApp.bindMount');
      assert.ok(fs.existsSync(path.join(sample, 'myfile.txt')), 'the file is in the learner\'s folder');
      await showStep('todoApp.bindMount', 'story-bindMount-after');
    });
  });

  it('connect the app to MySQL: not with the two on different networks; ticks when the app reaches mysql by name', async () => {
    await step('todoApp.connectApp', async () => {
      await learnerRuns('removeSqliteApps');
      succeeds(await learnerRuns('networkCreate'), 'network create');
      succeeds(await learnerRuns('runMysql'), 'run mysql');
      succeeds(await waitFor('mysql to answer a ping by name', async () => {
        const r = await learnerRuns('pingMysql');
        return r.exitCode === 0 ? r : (await sleep(1000), undefined);
      }, 60_000), 'ping mysql');
      // A mistake: the app on a network of its own.
      await ok(['docker', 'network', 'create', 'other-net']);
      await ok(['docker', 'run', '-d', '--name', 'todo-app', '--network', 'other-net', '-p', '3000:3000', '-e', 'MYSQL_HOST=mysql', '-e', 'MYSQL_USER=root', '-e', 'MYSQL_PASSWORD=secret', '-e', 'MYSQL_DB=todos', 'todo-app:1.0']);
      const o = await problemOf('todoApp.connectApp');
      assert.match(o.summary, /todo-app is on other-net and mysql on todo-net/);
      await showStep('todoApp.connectApp', 'story-connectApp-before');
      await ok(['docker', 'rm', '-f', 'todo-app']);
      succeeds(await learnerRuns('runAppOnNetwork'), 'run the app on the network');
      await doneWithin('todoApp.connectApp', 240_000);
      assert.match((await outcomeOf('todoApp.connectApp')).summary, /by the name "mysql" \(mysql\) over the network todo-net/);
      await showStep('todoApp.connectApp', 'story-connectApp-after');
    });
  });

  it('compose: explains a missing compose plugin; ticks when the project\'s services run healthy and the app reaches its database', async () => {
    await step('todoApp.compose', async () => {
      await learnerRuns('removeNetworkApps');
      // The learner rewrites compose.yaml into the lesson's version.
      const lesson = lessonSnippets().find((x) => x.file === path.join('media', 'todoApp', 'compose.md') && x.kind === 'compose' && !x.mistakes.length);
      assert.ok(lesson, 'the compose lesson has the rewritten compose file');
      fs.writeFileSync(path.join(sample, 'compose.yaml'), lesson.text);
      const plugin = await learnerRuns('composeUp');
      if (plugin.exitCode !== 0) {
        // This machine has no compose plugin: the course says what to do.
        if (viaTerminal) await failureFor(/docker compose up/, 'composeMissing');
        await showStep('todoApp.compose', 'story-compose-before');
        assert.ok(!(await isDone('todoApp.compose')));
        await ok([COMPOSE_STAND_IN, 'up', '-d', '--build']);
      }
      await doneWithin('todoApp.compose', 300_000);
      assert.match((await outcomeOf('todoApp.compose')).summary, /Compose project todo-app: .*app.*mysql|mysql.*app/);
      await showStep('todoApp.compose', 'story-compose-after');
    });
  });

  it('recognises, after a reset, the steps whose outcome still holds on the daemon, and only those', async () => {
    const t = Date.now();
    assert.equal(await vscode.commands.executeCommand('dockwise.course.resetProgress', { force: true }), true);
    // The compose project still runs: the app of the todo-app image, healthy, reaching mysql by name on a network.
    const holding = ['todoApp.buildRun', 'todoApp.connectApp', 'todoApp.compose', ...(hasOutcome('todoApp.registry') ? ['todoApp.registry'] : [])];
    for (const key of holding) await doneWithin(key, 60_000);
    // What was done by containers since removed, or before the reset, does not come back.
    await sleep(2000);
    const done = (await progress()).done;
    for (const key of ['todoApp.ephemeral', 'todoApp.persistData', 'todoApp.bindMount']) assert.ok(!done.includes(key), `${key} waits to be done again`);
    assert.deepEqual([...done].sort(), [...holding].sort());
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await showStep('todoApp.compose', 'story-after-reset');
    timings.push({ step: 'recognised after reset', seconds: (Date.now() - t) / 1000 });
  });
});
