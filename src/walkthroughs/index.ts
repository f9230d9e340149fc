/**
 * The course inside the editor: checkpoint questions, progress with points and badges, hands-on steps ticked by what
 * the Docker daemon shows, the todo-app sample, terminal buttons that run the course's commands, and "learn why"
 * links into the walkthroughs. Walkthrough steps complete through context keys (`completionEvents:
 * onContext:dockwise.course.<step>`) and VS Code's own step commands, so a reset course ticks again without a reload.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { completesStep, grade, questionById, SelfAssessment, Verdict } from './checkpoints';
import { askQuestion, showVerdict } from './checkpointUi';
import { CommandFailure } from './commandFailures';
import { allStepKeys, contextKey, findStep, lessonFile, SNIPPETS, StepKey } from './course';
import { CourseTerminals } from './courseTerminal';
import { checkCourseDockerfile, DockerfileCheck } from './dockerfileCheck';
import { CourseDaemon, HandsOnSteps, logBlock } from './handsOn';
import { LESSONS, openWalkthroughArgs, qualifiedStepId, resolveLesson } from './lessons';
import type { Outcome, OutcomeState } from './outcomes';
import { CourseProgress, maxPoints, PROGRESS_KEY, ProgressSummary } from './progress';
import { QUESTIONS } from './questions';
import { PENDING_STEP_KEY, PendingStep, pendingStepFor } from './resume';

export { LESSONS } from './lessons';
export type { CourseDaemon } from './handsOn';
export { TERMINAL_NAME } from './courseTerminal';

const SAMPLE_FOLDER_KEY = 'dockwise.course.sampleFolder';
const DAEMON_UP_KEY = 'dockwise.course.daemonUp';

/** What `dockwise.course.progress` returns. */
export interface CourseProgressReply extends ProgressSummary {
  daemon: DaemonStateName;
  /** What the hands-on steps saw last, by step. */
  handsOn: Record<string, { state: OutcomeState; summary: string; hint?: string }>;
  /** The last failed docker commands the course explained, newest last. */
  commandFailures: { line: string; kind: string; summary: string; step?: string }[];
  pendingStep?: PendingStep;
}
type DaemonStateName = CourseDaemon['state'] | 'none';

/** What `dockwise.course.answer` returns (the tests drive it with an answer argument). */
export interface AnswerReply extends Verdict {
  question: string;
  firstAttempt: boolean;
  awarded: number;
  points: number;
  stepCompleted: boolean;
}

