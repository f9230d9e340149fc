import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import * as vscode from 'vscode';
import { questionById } from '../../../src/walkthroughs/checkpoints';
import type { ChoiceQuestion, ShortQuestion } from '../../../src/walkthroughs/questions';
import { attachTestDaemon, TestDaemon } from '../../support/testDaemon';
import { activateExtension, EXTENSION_ID, queryWorkbench, screenshot, waitFor, workspaceRoot } from '../support';

interface Progress {
  points: number;
  maxPoints: number;
  stepsDone: number;
  badges: string[];
  done: string[];
  daemon: string;
  answers: Record<string, { attempts: number; correct: boolean; awarded: number }>;
  handsOn: Record<string, { state: string; summary: string; hint?: string }>;
  pendingStep?: { step: string; folder: string };
}
interface AnswerReply {
  attempted: boolean;
  correct: boolean;
  score: number;
  awarded: number;
  firstAttempt: boolean;
  stepCompleted: boolean;
  points: number;
  explanation: string;
  ideas: { label: string; had: boolean }[];
}
interface Outcome {
  state: string;
  summary: string;
  hint?: string;
  logTail?: string[];
}
interface StepContribution {
  id: string;
  description: string;
  media: { svg?: string; markdown?: string; altText?: string };
}
interface WalkthroughContribution {
  id: string;
  title: string;
  steps: StepContribution[];
}

const progress = (reread = false) => vscode.commands.executeCommand<Progress>('dockwise.course.progress', { reread });
const answer = (id: string, given: unknown) => vscode.commands.executeCommand<AnswerReply>('dockwise.course.answer', id, given);
const checkStep = (key: string) => vscode.commands.executeCommand<Outcome>('dockwise.course.checkStep', key, { quiet: true });
const stepDone = (key: string, timeoutMs = 20_000) =>
  waitFor(`course step ${key} done`, async () => ((await progress()).done.includes(key) ? true : undefined), timeoutMs);
const activeTabLabel = () => vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The tick the open walkthrough shows for a step: true, false, or undefined when the step is not on screen. */
async function tickShown(key: string): Promise<boolean | undefined> {
  const [w, s] = key.split('.');
  const found = await queryWorkbench(`[data-done-step-id="${EXTENSION_ID}#${w}#${s}"]`, ['aria-checked']);
  if (!found?.length) return undefined;
  return found[0].attrs['aria-checked'] === 'true';
}
const waitForTick = (key: string, shown: boolean) =>
  waitFor(`the walkthrough to show ${key} as ${shown ? 'done' : 'not done'}`, async () => ((await tickShown(key)) === shown ? true : undefined), 20_000);
