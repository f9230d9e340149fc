/**
 * Hands-on steps in the editor: when the daemon reports something (or the course opens, or a docker command ends),
 * read what the daemon shows and tick each step whose outcome holds (outcomes.ts). When an attempt went wrong, say
 * what and what to try, once, in a notification and the log with the container's last lines.
 * Looks at the daemon only while the learner is doing the course, so a Docker user who never opens it is not probed.
 */
import * as vscode from 'vscode';
import type Dockerode from 'dockerode';
import type { DaemonState, DockerEvent } from '../docker/daemonWatcher';
import { COURSE, findStep, StepKey, stepKey } from './course';
import { demoRunFromEvent, gatherFacts, isTrigger, recentDemoRuns } from './daemonFacts';
import { DemoRun, evaluate, Outcome, OutcomeId } from './outcomes';

/** What the course needs of the daemon connection (src/docker/daemonWatcher.ts's DaemonWatcher fits). */
export interface CourseDaemon {
  readonly state: DaemonState;
  readonly docker: Dockerode;
  readonly endpoint?: { source: string; host: string };
  on(event: 'state', listener: (state: DaemonState) => void): unknown;
  on(event: 'event', listener: (event: DockerEvent) => void): unknown;
  off(event: 'state', listener: (state: DaemonState) => void): unknown;
  off(event: 'event', listener: (event: DockerEvent) => void): unknown;
  retryNow?(): void;
}

export interface HandsOnOptions {
  daemon: CourseDaemon;
  isDone(key: string): boolean;
  /** Demo runs before this time (ms, the last reset) no longer count. */
  since(): number;
  complete(key: string, why: string): Promise<void>;
  /** The learner is doing the course (has progress in it, or opened it in this window). */
  engaged(): boolean;
  openStep(key: string): Thenable<unknown>;
  log: vscode.LogOutputChannel;
}

const DEBOUNCE_MS = 300;
/** Rechecks while something is under way (an app starting): from 1 s, doubling to 8 s, for 3 minutes. */
const RECHECK_FIRST_MS = 1000;
const RECHECK_MAX_MS = 8000;
const RECHECK_FOR_MS = 3 * 60_000;
/** The daemon's event memory is searched this far back for the demo when the course opens. */
const DEMO_LOOKBACK_MS = 24 * 3600_000;
/** Problems that happened this long before watching began are old news. */
const STALE_MS = 5000;

