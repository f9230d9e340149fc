/**
 * The course inside the editor: checkpoint questions, progress with points and badges, hands-on steps completed by
 * what the Docker daemon reports, the todo-app sample, and "learn why" links into the walkthroughs.
 * Walkthrough steps complete through context keys (`completionEvents: onContext:dockwise.course.<step>`).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DaemonState, DockerEvent } from '../docker/daemonWatcher';
import { contextKey, findStep, lessonFile, SNIPPETS, StepKey } from './course';
import { checkCourseDockerfile, DockerfileCheck } from './dockerfileCheck';
import { ContainerInspect, HandsOnTracker } from './handsOnChecks';
import { LESSONS, openWalkthroughArgs, qualifiedStepId, resolveLesson } from './lessons';
import { CourseProgress, maxPoints, PROGRESS_KEY, ProgressSummary } from './progress';
import { AnswerResult, checkAnswer, isAttempt, POINTS, Question, questionById, QUESTIONS } from './questions';

export { LESSONS } from './lessons';

/** What the course needs of the daemon connection (src/docker/daemonWatcher.ts's DaemonWatcher fits). */
export interface CourseDaemon {
  readonly state: DaemonState;
  readonly docker: { getContainer(id: string): { inspect(): Promise<unknown> } };
  on(event: 'state', listener: (state: DaemonState) => void): unknown;
  on(event: 'event', listener: (event: DockerEvent) => void): unknown;
  off(event: 'state', listener: (state: DaemonState) => void): unknown;
  off(event: 'event', listener: (event: DockerEvent) => void): unknown;
  retryNow?(): void;
}

export const TERMINAL_NAME = 'Dockwise Course';
const SAMPLE_FOLDER_KEY = 'dockwise.course.sampleFolder';
const DAEMON_UP_KEY = 'dockwise.course.daemonUp';
const INSPECT_TIMEOUT_MS = 5000;

/** What `dockwise.course.progress` returns. */
export interface CourseProgressReply extends ProgressSummary {
  daemon: DaemonState | 'none';
}

/** What `dockwise.course.answer` returns (the tests drive it with an answer argument). */
export interface AnswerReply extends AnswerResult {
  question: string;
  attempted: boolean;
  awarded: number;
  points: number;
}

