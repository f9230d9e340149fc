import * as assert from 'node:assert/strict';
import { allStepKeys, COURSE, stepKey } from '../../../src/walkthroughs/course';
import { CourseProgress, maxPoints, PROGRESS_KEY, StateStore } from '../../../src/walkthroughs/progress';
import { questionById, QUESTIONS } from '../../../src/walkthroughs/questions';

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

describe('course progress', () => {
  it('awards a question\'s points once, on the first right answer, and completes its step on any attempt', async () => {
    const store = new MemoryStore();
    const p = new CourseProgress(store, maxPoints(QUESTIONS));
    const wrong = await p.recordAnswer(q('cmdVsEntrypoint'), false);
    assert.equal(wrong.awarded, 0);
    assert.equal(wrong.stepCompleted, true);
    assert.ok(p.isDone('todoApp.cmdEntrypoint'));
    const right = await p.recordAnswer(q('cmdVsEntrypoint'), true);
    assert.equal(right.awarded, 3);
    assert.equal(right.stepCompleted, false);
    const again = await p.recordAnswer(q('cmdVsEntrypoint'), true);
    assert.equal(again.awarded, 0);
    assert.equal(again.record.attempts, 3);
    assert.equal(p.points, 3);
    await p.recordAnswer(q('projectProblems'), true);
    assert.equal(p.points, 4);
    assert.equal(p.summary().maxPoints, 26);
  });

  it('survives a restart: a new instance on the same store reads the same progress', async () => {
    const store = new MemoryStore();
    const first = new CourseProgress(store);
    await first.recordAnswer(q('volumeVsBind'), true);
    await first.completeStep('vmKiller.architecture');
    const second = new CourseProgress(store);
    assert.equal(second.points, 3);
    assert.ok(second.isDone('vmKiller.architecture'));
    assert.ok(second.isDone('todoApp.storage'));
    assert.equal((await second.recordAnswer(q('volumeVsBind'), true)).awarded, 0, 'still once after a restart');
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
    await p.recordAnswer(q('whyDocker'), true);
    assert.deepEqual((await p.reset()).sort(), ['todoApp.decision', 'todoApp.layers']);
    assert.equal(p.points, 0);
    assert.equal(new CourseProgress(store).summary().stepsDone, 0);
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