const underCodeServer = () => process.env.DOCKWISE_TEST_HOST === 'code-server';

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
        await sleep(1200); // the media is a webview: let it render
        await screenshot(`step-${w.id}-${s.id}`);
      }
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows a checkpoint\'s question as text in the step, with a short Answer button', async function () {
    if (!underCodeServer()) this.skip();
    await vscode.commands.executeCommand('dockwise.openLesson', 'dockwise.todoApp#cmdEntrypoint');
    await sleep(1000);
    const buttons = await queryWorkbench('.getting-started-step.expanded .button-container .monaco-button');
    assert.ok(buttons?.some((b) => /^Answer \(\+\d\)$/.test(b.text.trim())), `an Answer button: ${buttons?.map((b) => b.text).join(' | ')}`);
    const text = await queryWorkbench('.getting-started-step.expanded .step-description-container p');
    assert.ok(text?.some((p) => p.text.includes('Checkpoint:') && p.text.includes('CMD')), 'the question is readable text in the step');
    await screenshot('checkpoint-in-step');
  });

  it('opens the step a lint rule links to ("learn why")', async () => {
    assert.equal(await vscode.commands.executeCommand('dockwise.openLesson', 'dockwise.todoApp#security'), true);
    await waitFor('the walkthrough open', () => (/Welcome|Walkthrough/.test(activeTabLabel()) ? true : undefined));
    await sleep(1200);
    await screenshot('learn-why-security');
    assert.equal(await vscode.commands.executeCommand('dockwise.openLesson', 'dockwise.todoApp#nope'), false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('checkpoints', () => {
    const choice = (id: string) => questionById(id) as ChoiceQuestion;
    const wrongOption = (q: ChoiceQuestion) => (q.correct + 1) % q.options.length;

    it('score the first attempt only: a right retry after the explanation earns nothing', async () => {
      const q = choice('cmdVsEntrypoint');
      const wrong = await answer(q.id, wrongOption(q));
      assert.deepEqual([wrong.attempted, wrong.correct, wrong.awarded, wrong.firstAttempt], [true, false, 0, true]);
      assert.match(wrong.explanation, /ENTRYPOINT/);
      assert.equal(wrong.stepCompleted, true, 'an attempt completes a checkpoint step');
      const retry = await answer(q.id, q.correct);
      assert.deepEqual([retry.correct, retry.awarded, retry.firstAttempt], [true, 0, false]);
      assert.equal((await progress(true)).points, 0, 'no points in storage either');
    });

    it('compare an answer in own words with the model answer: the learner says which key ideas it had', async () => {
      const none = await answer('projectProblems', { text: 'I don\'t know', had: [] });
      assert.deepEqual([none.attempted, none.correct, none.awarded], [true, false, 0], 'a non-answer earns nothing');
      const q = questionById('perfFactors') as ShortQuestion;
      const had = q.ideas.slice(0, q.need).map((i) => i.label);
      const words = await answer(q.id, { text: 'Fat images pull slowly; a container without a memory cap can starve the rest', had });
      assert.deepEqual([words.correct, words.awarded], [true, 3], 'a right answer in other words gets its points');
      assert.deepEqual(words.ideas.map((i) => i.had), q.ideas.map((_, i) => i < q.need));
      const empty = await answer('perfSolutions', { text: '   ', had: [0, 1, 2] });
      assert.equal(empty.attempted, false, 'claims without a written answer are no attempt');
      const stored = await progress(true);
      assert.equal(stored.points, 3);
      assert.ok(stored.done.includes('todoApp.project') && stored.done.includes('todoApp.performance'));
      assert.ok(!stored.answers.perfSolutions);
    });

    it('never tick a hands-on step: a question on one only earns points', async () => {
      const q = choice('whyFileMissing');
      const r = await answer(q.id, q.correct);
      assert.equal(r.awarded, 1);
      assert.equal(r.stepCompleted, false);
      assert.ok(!(await progress()).done.includes(q.step));
    });

    it('ask multiple choice in a shuffled quick pick and own words in an input box; backing out is no attempt', async () => {
      const before = (await progress()).answers;
      for (const [id, picture] of [['volumeVsBind', 'checkpoint-choice'], ['problemsFaced', 'checkpoint-own-words']]) {
        const asked = vscode.commands.executeCommand<AnswerReply | undefined>('dockwise.course.answer', id);
        await sleep(1500);
        await screenshot(picture);
        if (underCodeServer()) {
          const shown = await queryWorkbench('.quick-input-widget .quick-input-title, .quick-input-widget .quick-input-message, .quick-input-widget .monaco-list-row');
          assert.ok(shown?.some((e) => /first answer counts/.test(e.text)), `the title says the first answer counts: ${shown?.map((e) => e.text).join(' | ')}`);
        }
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        assert.equal(await asked, undefined);
      }
      assert.deepEqual((await progress()).answers, before, 'nothing recorded');
    });

    it('give the wrap-up badge when all its steps are done', async () => {
      for (const key of ['wrapUp.recap', 'wrapUp.nextSteps', 'wrapUp.resources']) {
        assert.equal(await vscode.commands.executeCommand('dockwise.course.markRead', key), true);
      }
      assert.equal(await vscode.commands.executeCommand('dockwise.course.markRead', 'todoApp.buildRun'), false, 'a hands-on step cannot be marked read');
      assert.deepEqual((await progress()).badges, []);
      const r = await answer('mostImportant', { text: 'Compose makes multi-container apps one file', had: [2] });
      assert.equal(r.awarded, 1);
      assert.deepEqual((await progress(true)).badges, ['wrapUp']);
    });
  });

  it('completes the Dockerfile step when the sample\'s saved Dockerfile has none of the course findings left', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-course-'));
    const created = await vscode.commands.executeCommand<string>('dockwise.course.createSample', { target: parent, open: false, step: 'todoApp.dockerfile' });
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

    // The sample opens in a new window, which shows the step the learner was on.
    assert.deepEqual((await progress()).pendingStep?.step, 'todoApp.dockerfile');
    assert.equal(await vscode.commands.executeCommand('dockwise.course.resumePendingStep', ['/somewhere/else']), undefined, 'another window does not take it');
    assert.equal(await vscode.commands.executeCommand('dockwise.course.resumePendingStep', [created]), 'todoApp.dockerfile');
    await waitFor('the walkthrough open', () => (/Welcome|Walkthrough/.test(activeTabLabel()) ? true : undefined));
    if (underCodeServer()) {
      const open = await waitFor('the step expanded', async () => {
        const found = await queryWorkbench('.getting-started-step.expanded', ['data-step-id']);
        return found?.length ? found : undefined;
      });
      assert.equal(open[0].attrs['data-step-id'], `${EXTENSION_ID}#todoApp#dockerfile`);
      await screenshot('sample-window-back-on-step');
    }
    assert.equal((await progress()).pendingStep, undefined, 'the step is shown once');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(parent, { recursive: true, force: true });
  });

  describe('terminal buttons', () => {
    const executions: { line: string; exitCode: number | undefined; cwd?: string; terminal: string }[] = [];
    let sub: vscode.Disposable;
    before(() => {
      sub = vscode.window.onDidEndTerminalShellExecution((e) =>
        executions.push({ line: e.execution.commandLine.value, exitCode: e.exitCode, cwd: (e.execution.cwd ?? e.terminal.shellIntegration?.cwd)?.fsPath, terminal: e.terminal.name }),
      );
    });
    after(() => sub.dispose());

    it('run their command in the sample folder: two clicks run it twice, never one garbled line', async function () {
      assert.equal(await vscode.commands.executeCommand('dockwise.course.runInTerminal', 'dockerVersion'), true);
      const terminal = await waitFor('the course terminal', () => vscode.window.terminals.find((t) => t.name === 'Dockwise Course'));
      // Shell integration lets the test see each command; on a busy machine it takes a while to start.
      await waitFor('shell integration in the course terminal', () => terminal.shellIntegration, 60_000).catch(() => undefined);
      if (!terminal.shellIntegration) this.skip();
      executions.length = 0;
      assert.equal(await vscode.commands.executeCommand('dockwise.course.runInTerminal', 'dockerVersion'), true);
      assert.equal(await vscode.commands.executeCommand('dockwise.course.runInTerminal', 'dockerVersion'), true);
      const runs = await waitFor('two runs of docker version', () => {
        const mine = executions.filter((e) => e.terminal.startsWith('Dockwise Course'));
        return mine.length >= 2 ? mine : undefined;
      }, 30_000);
      for (const r of runs) {
        assert.equal(r.line, 'docker version', 'exactly the snippet, run on its own');
        assert.equal(r.exitCode, 0, 'it talked to the test daemon');
        assert.equal(r.cwd, path.join(workspaceRoot(), 'todo-app'), 'in the sample folder');
      }
    });

    it('clear a half-typed line before running', async function () {
      const terminal = vscode.window.terminals.find((t) => t.name === 'Dockwise Course');
      if (!terminal?.shellIntegration) this.skip();
      executions.length = 0;
      terminal!.sendText('echo half-typed', false);
      await sleep(300);
      await vscode.commands.executeCommand('dockwise.course.runInTerminal', 'dockerVersion');
      const run = await waitFor('the run', () => executions.find((e) => e.terminal.startsWith('Dockwise Course')), 30_000);
      assert.equal(run.line, 'docker version');
      assert.equal(run.exitCode, 0);
      await screenshot('course-terminal');
    });
  });

  describe('hands-on steps, ticked by what the test daemon shows', () => {
    let daemon: TestDaemon;
    let docker: Dockerode;
    const containers: string[] = [];

    const run = async (name: string, image: string, opts: { cmd?: string[]; mounts?: Dockerode.MountSettings[]; autoRemove?: boolean } = {}) => {
      const c = await docker.createContainer({
        name,
        Image: image,
        Cmd: opts.cmd ?? ['sleep', '30'],
        Labels: { 'dockwise.test': 'course' },
        StopTimeout: 1,
        HostConfig: { NetworkMode: 'none', Mounts: opts.mounts, AutoRemove: opts.autoRemove },
      });
      if (!opts.autoRemove) containers.push(c.id);
      await c.start();
      return c;
    };

    before(async () => {
      const root = process.env.DOCKWISE_TEST_DAEMON_ROOT;
      assert.ok(root, 'the runner passes the test daemon root in DOCKWISE_TEST_DAEMON_ROOT');
      daemon = attachTestDaemon(root);
      docker = daemon.docker;
      await docker.getImage(daemon.seeded.busyboxImage).tag({ repo: 'dw-demo-alpine', tag: '1' });
      await docker.getImage(daemon.seeded.layeredImage).tag({ repo: 'todo-app', tag: 'broken' });
      await waitFor('the course to see the daemon', async () => ((await progress()).daemon === 'up' ? true : undefined), 20_000);
    });

    after(async () => {
      for (const id of containers) await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
      await docker.getVolume('dw-shared-demo').remove().catch(() => undefined);
      for (const ref of ['dw-demo-alpine:1', 'todo-app:broken']) await docker.getImage(ref).remove({ noprune: true }).catch(() => undefined);
    });

    it('do not tick the demo when the two containers share a volume, and say why', async () => {
      await vscode.commands.executeCommand('dockwise.openLesson', 'dockwise.todoApp#ephemeral');
      const shared: Dockerode.MountSettings[] = [{ Type: 'volume', Source: 'dw-shared-demo', Target: '/w' }];
      await (await run('con_1', 'dw-demo-alpine:1', { cmd: ['/bin/busybox', 'touch', '/w/greeting.txt'], mounts: shared, autoRemove: true })).wait().catch(() => undefined);
      await (await run('con_2', 'dw-demo-alpine:1', { cmd: ['/bin/busybox', 'stat', '/w/greeting.txt'], mounts: shared, autoRemove: true })).wait().catch(() => undefined);
      const seen = await waitFor('the course to look at the demo', async () => {
        const h = (await progress()).handsOn['todoApp.ephemeral'];
        return h?.state === 'problem' ? h : undefined;
      });
      assert.match(seen.summary, /con_2 found greeting\.txt/);
      assert.ok(!(await progress()).done.includes('todoApp.ephemeral'));
      if (underCodeServer()) assert.equal(await tickShown('todoApp.ephemeral'), false);
      await screenshot('handsOn-ephemeral-before');
    });

    it('tick the demo when con_2 cannot find the file con_1 created', async () => {
      await (await run('con_1', 'dw-demo-alpine:1', { cmd: ['/bin/busybox', 'touch', 'greeting.txt'], autoRemove: true })).wait().catch(() => undefined);
      assert.ok(!(await progress()).done.includes('todoApp.ephemeral'), 'one container is not the demo');
      await (await run('con_2', 'dw-demo-alpine:1', { cmd: ['/bin/busybox', 'stat', 'greeting.txt'], autoRemove: true })).wait().catch(() => undefined);
      await stepDone('todoApp.ephemeral');
      if (underCodeServer()) await waitForTick('todoApp.ephemeral', true);
      await screenshot('handsOn-ephemeral-after');
    });

    it('say what went wrong when the app exits, with its last log lines, and do not tick', async () => {
      const c = await run('todo-web', 'todo-app:broken', { cmd: ['/bin/sh', '-c', 'echo "Error: connect ECONNREFUSED 127.0.0.1:3306" >&2; exit 1'] });
      await c.wait();
      const o = await checkStep('todoApp.buildRun');
      assert.equal(o.state, 'problem');
      assert.match(o.summary, /todo-web exited with code 1/);
      assert.deepEqual(o.logTail, ['Error: connect ECONNREFUSED 127.0.0.1:3306']);
      assert.match(o.hint ?? '', /docker logs todo-web/);
      assert.ok(!(await progress()).done.includes('todoApp.buildRun'));
    });

    it('keep a step done across a restart; a reset clears the open walkthrough\'s ticks, and steps done again tick again', async () => {
      assert.ok((await progress(true)).done.includes('todoApp.ephemeral'), 'kept in storage');
      assert.equal(await vscode.commands.executeCommand('dockwise.course.markRead', 'todoApp.containers'), true);
      await vscode.commands.executeCommand('dockwise.openLesson', 'dockwise.todoApp#ephemeral');
      if (underCodeServer()) {
        await waitForTick('todoApp.ephemeral', true);
        await waitForTick('todoApp.containers', true);
      }
      assert.equal(await vscode.commands.executeCommand('dockwise.course.resetProgress', { force: true }), true);
      const p = await progress(true);
      assert.deepEqual([p.points, p.badges.length, p.done], [0, 0, []]);
      if (underCodeServer()) {
        // The walkthrough stayed open, with no reload: its ticks follow the reset.
        await waitForTick('todoApp.ephemeral', false);
        await waitForTick('todoApp.containers', false);
      }
      await sleep(1500);
      assert.ok(!(await progress()).done.includes('todoApp.ephemeral'), 'the demo run before the reset no longer counts');
      // Done again: ticked again, still without a reload.
      assert.equal(await vscode.commands.executeCommand('dockwise.course.markRead', 'todoApp.containers'), true);
      await (await run('con_1', 'dw-demo-alpine:1', { cmd: ['/bin/busybox', 'touch', 'greeting.txt'], autoRemove: true })).wait().catch(() => undefined);
      await (await run('con_2', 'dw-demo-alpine:1', { cmd: ['/bin/busybox', 'stat', 'greeting.txt'], autoRemove: true })).wait().catch(() => undefined);
      await stepDone('todoApp.ephemeral');
      if (underCodeServer()) {
        await waitForTick('todoApp.containers', true);
        await waitForTick('todoApp.ephemeral', true);
      }
      await screenshot('handsOn-after-reset');
    });

    it('tick nothing from a look that read the daemon before a reset, and look again after it', async () => {
      assert.equal(await vscode.commands.executeCommand('dockwise.course.resetProgress', { force: true }), true);
      await (await run('con_1', 'dw-demo-alpine:1', { cmd: ['/bin/busybox', 'touch', 'greeting.txt'], autoRemove: true })).wait().catch(() => undefined);
      await (await run('con_2', 'dw-demo-alpine:1', { cmd: ['/bin/busybox', 'stat', 'greeting.txt'], autoRemove: true })).wait().catch(() => undefined);
      // The look these exits start (300 ms later) is still waiting on the frozen daemon when progress is reset.
      await sleep(100);
      process.kill(daemon.pid, 'SIGSTOP');
      try {
        await sleep(1000);
        assert.equal(await vscode.commands.executeCommand('dockwise.course.resetProgress', { force: true }), true);
      } finally {
        process.kill(daemon.pid, 'SIGCONT');
      }
      await sleep(3000);
      assert.ok(!(await progress()).done.includes('todoApp.ephemeral'), 'the demo run before the reset does not tick the step');
      // The look the reset asked for read the daemon again: the demo counts once it runs again.
      await (await run('con_1', 'dw-demo-alpine:1', { cmd: ['/bin/busybox', 'touch', 'greeting.txt'], autoRemove: true })).wait().catch(() => undefined);
      await (await run('con_2', 'dw-demo-alpine:1', { cmd: ['/bin/busybox', 'stat', 'greeting.txt'], autoRemove: true })).wait().catch(() => undefined);
      await stepDone('todoApp.ephemeral');
    });
  });

  describe('afterwards', () => {
    it('resets points, steps and badges', async () => {
      assert.equal(await vscode.commands.executeCommand('dockwise.course.resetProgress', { force: true }), true);
      const p = await progress(true);
      assert.deepEqual([p.points, p.badges.length], [0, 0]);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const t of vscode.window.terminals.filter((x) => x.name.startsWith('Dockwise Course'))) t.dispose();
    });
  });
});