export function registerCourse(context: vscode.ExtensionContext, watcher: CourseDaemon | undefined, log: vscode.LogOutputChannel): void {
  const progress = new CourseProgress(context.globalState, maxPoints(QUESTIONS));
  context.globalState.setKeysForSync([PROGRESS_KEY]);
  // Replaced on a reset: a step reached before it must be reached again from what the daemon shows next.
  let tracker = new HandsOnTracker();

  const status = vscode.window.createStatusBarItem('dockwise.course', vscode.StatusBarAlignment.Right, 90);
  status.name = 'Dockwise Course';
  status.command = 'dockwise.course.showProgress';
  context.subscriptions.push(status);

  const refreshStatus = () => {
    const s = progress.summary();
    status.text = `$(mortar-board) ${s.points} pts${s.badges.length ? ` · ${s.badges.length} $(star-full)` : ''}`;
    status.tooltip = `Dockwise course: ${s.stepsDone}/${s.stepsTotal} steps, ${s.points}/${s.maxPoints} points, ${s.badges.length}/${s.walkthroughs.length} badges. Click for details.`;
    status.show();
  };

  const setStepContext = (key: string, value: boolean) => vscode.commands.executeCommand('setContext', contextKey(key as StepKey), value);

  /** Marks a step done, ticks it in its walkthrough and announces a badge when that was the walkthrough's last step. */
  const complete = async (key: string, why: string) => {
    const badgesBefore = progress.summary().badges;
    const fresh = await progress.completeStep(key);
    await setStepContext(key, true);
    if (!fresh) return;
    log.info(`course: ${key} done (${why})`);
    refreshStatus();
    announceBadges(badgesBefore, progress.summary());
  };

  // Context keys do not persist; VS Code keeps its ticks, but reset and the when-clauses need ours.
  for (const key of progress.summary().done) void setStepContext(key, true);
  refreshStatus();

  const answer = async (questionId: unknown, given?: unknown): Promise<AnswerReply | undefined> => {
    const q = typeof questionId === 'string' ? questionById(questionId) : undefined;
    if (!q) {
      log.warn(`course: no checkpoint question ${String(questionId)}`);
      return undefined;
    }
    const interactive = given === undefined;
    const response = interactive ? await askQuestion(q) : given;
    if (response === undefined) return undefined; // dismissed
    const result = checkAnswer(q, response);
    const attempted = isAttempt(q, response);
    let awarded = 0;
    if (attempted) {
      const badgesBefore = progress.summary().badges;
      const outcome = await progress.recordAnswer(q, result.correct);
      awarded = outcome.awarded;
      await setStepContext(q.step, true);
      refreshStatus();
      announceBadges(badgesBefore, progress.summary());
    }
    const reply: AnswerReply = { ...result, question: q.id, attempted, awarded, points: progress.points };
    if (interactive) void showVerdict(q, reply);
    return reply;
  };

  const openLesson = async (name: unknown) => {
    const target = typeof name === 'string' ? resolveLesson(name) : undefined;
    if (!target) {
      log.warn(`course: no lesson named ${String(name)}`);
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'dockwise.dockwise#todoApp', false);
      return false;
    }
    // An open Welcome editor that already shows a step ignores the step asked for (VS Code 1.100), so start afresh.
    await closeWalkthroughEditors();
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', openWalkthroughArgs(target), false);
    return true;
  };

  const readLesson = async (key: unknown) => {
    const found = typeof key === 'string' ? findStep(key) : undefined;
    if (!found) return false;
    const uri = vscode.Uri.joinPath(context.extensionUri, lessonFile(found.walkthrough.id, found.step.id));
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    return true;
  };

  const sampleFolder = (): string | undefined => context.globalState.get<string>(SAMPLE_FOLDER_KEY);

  const runInTerminal = async (snippetId: unknown) => {
    const text = typeof snippetId === 'string' && Object.hasOwn(SNIPPETS, snippetId) ? SNIPPETS[snippetId] : undefined;
    if (!text) return false;
    let terminal = vscode.window.terminals.find((t) => t.name === TERMINAL_NAME);
    if (!terminal) {
      const cwd = await existingFolder(sampleFolder()) ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      terminal = vscode.window.createTerminal({ name: TERMINAL_NAME, cwd });
    }
    terminal.show();
    // Not executed: the learner reads it, may edit it, and presses Enter. Completion comes from the daemon.
    terminal.sendText(text, false);
    if (!daemonUp()) void offerDaemonHelp(undefined);
    return true;
  };

  const daemonUp = () => watcher?.state === 'up';

  const offerDaemonHelp = async (key: unknown) => {
    const retry = 'Retry';
    const read = 'Read the lesson';
    if (daemonUp()) {
      const ok = await vscode.window.showInformationMessage(
        'Docker is running: run the step\'s commands and the step ticks itself when the daemon reports them.',
        ...(typeof key === 'string' ? [read] : []),
      );
      if (ok === read) await readLesson(key);
      return true;
    }
    const pick = await vscode.window.showWarningMessage(
      `Docker is not answering, so this step cannot see what you run yet. ${startDockerHint(process.platform)}`,
      retry,
      ...(typeof key === 'string' ? [read] : []),
    );
    if (pick === retry) watcher?.retryNow?.();
    if (pick === read) await readLesson(key);
    return daemonUp(); // the state may have changed while the message was up
  };

  const createSample = async (options?: { target?: string; open?: boolean }) => {
    const source = vscode.Uri.joinPath(context.extensionUri, 'samples', 'todo-app');
    let parent = typeof options?.target === 'string' ? vscode.Uri.file(options.target) : undefined;
    if (!parent) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        openLabel: 'Create the todo-app sample here',
        title: 'Where should the todo-app sample go?',
      });
      parent = picked?.[0];
    }
    if (!parent) return undefined;
    const dest = await freeFolder(parent, 'todo-app');
    if (!dest) {
      void vscode.window.showErrorMessage(`There are too many todo-app folders in ${parent.fsPath} already; pick another folder.`);
      return undefined;
    }
    await vscode.workspace.fs.copy(source, dest, { overwrite: false });
    await context.globalState.update(SAMPLE_FOLDER_KEY, dest.fsPath);
    log.info(`course: sample created in ${dest.fsPath}`);
    if (options?.open !== false) {
      await vscode.commands.executeCommand('vscode.openFolder', dest, { forceNewWindow: !!vscode.workspace.workspaceFolders?.length });
    }
    return dest.fsPath;
  };

  const checkDockerfile = async (target?: unknown): Promise<DockerfileCheck | undefined> => {
    const uri = target instanceof vscode.Uri ? target : typeof target === 'string' ? vscode.Uri.file(target) : await defaultDockerfile(sampleFolder());
    if (!uri) {
      void vscode.window.showInformationMessage('Open the todo-app sample\'s Dockerfile first (or create the sample).');
      return undefined;
    }
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (e) {
      log.warn(`course: cannot read ${uri.fsPath}: ${String(e)}`);
      return undefined;
    }
    const result = checkCourseDockerfile(text, uri.fsPath);
    if (result.passed) await complete('todoApp.dockerfile', `no course findings left in ${uri.fsPath}`);
    if (target === undefined) {
      if (result.passed) void vscode.window.showInformationMessage('The Dockerfile has none of the course\'s findings left. Step done!');
      else void vscode.window.showInformationMessage(`Still to fix: ${[...new Set(result.remaining.map((f) => f.code))].join(', ')}.`);
    }
    return result;
  };

  const showProgress = async () => {
    const s = progress.summary();
    const items: (vscode.QuickPickItem & { run: () => unknown })[] = s.walkthroughs.map((w) => ({
      label: `${w.badge ? '$(star-full)' : '$(circle-large-outline)'} ${w.title}`,
      description: `${w.done}/${w.total} steps`,
      detail: w.badge ? 'Badge earned' : undefined,
      run: () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `dockwise.dockwise#${w.id}`, false),
    }));
    items.push({ label: '$(discard) Reset course progress', description: '', run: () => vscode.commands.executeCommand('dockwise.course.resetProgress') });
    const pick = await vscode.window.showQuickPick(items, { title: `Dockwise course: ${s.points}/${s.maxPoints} points, ${s.stepsDone}/${s.stepsTotal} steps` });
    await pick?.run();
    return s;
  };

  const resetProgress = async (options?: { force?: boolean }) => {
    if (!options?.force) {
      const yes = 'Reset';
      const pick = await vscode.window.showWarningMessage('Forget all course points, badges and completed steps?', { modal: true }, yes);
      if (pick !== yes) return false;
    }
    const was = await progress.reset();
    tracker = new HandsOnTracker();
    for (const key of was) {
      await setStepContext(key, false);
      const found = findStep(key);
      if (found) {
        await Promise.resolve(
          vscode.commands.executeCommand('welcome.markStepIncomplete', qualifiedStepId({ walkthrough: found.walkthrough.id, step: found.step.id })),
        ).catch(() => undefined);
      }
    }
    refreshStatus();
    log.info('course: progress reset');
    return true;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('dockwise.openLesson', openLesson),
    vscode.commands.registerCommand('dockwise.course.answer', answer),
    vscode.commands.registerCommand('dockwise.course.markRead', async (key: unknown) => {
      if (typeof key !== 'string' || !findStep(key)) return false;
      await complete(key, 'read');
      return true;
    }),
    vscode.commands.registerCommand('dockwise.course.readLesson', readLesson),
    vscode.commands.registerCommand('dockwise.course.runInTerminal', runInTerminal),
    vscode.commands.registerCommand('dockwise.course.startDocker', offerDaemonHelp),
    vscode.commands.registerCommand('dockwise.course.createSample', createSample),
    vscode.commands.registerCommand('dockwise.course.checkDockerfile', checkDockerfile),
    vscode.commands.registerCommand('dockwise.course.showProgress', showProgress),
    vscode.commands.registerCommand('dockwise.course.resetProgress', resetProgress),
    // For tests and tools: the progress, optionally read back from storage as a restarted editor would see it.
    vscode.commands.registerCommand('dockwise.course.progress', (options?: { reread?: boolean }): CourseProgressReply => ({
      ...(options?.reread ? new CourseProgress(context.globalState, maxPoints(QUESTIONS)) : progress).summary(),
      daemon: watcher?.state ?? 'none',
    })),
    vscode.workspace.onDidSaveTextDocument(async (doc) => {
      if (doc.uri.scheme !== 'file' || !isDockerfileName(path.basename(doc.uri.fsPath))) return;
      if (progress.isDone('todoApp.dockerfile') || !(await isSampleDockerfile(doc.uri.fsPath, sampleFolder()))) return;
      await checkDockerfile(doc.uri);
    }),
  );

  if (watcher) {
    const onState = (state: DaemonState) => void vscode.commands.executeCommand('setContext', DAEMON_UP_KEY, state === 'up');
    const onEvent = (event: DockerEvent) => {
      for (const key of tracker.feedEvent(event)) void complete(key, `daemon event ${event.Type} ${event.Action}`);
      if (event.Type === 'container' && event.Action === 'start' && typeof event.Actor?.ID === 'string') {
        void inspectContainer(watcher, event.Actor.ID).then((info) => {
          if (info) for (const key of tracker.feedContainer(info)) void complete(key, `container ${event.Actor.ID.slice(0, 12)}`);
        });
      }
    };
    watcher.on('state', onState);
    watcher.on('event', onEvent);
    onState(watcher.state);
    context.subscriptions.push({ dispose: () => (watcher.off('state', onState), watcher.off('event', onEvent)) });
  } else {
    void vscode.commands.executeCommand('setContext', DAEMON_UP_KEY, false);
  }
}