export class HandsOnSteps implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly demoRuns: DemoRun[] = [];
  private demoReplayed = false;
  private readonly noProbe = new Set<string>();
  private readonly ownExecs = new Set<string>();
  private readonly announced = new Set<string>();
  private readonly watchStart = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private recheckDelay = RECHECK_FIRST_MS;
  private lastTrigger = Date.now();
  /** The last outcome seen per step. */
  readonly outcomes = new Map<string, Outcome>();

  constructor(private readonly opts: HandsOnOptions) {
    const onEvent = (e: DockerEvent) => {
      const run = demoRunFromEvent(e);
      if (run) this.demoRuns.push(run);
      if (this.demoRuns.length > 200) this.demoRuns.splice(0, this.demoRuns.length - 200);
      if (isTrigger(e, this.ownExecs)) this.trigger();
    };
    const onState = (s: DaemonState) => {
      if (s === 'up') this.trigger();
    };
    opts.daemon.on('event', onEvent);
    opts.daemon.on('state', onState);
    this.disposables.push({ dispose: () => (opts.daemon.off('event', onEvent), opts.daemon.off('state', onState)) });
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  private demoRunsSince(since: number): DemoRun[] {
    return this.demoRuns.filter((r) => r.time > since);
  }

  /**
   * Whether progress was reset since a look began (`since` is the reset time it read): what it read of the daemon
   * is from before the reset and ticks nothing. The reset asks for a look of its own.
   */
  private resetSince(since: number): boolean {
    return this.opts.since() !== since;
  }

  /** Something happened: look again shortly (bursts of events make one look). */
  trigger(delayMs = DEBOUNCE_MS): void {
    this.lastTrigger = Date.now();
    this.recheckDelay = RECHECK_FIRST_MS;
    this.schedule(delayMs);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.evaluate(), delayMs);
  }

  /** Hands-on steps still to do, with their outcomes. */
  private openSteps(): { key: StepKey; outcome: OutcomeId }[] {
    return COURSE.flatMap((w) => w.steps.filter((s) => s.completion === 'handsOn' && s.outcome).map((s) => ({ key: stepKey(w.id, s.id), outcome: s.outcome! })))
      .filter((s) => !this.opts.isDone(s.key));
  }

  /** Looks at the daemon now and ticks what holds; one look at a time. */
  async evaluate(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.look().finally(() => {
      this.running = undefined;
      if (this.rerun) {
        this.rerun = false;
        void this.evaluate();
      }
    });
    return this.running;
  }

  /** The outcome of one step, looked at now (the "Check what Docker shows" button), done or not. */
  async check(key: string): Promise<Outcome | undefined> {
    const found = findStep(key);
    const outcome = found?.step.outcome;
    if (!outcome) return undefined;
    if (this.opts.daemon.state !== 'up') return { state: 'pending', summary: 'Docker is not answering, so Dockwise cannot see the outcome yet.' };
    const since = this.opts.since();
    await this.replayDemo();
    const facts = await gatherFacts(this.opts.daemon.docker, { needed: new Set([outcome]), demoRuns: this.demoRunsSince(since), demoSince: since, noProbe: this.noProbe, ownExecs: this.ownExecs, hostFileExists });
    if (this.resetSince(since)) return this.check(key);
    const o = evaluate(outcome, facts);
    this.outcomes.set(key, o);
    if (o.state === 'done' && !this.opts.isDone(key)) await this.opts.complete(key, o.summary);
    return o;
  }

  private async look(): Promise<void> {
    if (this.opts.daemon.state !== 'up' || !this.opts.engaged()) return;
    const open = this.openSteps();
    if (!open.length) return;
    let again = false;
    const since = this.opts.since();
    try {
      if (open.some((s) => s.outcome === 'ephemeralDemo')) await this.replayDemo();
      const facts = await gatherFacts(this.opts.daemon.docker, {
        needed: new Set(open.map((s) => s.outcome)),
        demoRuns: this.demoRunsSince(since), demoSince: since,
        noProbe: this.noProbe,
        ownExecs: this.ownExecs,
        hostFileExists,
      });
      for (const { key, outcome } of open) {
        if (this.resetSince(since)) return;
        const o = evaluate(outcome, facts);
        this.outcomes.set(key, o);
        if (o.state === 'done') await this.opts.complete(key, o.summary);
        else if (o.state === 'problem') this.announce(key, o);
        if (o.state === 'waiting') again = true;
      }
    } catch (e) {
      this.opts.log.warn(`course: could not read the daemon for the hands-on steps: ${(e as Error).message}`);
      again = true;
    }
    if (again && Date.now() - this.lastTrigger < RECHECK_FOR_MS) {
      this.schedule(this.recheckDelay);
      this.recheckDelay = Math.min(RECHECK_MAX_MS, this.recheckDelay * 2);
    }
  }

  private async replayDemo(): Promise<void> {
    if (this.demoReplayed) return;
    try {
      const past = await recentDemoRuns(this.opts.daemon.docker, Date.now() - DEMO_LOOKBACK_MS);
      for (const r of past) if (!this.demoRuns.some((d) => d.name === r.name && d.time === r.time)) this.demoRuns.push(r);
      this.demoReplayed = true;
    } catch (e) {
      this.opts.log.warn(`course: could not read the daemon's recent events: ${(e as Error).message}`);
    }
  }

  /** A problem, said once: in the log with its container's last lines, and in a notification. */
  private announce(key: string, o: Outcome): void {
    const signature = `${key}|${o.signature ?? o.summary}`;
    if (this.announced.has(signature)) return;
    this.announced.add(signature);
    if (o.at !== undefined && o.at < this.watchStart - STALE_MS) return;
    const title = findStep(key)?.step.title ?? key;
    this.opts.log.warn(`course: ${title}: ${o.summary}${o.hint ? `\n  Try: ${o.hint}` : ''}${logBlock(o)}`);
    const show = 'Show Log Lines';
    const open = 'Open the Step';
    void vscode.window.showWarningMessage(`${title}: ${o.summary}${o.hint ? ` Try: ${o.hint}` : ''}`, ...(o.logTail?.length ? [show] : []), open).then((pick) => {
      if (pick === show) this.opts.log.show(true);
      if (pick === open) void this.opts.openStep(key);
    });
  }
}

export function logBlock(o: Outcome): string {
  if (!o.logTail?.length) return '';
  return `\n  Last lines of ${o.container ?? 'the container'}:\n${o.logTail.map((l) => `    ${l}`).join('\n')}`;
}

async function hostFileExists(file: string): Promise<boolean | undefined> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(file));
    return true;
  } catch {
    return false;
  }
}
