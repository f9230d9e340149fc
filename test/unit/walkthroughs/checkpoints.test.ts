import * as assert from 'node:assert/strict';
import { claimedIdeas, choiceIndex, completesStep, grade, MAX_ANSWER_CHARS, questionById, rightOptionLengthRatio, shuffledOrder } from '../../../src/walkthroughs/checkpoints';
import { allStepKeys, findStep } from '../../../src/walkthroughs/course';
import { ChoiceQuestion, POINTS, QUESTIONS, ShortQuestion } from '../../../src/walkthroughs/questions';

const short = (id: string) => questionById(id) as ShortQuestion;
const choice = (id: string) => questionById(id) as ChoiceQuestion;
const choices = () => QUESTIONS.filter((q): q is ChoiceQuestion => q.kind === 'choice');
const shorts = () => QUESTIONS.filter((q): q is ShortQuestion => q.kind === 'short');

describe('checkpoint questions', () => {
  it('each belong to a real step that offers them, with unique ids and an explanation', () => {
    assert.equal(new Set(QUESTIONS.map((q) => q.id)).size, QUESTIONS.length);
    const steps = new Set<string>(allStepKeys());
    for (const q of QUESTIONS) {
      assert.ok(steps.has(q.step), `${q.id} belongs to ${q.step}`);
      assert.ok(findStep(q.step)?.step.questions?.includes(q.id), `${q.step} offers ${q.id}`);
      assert.ok(q.explanation.length > 40, `${q.id} explains its answer`);
    }
    assert.deepEqual(POINTS, { small: 1, medium: 3 });
  });

  it('complete only checkpoint steps: a question on a hands-on or reading step never ticks it', () => {
    for (const q of QUESTIONS) {
      assert.equal(completesStep(q), findStep(q.step)!.step.completion === 'question', q.id);
    }
    const onHandsOn = QUESTIONS.filter((q) => findStep(q.step)!.step.completion === 'handsOn');
    for (const q of onHandsOn) assert.equal(completesStep(q), false, q.id);
  });

  describe('multiple choice', () => {
    it('accepts the right option by index, letter or text and rejects the others', () => {
      for (const q of choices()) {
        assert.equal(grade(q, q.correct).correct, true, q.id);
        assert.equal(grade(q, q.correct).score, POINTS[q.reward]);
        assert.equal(grade(q, String.fromCharCode(97 + q.correct)).correct, true, `${q.id} by letter`);
        assert.equal(grade(q, q.options[q.correct].toUpperCase()).correct, true, `${q.id} by text`);
        for (let i = 0; i < q.options.length; i++) {
          if (i === q.correct) continue;
          const v = grade(q, i);
          assert.deepEqual([v.correct, v.score, v.attempted], [false, 0, true], `${q.id} option ${i}`);
          assert.equal(v.rightOption, q.options[q.correct]);
        }
      }
    });

    it('treats out-of-range and odd answers as no attempt, not as a crash', () => {
      const q = choice('cmdVsEntrypoint');
      for (const a of [-1, 4, 1.5, NaN, 'z', '', null, {}, ['a']]) {
        assert.equal(choiceIndex(q, a), undefined, String(a));
        assert.deepEqual([grade(q, a).correct, grade(q, a).attempted], [false, false]);
      }
    });

    it('do not give the right option away by its length or its place', () => {
      for (const q of choices()) {
        assert.ok(rightOptionLengthRatio(q) <= 1.25, `${q.id}: the right option is ${rightOptionLengthRatio(q).toFixed(2)}× the longest wrong one`);
        for (const o of q.options) assert.ok(o.length <= 110, `${q.id}: "${o.slice(0, 30)}…" fits a quick pick line (${o.length} characters)`);
      }
      const places = new Set(choices().map((q) => q.correct));
      assert.ok(places.size > 1 || choices().length < 2, 'the right option is not always in the same place in the data');
    });

    it('are shown in a uniformly shuffled order', () => {
      let seed = 42;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const firsts = [0, 0, 0, 0];
      for (let i = 0; i < 4000; i++) {
        const order = shuffledOrder(4, random);
        assert.deepEqual([...order].sort(), [0, 1, 2, 3]);
        firsts[order[0]]++;
      }
      for (const n of firsts) assert.ok(n > 850 && n < 1150, `each option comes first about a quarter of the time (${firsts})`);
    });
  });

  describe('answers in own words: compared with a model answer, not graded by keywords', () => {
    it('scores what the learner says their answer had, never the words themselves', () => {
      const q = short('projectProblems');
      // Keyword matching would call this right; the learner, comparing, says it had none of the ideas.
      const nonAnswer = grade(q, { text: 'I don\'t know the difference, different environment maybe?', had: [] });
      assert.deepEqual([nonAnswer.attempted, nonAnswer.correct, nonAnswer.score], [true, false, 0]);
      // A right answer in words no pattern would know: the learner recognises the idea.
      const other = grade(q, { text: 'Laptops drift apart; onboarding a newcomer takes a day of fiddling', had: [q.ideas[1].label] });
      assert.deepEqual([other.correct, other.score], [true, POINTS[q.reward]]);
      assert.deepEqual(other.ideas.map((i) => i.had), q.ideas.map((_, i) => i === 1));
      assert.equal(other.explanation, q.explanation, 'the explanation is the model answer');
    });

    it('gives points in proportion to the ideas had, up to what a full answer needs', () => {
      const q = shorts().find((x) => x.reward === 'medium' && x.need >= 2)!;
      const full = POINTS[q.reward];
      assert.equal(grade(q, { text: 'x', had: [] }).score, 0);
      assert.equal(grade(q, { text: 'x', had: [0] }).score, Math.round(full / q.need));
      assert.equal(grade(q, { text: 'x', had: q.ideas.map((_, i) => i) }).score, full, 'more ideas than needed do not pay more');
      assert.equal(grade(q, { text: 'x', had: [0, 0, 0] }).score, Math.round(full / q.need), 'an idea counts once');
    });

    it('needs a written answer: an empty one is no attempt, whatever it claims', () => {
      const q = short('mostImportant');
      for (const a of [{ text: '', had: [0] }, { text: '   ', had: [0] }, 'compose', 42, undefined, null, { had: [0] }]) {
        const v = grade(q, a);
        assert.deepEqual([v.attempted, v.score], [false, 0], JSON.stringify(a));
      }
    });

    it('ignores claims of ideas that do not exist, and copes with huge answers', () => {
      const q = short('mostImportant');
      assert.deepEqual(claimedIdeas(q, [99, -1, 'no such idea', null, 1.5, q.ideas[0].label, 0]), [0]);
      assert.deepEqual(claimedIdeas(q, 'all'), []);
      const t = Date.now();
      const v = grade(q, { text: 'x'.repeat(5_000_000), had: [0] });
      assert.ok(Date.now() - t < 1000);
      assert.equal(v.attempted, true);
      assert.ok(MAX_ANSWER_CHARS >= 1000);
    });

    it('every own-words question has at least two ideas and needs no more than it has', () => {
      for (const q of shorts()) {
        assert.ok(q.ideas.length >= 2, q.id);
        assert.ok(q.need >= 1 && q.need <= q.ideas.length, q.id);
        assert.equal(new Set(q.ideas.map((i) => i.label)).size, q.ideas.length, `${q.id}: distinct ideas`);
      }
    });
  });
});