/** Welcome-page editors (walkthroughs) have no public tab input type; they are known by their label. */
async function closeWalkthroughEditors(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input === undefined && /^(Welcome|Walkthrough: )/.test(t.label));
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
}

function announceBadges(before: readonly string[], after: ProgressSummary): void {
  for (const w of after.walkthroughs) {
    if (w.badge && !before.includes(w.id)) void vscode.window.showInformationMessage(`Badge earned: "${w.title}" completed. ${after.points} points so far.`);
  }
}

async function askQuestion(q: Question): Promise<string | number | undefined> {
  const title = `Checkpoint (+${POINTS[q.reward]} ${q.reward === 'small' ? 'point' : 'points'})`;
  if (q.kind === 'choice') {
    const picked = await vscode.window.showQuickPick(
      q.options.map((o, i) => ({ label: `${String.fromCharCode(65 + i)}. ${o}`, index: i })),
      { title, placeHolder: q.prompt, ignoreFocusOut: true },
    );
    return picked?.index;
  }
  return vscode.window.showInputBox({ title, prompt: q.prompt, placeHolder: q.placeholder, ignoreFocusOut: true });
}

async function showVerdict(q: Question, r: AnswerReply): Promise<void> {
  if (!r.attempted) return;
  const head = r.correct
    ? `Right!${r.awarded ? ` +${r.awarded} ${r.awarded === 1 ? 'point' : 'points'}.` : ''}`
    : q.kind === 'short'
      ? 'Not quite: here are the key ideas.'
      : 'Not quite.';
  const ideas = q.kind === 'short' ? `\n\nKey ideas:\n${q.ideas.map((i) => `${r.found.includes(i.label) ? '✓' : '•'} ${i.label}`).join('\n')}` : '';
  await vscode.window.showInformationMessage(head, { modal: true, detail: `${r.explanation}${ideas}\n\nTotal: ${r.points} points.` });
}

