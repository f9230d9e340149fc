import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import * as vscode from 'vscode';
import { attachTestDaemon, SEED, TestDaemon } from '../../support/testDaemon';
import { activateExtension, EXTENSION_ID, screenshot, waitFor } from '../support';

interface Progress {
  points: number;
  maxPoints: number;
  stepsDone: number;
  badges: string[];
  done: string[];
  daemon: string;
}
interface AnswerReply {
  correct: boolean;
  attempted: boolean;
  awarded: number;
  points: number;
  explanation: string;
}
interface StepContribution {
  id: string;
  media: { svg?: string; markdown?: string; altText?: string };
}
interface WalkthroughContribution {
  id: string;
  title: string;
  steps: StepContribution[];
}

const progress = (reread = false) => vscode.commands.executeCommand<Progress>('dockwise.course.progress', { reread });
const answer = (id: string, given: unknown) => vscode.commands.executeCommand<AnswerReply>('dockwise.course.answer', id, given);
const stepDone = (key: string, timeoutMs = 10_000) =>
  waitFor(`course step ${key} done`, async () => ((await progress()).done.includes(key) ? true : undefined), timeoutMs);
const activeTabLabel = () => vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '';

/** The fixed Dockerfile a learner ends the Dockerfile step with (dist-test/suite → the repository's fixtures). */
const FIXED_DOCKERFILE = fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'course', 'fixed.Dockerfile'), 'utf8');

