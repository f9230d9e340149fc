import * as assert from 'node:assert/strict';
import { allStepKeys, findStep } from '../../../src/walkthroughs/course';
import { checkAnswer, choiceIndex, isAttempt, MAX_ANSWER_CHARS, POINTS, questionById, QUESTIONS, ShortQuestion, ChoiceQuestion } from '../../../src/walkthroughs/questions';

const short = (id: string) => questionById(id) as ShortQuestion;
const choice = (id: string) => questionById(id) as ChoiceQuestion;

describe('checkpoint questions', () => {
  it('has the agenda\'s twelve rewarded questions, each tied to a real step, with unique ids', () => {
    assert.equal(QUESTIONS.length, 12);
    assert.equal(new Set(QUESTIONS.map((q) => q.id)).size, QUESTIONS.length);
    const steps = new Set<string>(allStepKeys());
    for (const q of QUESTIONS) {
      assert.ok(steps.has(q.step), `${q.id} belongs to ${q.step}`);
      assert.ok(findStep(q.step)?.step.questions?.includes(q.id), `${q.step} offers ${q.id}`);
      assert.ok(q.explanation.length > 40, `${q.id} explains its answer`);
    }
    const small = QUESTIONS.filter((q) => q.reward === 'small').length;
    const medium = QUESTIONS.filter((q) => q.reward === 'medium').length;
    assert.deepEqual([small, medium], [5, 7]);
    assert.deepEqual(POINTS, { small: 1, medium: 3 });
  });

  describe('multiple choice', () => {
    it('accepts the right option by index, letter or text and rejects the others', () => {
      for (const q of QUESTIONS.filter((x): x is ChoiceQuestion => x.kind === 'choice')) {
        assert.equal(checkAnswer(q, q.correct).correct, true, q.id);
        assert.equal(checkAnswer(q, String.fromCharCode(97 + q.correct)).correct, true, `${q.id} by letter`);
        assert.equal(checkAnswer(q, q.options[q.correct].toUpperCase()).correct, true, `${q.id} by text`);
        for (let i = 0; i < q.options.length; i++) if (i !== q.correct) assert.equal(checkAnswer(q, i).correct, false, `${q.id} option ${i}`);
      }
    });

    it('treats out-of-range and odd answers as no pick, not as a crash', () => {
      const q = choice('cmdVsEntrypoint');
      for (const a of [-1, 4, 1.5, NaN, 'z', '', null, {}, ['a']]) {
        assert.equal(choiceIndex(q, a), undefined, String(a));
        assert.equal(checkAnswer(q, a).correct, false);
        assert.equal(isAttempt(q, a), false);
      }
      assert.equal(isAttempt(q, 'B'), true);
      assert.equal(checkAnswer(q, 'B').correct, false);
    });
  });

  describe('short answers checked for key ideas', () => {
    it('finds the ideas of a good answer to "what problems can you expect?"', () => {
      const r = checkAnswer(short('projectProblems'), 'Everyone uses a different OS, and the classic: it works on my machine!');
      assert.equal(r.correct, true);
      assert.equal(r.found.length, 2);
      assert.equal(r.missed.length, 1);
      assert.match(r.missed[0], /by hand/);
    });

    it('says no to an answer without any key idea, and still explains', () => {
      const r = checkAnswer(short('projectProblems'), 'I like pizza');
      assert.equal(r.correct, false);
      assert.deepEqual(r.found, []);
      assert.match(r.explanation, /works on my machine/);
    });

    it('needs two ideas for the medium questions', () => {
      const q = short('howTroubleshoot');
      assert.equal(checkAnswer(q, 'read the logs').correct, false);
      assert.equal(checkAnswer(q, 'docker logs, then docker exec into it and look around').correct, true);
      const perf = short('perfFactors');
      assert.equal(checkAnswer(perf, 'The image size and how many layers it has').correct, true);
      assert.equal(checkAnswer(perf, 'the weather').correct, false);
    });

    it('knows the alternatives to Docker', () => {
      const q = short('alternatives');
      assert.equal(checkAnswer(q, 'Podman').correct, true);
      assert.equal(checkAnswer(q, 'plain old VMs with Vagrant').correct, true);
      assert.equal(checkAnswer(q, 'Excel').correct, false);
    });

    it('copes with empty, non-string, huge and binary answers', () => {
      const q = short('mostImportant');
      for (const a of ['', '   ', 42, undefined, null]) {
        assert.equal(checkAnswer(q, a).correct, false);
        assert.equal(isAttempt(q, a), false);
      }
      const huge = 'x'.repeat(5_000_000) + ' compose';
      const t = Date.now();
      assert.equal(checkAnswer(q, huge).correct, false, `only the first ${MAX_ANSWER_CHARS} characters are read`);
      assert.ok(Date.now() - t < 1000);
      assert.equal(checkAnswer(q, '\u0000\u0001\uFFFD compose \u0000').correct, true);
    });
  });
});