async function inspectContainer(watcher: CourseDaemon, id: string): Promise<ContainerInspect | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return (await Promise.race([
      watcher.docker.getContainer(id).inspect(),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), INSPECT_TIMEOUT_MS))),
    ])) as ContainerInspect | undefined;
  } catch {
    return undefined; // gone already (--rm) or the daemon went away: the event alone decides
  } finally {
    clearTimeout(timer);
  }
}

/** How to get a daemon running, per platform. */
export function startDockerHint(platform: NodeJS.Platform): string {
  if (platform === 'darwin' || platform === 'win32') return 'Start Docker Desktop (or another engine such as Colima or Rancher Desktop), wait until it says it is running, then retry.';
  return 'Start the daemon with `sudo systemctl start docker` (or start Docker Desktop), check it with `docker version`, then retry.';
}

const DOCKERFILE_NAME = /^(Dockerfile|Containerfile)(\..+)?$|\.(Dockerfile|dockerfile)$/;
export const isDockerfileName = (base: string): boolean => DOCKERFILE_NAME.test(base);

async function isSampleDockerfile(file: string, sample: string | undefined): Promise<boolean> {
  const dir = path.dirname(file);
  if (sample && path.resolve(dir) === path.resolve(sample)) return true;
  try {
    const pkg = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path.join(dir, 'package.json')))));
    return pkg?.name === 'todo-app';
  } catch {
    return false;
  }
}

async function defaultDockerfile(sample: string | undefined): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && isDockerfileName(path.basename(active.fsPath))) return active;
  const folder = await existingFolder(sample);
  return folder ? vscode.Uri.file(path.join(folder, 'Dockerfile')) : undefined;
}

async function existingFolder(p: string | undefined): Promise<string | undefined> {
  if (!p) return undefined;
  try {
    const stat = await vscode.workspace.fs.stat(vscode.Uri.file(p));
    return stat.type & vscode.FileType.Directory ? p : undefined;
  } catch {
    return undefined;
  }
}

async function freeFolder(parent: vscode.Uri, base: string): Promise<vscode.Uri | undefined> {
  for (let i = 1; i <= 50; i++) {
    const candidate = vscode.Uri.joinPath(parent, i === 1 ? base : `${base}-${i}`);
    try {
      await vscode.workspace.fs.stat(candidate);
    } catch {
      return candidate;
    }
  }
  return undefined;
}