describe('The course: walkthroughs, checkpoints and hands-on steps', function () {
  this.timeout(180_000);
  let ext: vscode.Extension<unknown>;
  let walkthroughs: WalkthroughContribution[];

  before(async () => {
    ext = await activateExtension();
    walkthroughs = (ext.packageJSON as { contributes: { walkthroughs: WalkthroughContribution[] } }).contributes.walkthroughs;
    await vscode.commands.executeCommand('dockwise.course.resetProgress', { force: true });
  });

  it('contributes the three walkthroughs of the agenda, and each opens on the Welcome page', async () => {
    assert.deepEqual(walkthroughs.map((w) => w.id), ['vmKiller', 'todoApp', 'wrapUp']);
    for (const w of walkthroughs) {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${w.id}`, false);
      await waitFor(`walkthrough ${w.id} open`, () => (/Welcome|Walkthrough/.test(activeTabLabel()) ? true : undefined));
      await screenshot(`walkthrough-${w.id}`);
    }
  });

  it('opens every step, whose media files all exist (a screenshot per step)', async () => {
    for (const w of walkthroughs) {
      for (const s of w.steps) {
        const media = s.media.svg ?? s.media.markdown;
        assert.ok(media, `${w.id}.${s.id} has media`);
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(ext.extensionUri, media));
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(ext.extensionUri, 'media', w.id, `${s.id}.md`));
        if (s.media.svg) assert.ok((s.media.altText ?? '').length > 40, `${w.id}.${s.id} has alt text`);
        assert.equal(await vscode.commands.executeCommand('dockwise.openLesson', `dockwise.${w.id}#${s.id}`), true);
        await new Promise((r) => setTimeout(r, 1200)); // the media is a webview: let it render
        await screenshot(`step-${w.id}-${s.id}`);
      }
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the step a lint rule links to ("learn why")', async () => {
    assert.equal(await vscode.commands.executeCommand('dockwise.openLesson', 'dockwise.todoApp#security'), true);
    await waitFor('the walkthrough open', () => (/Welcome|Walkthrough/.test(activeTabLabel()) ? true : undefined));
    await new Promise((r) => setTimeout(r, 1200));
    await screenshot('learn-why-security');
    assert.equal(await vscode.commands.executeCommand('dockwise.openLesson', 'dockwise.todoApp#nope'), false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('awards a checkpoint\'s points once, completes its step on any attempt, and keeps the progress in storage', async () => {
    const wrong = await answer('cmdVsEntrypoint', 1);
    assert.equal(wrong.attempted, true);
    assert.equal(wrong.correct, false);
    assert.equal(wrong.awarded, 0);
    assert.match(wrong.explanation, /ENTRYPOINT/);
    assert.ok((await progress()).done.includes('todoApp.cmdEntrypoint'), 'any attempt completes the step');

    const right = await answer('cmdVsEntrypoint', 0);
    assert.equal(right.correct, true);
    assert.equal(right.awarded, 3);
    const again = await answer('cmdVsEntrypoint', 0);
    assert.equal(again.awarded, 0, 'points are given once');
    const short = await answer('projectProblems', 'Everyone has a different OS, and it works on my machine only');
    assert.equal(short.correct, true);
    assert.equal(short.awarded, 1);

    const stored = await progress(true);
    assert.equal(stored.points, 4, 'the points are in storage, as a restarted editor reads them');
    assert.ok(stored.done.includes('todoApp.cmdEntrypoint') && stored.done.includes('todoApp.project'));
    assert.equal(stored.maxPoints, 26);
  });

  it('gives the wrap-up badge when all its steps are done', async () => {
    for (const key of ['wrapUp.recap', 'wrapUp.nextSteps', 'wrapUp.resources']) {
      assert.equal(await vscode.commands.executeCommand('dockwise.course.markRead', key), true);
    }
    assert.deepEqual((await progress()).badges, []);
    const r = await answer('mostImportant', 'Compose makes multi-container apps one file');
    assert.equal(r.awarded, 1);
    assert.deepEqual((await progress(true)).badges, ['wrapUp']);
  });

  it('completes the Dockerfile step when the sample\'s saved Dockerfile has none of the course findings left', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-course-'));
    const created = await vscode.commands.executeCommand<string>('dockwise.course.createSample', { target: parent, open: false });
    assert.equal(created, path.join(parent, 'todo-app'));
    const dockerfile = path.join(created, 'Dockerfile');
    assert.ok(fs.existsSync(path.join(created, 'compose.yaml')), 'the whole sample is copied');
    const before = await vscode.commands.executeCommand<{ passed: boolean; remaining: { code: string }[] }>('dockwise.course.checkDockerfile', dockerfile);
    assert.equal(before.passed, false);
    assert.ok(before.remaining.some((f) => f.code === 'no-latest-tag'));
    assert.ok(!(await progress()).done.includes('todoApp.dockerfile'));

    const doc = await vscode.workspace.openTextDocument(dockerfile);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), FIXED_DOCKERFILE));
    await doc.save();
    await stepDone('todoApp.dockerfile');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(parent, { recursive: true, force: true });
  });

  describe('hands-on steps, completed by what the test daemon reports', () => {
    let daemon: TestDaemon;
    let docker: Dockerode;
    const containers: string[] = [];

    const run = async (name: string, image: string, opts: { cmd?: string[]; network?: string; binds?: string[]; labels?: Record<string, string> } = {}) => {
      const c = await docker.createContainer({
        name,
        Image: image,
        Cmd: opts.cmd ?? ['sleep', '30'],
        Labels: { 'dockwise.test': 'course', ...opts.labels },
        StopTimeout: 1,
        HostConfig: { NetworkMode: opts.network ?? 'none', Binds: opts.binds },
      });
      containers.push(c.id);
      await c.start();
      return c;
    };

    before(async () => {
      const root = process.env.DOCKWISE_TEST_DAEMON_ROOT;
      assert.ok(root, 'the runner passes the test daemon root in DOCKWISE_TEST_DAEMON_ROOT');
      daemon = attachTestDaemon(root);
      docker = daemon.docker;
      // The steps name real images; here the seeded busybox plays all of them.
      for (const [repo, tag] of [['alpine', '3.20'], ['postgres', '17'], ['todo-app', '1.0']]) {
        await docker.getImage(SEED.busyboxImage).tag({ repo, tag });
      }
      await waitFor('the course to see the daemon', async () => ((await progress()).daemon === 'up' ? true : undefined), 20_000);
    });

    after(async () => {
      for (const id of containers) await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
      await docker.getNetwork('todo-net').remove().catch(() => undefined);
      await docker.getVolume('todo-data').remove().catch(() => undefined);
      for (const ref of ['alpine:3.20', 'postgres:17', 'todo-app:1.0']) await docker.getImage(ref).remove({ noprune: true }).catch(() => undefined);
    });

    it('two-container demo: completes when con_1 and con_2 both ran', async () => {
      assert.ok(!(await progress()).done.includes('todoApp.ephemeral'));
      const first = await run('con_1', 'alpine:3.20', { cmd: ['/bin/busybox', 'touch', 'greeting.txt'] });
      await first.wait();
      assert.ok(!(await progress()).done.includes('todoApp.ephemeral'), 'one container is not the demo');
      const second = await run('con_2', 'alpine:3.20', { cmd: ['/bin/busybox', 'stat', 'greeting.txt'] });
      const exit = (await second.wait()) as { StatusCode: number };
      assert.notEqual(exit.StatusCode, 0, 'the second container does not see the first one\'s file');
      await stepDone('todoApp.ephemeral');
    });

    it('build and run: completes when a todo-app container starts', async () => {
      await run('todo-web', 'todo-app:1.0');
      await stepDone('todoApp.buildRun');
    });

    it('persist data: completes when a container mounts the named volume created for it', async () => {
      await docker.createVolume({ Name: 'todo-data' });
      assert.ok(!(await progress()).done.includes('todoApp.persistData'));
      await run('todo-db', 'postgres:17', { binds: ['todo-data:/var/lib/postgresql/data'] });
      await stepDone('todoApp.persistData');
    });

    it('networking: completes when two containers share a user-defined network', async () => {
      await docker.createNetwork({ Name: 'todo-net', Driver: 'bridge', Internal: true, Labels: { 'dockwise.test': 'course' } });
      await run('db', 'postgres:17', { network: 'todo-net' });
      assert.ok(!(await progress()).done.includes('todoApp.connectApp'), 'one container alone shares nothing');
      await run('pinger', 'alpine:3.20', { network: 'todo-net' });
      await stepDone('todoApp.connectApp');
    });

    it('compose: completes when a compose project\'s containers run', async () => {
      const labels = (service: string) => ({ 'com.docker.compose.project': 'todo-app', 'com.docker.compose.service': service, 'com.docker.compose.oneoff': 'False' });
      await run('todo-app-db-1', 'postgres:17', { labels: labels('db') });
      await run('todo-app-web-1', 'todo-app:1.0', { labels: labels('web') });
      await stepDone('todoApp.compose');
      const stored = await progress(true);
      for (const key of ['todoApp.ephemeral', 'todoApp.buildRun', 'todoApp.persistData', 'todoApp.connectApp', 'todoApp.compose']) {
        assert.ok(stored.done.includes(key), `${key} kept in storage`);
      }
      await vscode.commands.executeCommand('dockwise.openLesson', 'dockwise.todoApp#compose');
      await new Promise((r) => setTimeout(r, 1200));
      await screenshot('step-todoApp-compose-done');
    });
  });

  describe('afterwards', () => {
    it('resets points, steps and badges', async () => {
      assert.equal(await vscode.commands.executeCommand('dockwise.course.resetProgress', { force: true }), true);
      const p = await progress(true);
      assert.deepEqual([p.points, p.stepsDone, p.badges.length], [0, 0, 0]);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  });
});
