/**
 * The learner's progress: points, the steps done, and a badge per walkthrough when all its steps are done. Kept in a
 * key-value store (the extension's globalState in the editor, a Map in tests), so it survives restarts.
 * No `vscode` import.
 */
import { completesStep } from './checkpoints';
import { allStepKeys, COURSE, findStep, stepKey, StepKey, WalkthroughId } from './course';
import { POINTS, Question } from './questions';

/** The part of vscode.Memento this needs. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export const PROGRESS_KEY = 'dockwise.course.progress';

export interface AnswerRecord {
  attempts: number;
  /** Whether the first attempt was right. */
  correct: boolean;
  /** Points given for this question: what the first attempt was worth; later attempts add nothing. */
  awarded: number;
}

interface StoredProgress {
  version: 1;
  done: string[];
  answers: Record<string, AnswerRecord>;
  /** When the learner last reset the course (ms): what they did before no longer counts. */
  resetAt?: number;
}

export interface WalkthroughProgress {
  id: WalkthroughId;
  title: string;
  done: number;
  total: number;
  badge: boolean;
}

export interface ProgressSummary {
  points: number;
  maxPoints: number;
  stepsDone: number;
  stepsTotal: number;
  badges: WalkthroughId[];
  walkthroughs: WalkthroughProgress[];
  done: string[];
  answers: Record<string, AnswerRecord>;
}

export interface AnswerOutcome {
  /** Points this attempt earned (0 when wrong or already earned). */
  awarded: number;
  /** Whether this attempt completed the question's step just now. */
  stepCompleted: boolean;
  record: AnswerRecord;
}

export class CourseProgress {
  private state: StoredProgress;

  constructor(
    private readonly store: StateStore,
    private readonly maxPoints = 0,
  ) {
    this.state = CourseProgress.read(store);
  }

  /** Whatever is stored, made safe: unknown steps and malformed records are dropped. */
  private static read(store: StateStore): StoredProgress {
    const raw = store.get<unknown>(PROGRESS_KEY);
    const fresh: StoredProgress = { version: 1, done: [], answers: {} };
    if (!raw || typeof raw !== 'object') return fresh;
    const r = raw as Partial<StoredProgress>;
    const known = new Set<string>(allStepKeys());
    const done = Array.isArray(r.done) ? r.done.filter((k): k is string => typeof k === 'string' && known.has(k)) : [];
    const answers: Record<string, AnswerRecord> = {};
    if (r.answers && typeof r.answers === 'object') {
      for (const [id, a] of Object.entries(r.answers)) {
        if (a && typeof a.attempts === 'number' && typeof a.correct === 'boolean' && typeof a.awarded === 'number') {
          answers[id] = { attempts: a.attempts, correct: a.correct, awarded: Math.max(0, a.awarded) };
        }
      }
    }
    const resetAt = typeof r.resetAt === 'number' && Number.isFinite(r.resetAt) ? r.resetAt : undefined;
    return { version: 1, done: [...new Set(done)], answers, ...(resetAt !== undefined ? { resetAt } : {}) };
  }

  private save(): Promise<void> {
    return Promise.resolve(this.store.update(PROGRESS_KEY, this.state));
  }

  isDone(key: string): boolean {
    return this.state.done.includes(key);
  }

  /** Marks a step done; true when it was not done before. */
  async completeStep(key: StepKey | string): Promise<boolean> {
    if (!findStep(key) || this.isDone(key)) return false;
    this.state.done.push(key);
    await this.save();
    return true;
  }

  /**
   * Records an attempt. Points come from the first attempt only (a retry after seeing the explanation earns nothing);
   * an attempt completes the question's step when that step is a checkpoint step, never a hands-on one.
   */
  async recordAnswer(q: Question, verdict: { correct: boolean; score: number }): Promise<AnswerOutcome> {
    const prev = this.state.answers[q.id];
    const first = !prev || prev.attempts === 0;
    const awarded = first ? Math.max(0, Math.min(POINTS[q.reward], Math.round(verdict.score))) : 0;
    const record: AnswerRecord = first
      ? { attempts: 1, correct: verdict.correct, awarded }
      : { attempts: prev.attempts + 1, correct: prev.correct, awarded: prev.awarded };
    this.state.answers[q.id] = record;
    const stepCompleted = completesStep(q) && !this.isDone(q.step);
    if (stepCompleted) this.state.done.push(q.step);
    await this.save();
    return { awarded, stepCompleted, record };
  }

  /** When the course was last reset (ms), or 0. */
  get resetAt(): number {
    return this.state.resetAt ?? 0;
  }

  get points(): number {
    return Object.values(this.state.answers).reduce((sum, a) => sum + a.awarded, 0);
  }

  summary(): ProgressSummary {
    const walkthroughs = COURSE.map((w) => {
      const done = w.steps.filter((s) => this.isDone(stepKey(w.id, s.id))).length;
      return { id: w.id, title: w.title, done, total: w.steps.length, badge: done === w.steps.length };
    });
    return {
      points: this.points,
      maxPoints: this.maxPoints,
      stepsDone: this.state.done.length,
      stepsTotal: allStepKeys().length,
      badges: walkthroughs.filter((w) => w.badge).map((w) => w.id),
      walkthroughs,
      done: [...this.state.done],
      answers: structuredClone(this.state.answers),
    };
  }

  /** Forgets everything; returns the steps that were done, so their ticks can be cleared too. */
  async reset(): Promise<string[]> {
    const was = this.state.done;
    this.state = { version: 1, done: [], answers: {}, resetAt: Date.now() };
    await this.save();
    return was;
  }
}

/** Most points the course can give. */
export const maxPoints = (questions: readonly Question[]): number => questions.reduce((s, q) => s + POINTS[q.reward], 0);