export function registerCourse(context: vscode.ExtensionContext, watcher: CourseDaemon | undefined, log: vscode.LogOutputChannel): void {
  const progress = new CourseProgress(context.globalState, maxPoints(QUESTIONS));
  context.globalState.setKeysForSync([PROGRESS_KEY]);
  /** The learner opened the course or used it in this window. */
  let engagedNow = false;
  const engaged = () => engagedNow || progress.summary().done.some((k) => k.startsWith('todoApp.'));

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

  /**
   * Shows a step as done or not in the walkthrough. The context key drives `completionEvents`; VS Code fires each
   * completion event once per session, so after a reset only its own step commands tick a step again.
   */
  const showTick = async (key: string, done: boolean) => {
    await vscode.commands.executeCommand('setContext', contextKey(key as StepKey), done);
    const found = findStep(key);
    if (!found) return;
    const id = qualifiedStepId({ walkthrough: found.walkthrough.id, step: found.step.id });
    await Promise.resolve(vscode.commands.executeCommand(done ? 'welcome.markStepComplete' : 'welcome.markStepIncomplete', id)).catch(() => undefined);
  };

  /** Marks a step done, ticks it in its walkthrough and announces a badge when that was the walkthrough's last step. */
  const complete = async (key: string, why: string) => {
    const badgesBefore = progress.summary().badges;
    const fresh = await progress.completeStep(key);
    await showTick(key, true);
    if (!fresh) return;
    log.info(`course: ${key} done (${why})`);
    refreshStatus();
    announceBadges(badgesBefore, progress.summary());
    // A hands-on step ticks while the learner is in the terminal, not looking at the walkthrough: say so there.
    const found = findStep(key);
    if (found?.step.completion === 'handsOn') {
      const next = nextStepOf(key);
      const go = 'Next Step';
      void vscode.window.showInformationMessage(`Step done: ${found.step.title}. ${why}`, ...(next ? [go] : [])).then((pick) => {
        if (pick === go && next) void openStep(next);
      });
    }
  };

  // Context keys do not persist, and the walkthrough's own record may differ from ours (a reset, a synced machine).
  void (async () => {
    const done = new Set(progress.summary().done);
    for (const key of allStepKeys()) await showTick(key, done.has(key));
  })();
  refreshStatus();

  const openStep = async (key: string) => {
    const found = findStep(key);
    if (!found) return false;
    await closeWalkthroughEditors();
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', openWalkthroughArgs({ walkthrough: found.walkthrough.id, step: found.step.id }), false);
    return true;
  };

  const handsOn = watcher
    ? new HandsOnSteps({ daemon: watcher, isDone: (k) => progress.isDone(k), since: () => progress.resetAt, complete, engaged, openStep, log })
    : undefined;
  if (handsOn) context.subscriptions.push(handsOn);
  const engage = () => {
    if (engagedNow) return;
    engagedNow = true;
    handsOn?.trigger();
  };

  const answer = async (questionId: unknown, given?: unknown): Promise<AnswerReply | undefined> => {
    const q = typeof questionId === 'string' ? questionById(questionId) : undefined;
    if (!q) {
      log.warn(`course: no checkpoint question ${String(questionId)}`);
      return undefined;
    }
    engage();
    const firstAttempt = !progress.summary().answers[q.id];
    const interactive = given === undefined;
    const response: number | SelfAssessment | unknown = interactive ? await askQuestion(q, firstAttempt) : given;
    if (response === undefined) return undefined; // backed out before answering
    const verdict = grade(q, response);
    let awarded = 0;
    let stepCompleted = false;
    if (verdict.attempted) {
      const badgesBefore = progress.summary().badges;
      const outcome = await progress.recordAnswer(q, verdict);
      awarded = outcome.awarded;
      stepCompleted = outcome.stepCompleted;
      if (completesStep(q)) await showTick(q.step, true);
      refreshStatus();
      announceBadges(badgesBefore, progress.summary());
    }
    const reply: AnswerReply = { ...verdict, question: q.id, firstAttempt, awarded, points: progress.points, stepCompleted };
    if (interactive && verdict.attempted) void showVerdict(q, verdict, awarded, firstAttempt, progress.points);
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

  /** Where the course's commands run: the sample open in this window, else the sample created last, else the workspace. */
  const commandFolder = async (): Promise<string | undefined> => {
    const folders = vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath) ?? [];
    for (const f of folders) if (await isTodoAppFolder(f)) return f;
    for (const f of folders) {
      const nested = path.join(f, 'todo-app');
      if (await isTodoAppFolder(nested)) return nested;
    }
    return (await existingFolder(sampleFolder())) ?? folders[0];
  };

  const terminals = new CourseTerminals({
    folder: commandFolder,
    // When Dockwise's own setting picked the daemon, the course's commands must talk to the same one.
    env: () => (watcher?.endpoint?.source === 'setting' ? { DOCKER_HOST: watcher.endpoint.host } : undefined),
    onFailure: (failure, line, ours) => reportCommandFailure(failure, line, ours),
    onDockerCommandEnd: () => handsOn?.trigger(),
    log,
  });
  context.subscriptions.push(terminals);

  const commandFailures: CourseProgressReply['commandFailures'] = [];
  const reportCommandFailure = (failure: CommandFailure, line: string, ours: boolean) => {
    // In the learner's other terminals, only commands of a hands-on step still to do are the course's business.
    const step = failure.outcome ? handsOnStepOf(failure.outcome) : undefined;
    if (!ours && (!engaged() || !step || progress.isDone(step))) return;
    commandFailures.push({ line, kind: failure.kind, summary: failure.summary, step });
    if (commandFailures.length > 20) commandFailures.shift();
    const title = step ? findStep(step)?.step.title : undefined;
    log.warn(`course: "${line}" failed: ${failure.summary}\n  Try: ${failure.hint}${failure.lines.length ? `\n  Its last lines:\n${failure.lines.map((l) => `    ${l}`).join('\n')}` : ''}`);
    const show = 'Show Output';
    void vscode.window.showWarningMessage(`${title ? `${title}: ` : ''}${failure.summary} Try: ${failure.hint}`, show).then((pick) => {
      if (pick === show) log.show(true);
    });
  };

  const runInTerminal = async (snippetId: unknown) => {
    const text = typeof snippetId === 'string' && Object.hasOwn(SNIPPETS, snippetId) ? SNIPPETS[snippetId] : undefined;
    if (!text) return false;
    engage();
    await terminals.run(text);
    if (watcher && watcher.state !== 'up') void offerDaemonHelp(undefined);
    return true;
  };

  const daemonUp = () => watcher?.state === 'up';

  const offerDaemonHelp = async (key: unknown) => {
    const retry = 'Retry';
    const read = 'Read the lesson';
    if (daemonUp()) {
      const ok = await vscode.window.showInformationMessage(
        'Docker is running: run the step\'s commands and the step ticks itself when Docker shows the outcome.',
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

  /** Looks at the daemon for one hands-on step now and says what it sees. */
  const checkStep = async (key: unknown, options?: { quiet?: boolean }): Promise<Outcome | undefined> => {
    if (typeof key !== 'string' || !findStep(key)?.step.outcome) return undefined;
    engage();
    if (!handsOn) {
      if (!options?.quiet) void vscode.window.showWarningMessage('Dockwise has no connection to Docker in this window.');
      return undefined;
    }
    let o: Outcome | undefined;
    try {
      o = await handsOn.check(key);
    } catch (e) {
      o = { state: 'problem', summary: `Dockwise could not read the daemon: ${(e as Error).message}` };
    }
    if (o && !options?.quiet) {
      const text = `${findStep(key)!.step.title}: ${o.summary}${o.hint ? ` Try: ${o.hint}` : ''}`;
      log.info(`course: checked ${key}: ${o.state}: ${o.summary}${logBlock(o)}`);
      if (o.state === 'problem') void vscode.window.showWarningMessage(text, ...(o.logTail?.length ? ['Show Log Lines'] : [])).then((p) => p && log.show(true));
      else void vscode.window.showInformationMessage(o.state === 'done' ? `${text} Step done!` : text);
    }
    return o;
  };

  const createSample = async (options?: { target?: string; open?: boolean; step?: string }) => {
    engage();
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
    const step = typeof options?.step === 'string' && findStep(options.step) ? options.step : undefined;
    // The folder opens in a window of its own; that window shows the step the learner was on.
    if (step) await context.globalState.update(PENDING_STEP_KEY, { step, folder: dest.fsPath, at: Date.now() } satisfies PendingStep);
    if (options?.open !== false) {
      await vscode.commands.executeCommand('vscode.openFolder', dest, { forceNewWindow: !!vscode.workspace.workspaceFolders?.length });
    }
    return dest.fsPath;
  };

  /** In the window the sample opened in: back to the step the learner was on. */
  const resumePendingStep = async (folders?: unknown): Promise<string | undefined> => {
    const open = Array.isArray(folders) ? folders.filter((f): f is string => typeof f === 'string') : vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath) ?? [];
    const pending = pendingStepFor(context.globalState.get(PENDING_STEP_KEY), open, Date.now());
    if (!pending) return undefined;
    await context.globalState.update(PENDING_STEP_KEY, undefined);
    engage();
    await openStep(pending.step);
    log.info(`course: back to ${pending.step} in ${pending.folder}`);
    return pending.step;
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
    await progress.reset();
    // Every step, not only those we know were done: the walkthrough may have ticks of its own.
    for (const key of allStepKeys()) await showTick(key, false);
    refreshStatus();
    log.info('course: progress reset');
    // Outcomes that hold right now tick again at once.
    handsOn?.trigger();
    return true;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('dockwise.openLesson', openLesson),
    vscode.commands.registerCommand('dockwise.course.answer', answer),
    vscode.commands.registerCommand('dockwise.course.markRead', async (key: unknown) => {
      if (typeof key !== 'string' || findStep(key)?.step.completion !== 'read') return false;
      await complete(key, 'read');
      return true;
    }),
    vscode.commands.registerCommand('dockwise.course.readLesson', readLesson),
    vscode.commands.registerCommand('dockwise.course.runInTerminal', runInTerminal),
    vscode.commands.registerCommand('dockwise.course.startDocker', offerDaemonHelp),
    vscode.commands.registerCommand('dockwise.course.checkStep', checkStep),
    vscode.commands.registerCommand('dockwise.course.createSample', createSample),
    vscode.commands.registerCommand('dockwise.course.resumePendingStep', resumePendingStep),
    vscode.commands.registerCommand('dockwise.course.checkDockerfile', checkDockerfile),
    vscode.commands.registerCommand('dockwise.course.showProgress', showProgress),
    vscode.commands.registerCommand('dockwise.course.resetProgress', resetProgress),
    // For tests and tools: the progress, optionally read back from storage as a restarted editor would see it.
    vscode.commands.registerCommand('dockwise.course.progress', (options?: { reread?: boolean }): CourseProgressReply => ({
      ...(options?.reread ? new CourseProgress(context.globalState, maxPoints(QUESTIONS)) : progress).summary(),
      daemon: watcher?.state ?? 'none',
      handsOn: Object.fromEntries([...(handsOn?.outcomes ?? new Map<string, Outcome>())].map(([k, o]) => [k, { state: o.state, summary: o.summary, hint: o.hint }])),
      commandFailures: [...commandFailures],
      pendingStep: context.globalState.get<PendingStep>(PENDING_STEP_KEY),
    })),
    vscode.workspace.onDidSaveTextDocument(async (doc) => {
      if (doc.uri.scheme !== 'file' || !isDockerfileName(path.basename(doc.uri.fsPath))) return;
      if (progress.isDone('todoApp.dockerfile') || !(await isSampleDockerfile(doc.uri.fsPath, sampleFolder()))) return;
      await checkDockerfile(doc.uri);
    }),
    // The course opening (a walkthrough tab) is when steps whose outcome already holds should tick.
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      if (e.opened.some(isWalkthroughTab)) {
        engagedNow = true;
        handsOn?.trigger();
      }
    }),
  );

  // myfile.txt appearing in the learner's folder is the bind-mount step's outcome; no daemon event tells of it.
  const myfile = vscode.workspace.createFileSystemWatcher('**/myfile.txt', false, true, true);
  context.subscriptions.push(myfile, myfile.onDidCreate(() => handsOn?.trigger()));

  if (watcher) {
    const onState = (state: CourseDaemon['state']) => void vscode.commands.executeCommand('setContext', DAEMON_UP_KEY, state === 'up');
    watcher.on('state', onState);
    onState(watcher.state);
    context.subscriptions.push({ dispose: () => watcher.off('state', onState) });
  } else {
    void vscode.commands.executeCommand('setContext', DAEMON_UP_KEY, false);
  }

  if (vscode.window.tabGroups.all.some((g) => g.tabs.some(isWalkthroughTab))) engage();
  void resumePendingStep();
}

