import * as assert from 'node:assert/strict';
import { allStepKeys, COURSE, stepKey } from '../../../src/walkthroughs/course';
import { CourseProgress, maxPoints, PROGRESS_KEY, StateStore } from '../../../src/walkthroughs/progress';
import { questionById } from '../../../src/walkthroughs/checkpoints';
import { POINTS, QUESTIONS } from '../../../src/walkthroughs/questions';

/** A globalState stand-in that, like the real one, hands back copies of what was stored. */
class MemoryStore implements StateStore {
  readonly data = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(value));
  }
}

const q = (id: string) => questionById(id)!;
const right = (id: string) => ({ correct: true, score: POINTS[q(id).reward] });
const wrong = { correct: false, score: 0 };

describe('course progress', () => {
  it('gives points for the first attempt only: a right retry after the explanation earns nothing', async () => {
    const store = new MemoryStore();
    const p = new CourseProgress(store, maxPoints(QUESTIONS));
    const first = await p.recordAnswer(q('cmdVsEntrypoint'), wrong);
    assert.equal(first.awarded, 0);
    assert.equal(first.stepCompleted, true, 'any attempt completes a checkpoint step');
    assert.ok(p.isDone('todoApp.cmdEntrypoint'));
    const retry = await p.recordAnswer(q('cmdVsEntrypoint'), right('cmdVsEntrypoint'));
    assert.equal(retry.awarded, 0);
    assert.equal(retry.record.correct, false, 'the record keeps how the first attempt went');
    assert.equal(retry.record.attempts, 2);
    assert.equal(p.points, 0);
    const good = await p.recordAnswer(q('projectProblems'), { correct: true, score: 1 });
    assert.equal(good.awarded, 1);
    assert.equal((await p.recordAnswer(q('projectProblems'), { correct: true, score: 1 })).awarded, 0);
    assert.equal(p.points, 1);
    assert.equal(p.summary().maxPoints, maxPoints(QUESTIONS));
  });

  it('caps the points of an attempt at the question\'s reward', async () => {
    const p = new CourseProgress(new MemoryStore());
    assert.equal((await p.recordAnswer(q('projectProblems'), { correct: true, score: 99 })).awarded, POINTS[q('projectProblems').reward]);
    assert.equal((await p.recordAnswer(q('cmdVsEntrypoint'), { correct: false, score: -5 })).awarded, 0);
  });

  it('never completes a hands-on step from a question on it', async () => {
    const p = new CourseProgress(new MemoryStore());
    const onHandsOn = QUESTIONS.find((x) => COURSE.some((w) => w.steps.some((s) => stepKey(w.id, s.id) === x.step && s.completion === 'handsOn')));
    assert.ok(onHandsOn, 'the course has a question on a hands-on step');
    const r = await p.recordAnswer(onHandsOn, right(onHandsOn.id));
    assert.equal(r.awarded, POINTS[onHandsOn.reward], 'it still earns its points');
    assert.equal(r.stepCompleted, false);
    assert.equal(p.isDone(onHandsOn.step), false);
  });

  it('survives a restart: a new instance on the same store reads the same progress', async () => {
    const store = new MemoryStore();
    const first = new CourseProgress(store);
    await first.recordAnswer(q('volumeVsBind'), right('volumeVsBind'));
    await first.completeStep('vmKiller.architecture');
    const second = new CourseProgress(store);
    assert.equal(second.points, 3);
    assert.ok(second.isDone('vmKiller.architecture'));
    assert.ok(second.isDone('todoApp.storage'));
    assert.equal((await second.recordAnswer(q('volumeVsBind'), right('volumeVsBind'))).awarded, 0, 'still once after a restart');
  });

  it('gives a walkthrough its badge when every one of its steps is done', async () => {
    const p = new CourseProgress(new MemoryStore());
    const wrap = COURSE.find((w) => w.id === 'wrapUp')!;
    for (const s of wrap.steps.slice(1)) await p.completeStep(stepKey('wrapUp', s.id));
    assert.deepEqual(p.summary().badges, []);
    assert.equal(await p.completeStep('wrapUp.recap'), true);
    assert.equal(await p.completeStep('wrapUp.recap'), false, 'completing twice is no news');
    const s = p.summary();
    assert.deepEqual(s.badges, ['wrapUp']);
    assert.deepEqual(s.walkthroughs.find((w) => w.id === 'wrapUp'), { id: 'wrapUp', title: wrap.title, done: 4, total: 4, badge: true });
    assert.equal(s.stepsDone, 4);
    assert.equal(s.stepsTotal, allStepKeys().length);
  });

  it('ignores unknown steps and resets to nothing', async () => {
    const store = new MemoryStore();
    const p = new CourseProgress(store);
    assert.equal(await p.completeStep('todoApp.nope'), false);
    assert.equal(await p.completeStep('whatever'), false);
    await p.completeStep('todoApp.layers');
    await p.recordAnswer(q('whyDocker'), right('whyDocker'));
    assert.deepEqual((await p.reset()).sort(), ['todoApp.decision', 'todoApp.layers']);
    assert.equal(p.points, 0);
    assert.equal(new CourseProgress(store).summary().stepsDone, 0);
  });

  it('remembers when it was reset, so what was done before no longer counts', async () => {
    const store = new MemoryStore();
    const p = new CourseProgress(store);
    assert.equal(p.resetAt, 0);
    const before = Date.now();
    await p.reset();
    assert.ok(p.resetAt >= before && p.resetAt <= Date.now());
    assert.equal(new CourseProgress(store).resetAt, p.resetAt, 'across a restart');
  });

  it('reads damaged stored state without throwing, keeping what is valid', () => {
    for (const bad of [42, 'x', [], { done: 'nope' }, { done: [1, null, 'todoApp.layers', 'gone.step'], answers: { a: { attempts: 'x' }, whyDocker: { attempts: 1, correct: true, awarded: 1 } } }]) {
      const store = new MemoryStore();
      store.data.set(PROGRESS_KEY, JSON.stringify(bad));
      const p = new CourseProgress(store);
      const s = p.summary();
      assert.ok(s.done.every((k) => k === 'todoApp.layers'));
      assert.ok(s.points === 0 || s.points === 1);
    }
  });
});