/** The step after this one in its walkthrough. */
function nextStepOf(key: string): string | undefined {
  const found = findStep(key);
  if (!found) return undefined;
  const i = found.walkthrough.steps.indexOf(found.step);
  const next = found.walkthrough.steps[i + 1];
  return next ? `${found.walkthrough.id}.${next.id}` : undefined;
}

/** The hands-on step that has this outcome. */
function handsOnStepOf(outcome: string): string | undefined {
  return allStepKeys().find((k) => findStep(k)?.step.outcome === outcome);
}

const isWalkthroughTab = (t: vscode.Tab) => t.input === undefined && /^(Welcome|Walkthrough: )/.test(t.label);

/** Welcome-page editors (walkthroughs) have no public tab input type; they are known by their label. */
async function closeWalkthroughEditors(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(isWalkthroughTab);
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
}

function announceBadges(before: readonly string[], after: ProgressSummary): void {
  for (const w of after.walkthroughs) {
    if (w.badge && !before.includes(w.id)) void vscode.window.showInformationMessage(`Badge earned: "${w.title}" completed. ${after.points} points so far.`);
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
  return (!!sample && path.resolve(dir) === path.resolve(sample)) || isTodoAppFolder(dir);
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

async function isTodoAppFolder(folder: string): Promise<boolean> {
  try {
    const pkg = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path.join(folder, 'package.json')))));
    return pkg?.name === 'todo-app';
  } catch {
    return false;
  }
}
