/**
 * How checkpoint answers are taken and scored. Multiple choice: the option picked (shown in a shuffled order), points
 * for a right first attempt. Own words: nothing pretends to grade free text. The learner answers, then sees the
 * model answer with its key ideas and says which ideas they had; points follow from that. No `vscode` import.
 */
import { findStep } from './course';
import { ChoiceQuestion, POINTS, Question, QUESTIONS, ShortQuestion } from './questions';

/** Longer answers are cut here: nobody types a checkpoint answer this long. */
export const MAX_ANSWER_CHARS = 2000;

/** A self-assessed answer in own words: the text, and the key ideas (labels or indices) the learner says it had. */
export interface SelfAssessment {
  text: string;
  had: readonly (string | number)[];
}

export interface Verdict {
  /** There was something to score: a valid option, or a non-empty answer. */
  attempted: boolean;
  /** The right option, or a full answer by the learner's own account. */
  correct: boolean;
  /** Points this answer is worth on a first attempt. */
  score: number;
  explanation: string;
  /** Own-words questions: each key idea and whether the learner had it. */
  ideas: { label: string; had: boolean }[];
  /** Multiple choice: the right option's text. */
  rightOption?: string;
}

export function questionById(id: string): Question | undefined {
  return QUESTIONS.find((q) => q.id === id);
}

export const questionsOfStep = (key: string): Question[] => QUESTIONS.filter((q) => q.step === key);

/** Answering completes the question's step only when the step is a checkpoint step (never a hands-on one). */
export function completesStep(q: Question): boolean {
  return findStep(q.step)?.step.completion === 'question';
}

/** Lower case, one space between words, capped in length. */
export function normalizeAnswer(text: string): string {
  return text.slice(0, MAX_ANSWER_CHARS).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Which option an answer picks: its index, a letter (`b`) or the option's text. Undefined when it picks none. */
export function choiceIndex(q: ChoiceQuestion, answer: unknown): number | undefined {
  if (typeof answer === 'number') return Number.isInteger(answer) && answer >= 0 && answer < q.options.length ? answer : undefined;
  if (typeof answer !== 'string') return undefined;
  const a = normalizeAnswer(answer);
  if (/^[a-z]$/.test(a)) {
    const i = a.charCodeAt(0) - 97;
    return i < q.options.length ? i : undefined;
  }
  const i = q.options.findIndex((o) => normalizeAnswer(o) === a);
  return i >= 0 ? i : undefined;
}

/** The ideas (indices) a self-assessment claims; labels and indices both work, anything else is ignored. */
export function claimedIdeas(q: ShortQuestion, had: unknown): number[] {
  if (!Array.isArray(had)) return [];
  const out = new Set<number>();
  for (const h of had) {
    const i = typeof h === 'number' ? h : typeof h === 'string' ? q.ideas.findIndex((idea) => idea.label === h) : -1;
    if (Number.isInteger(i) && i >= 0 && i < q.ideas.length) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

const isSelfAssessment = (v: unknown): v is SelfAssessment => !!v && typeof v === 'object' && typeof (v as SelfAssessment).text === 'string';

/** Scores an answer; never throws. */
export function grade(q: Question, answer: unknown): Verdict {
  if (q.kind === 'choice') {
    const i = choiceIndex(q, answer);
    const correct = i === q.correct;
    return { attempted: i !== undefined, correct, score: correct ? POINTS[q.reward] : 0, explanation: q.explanation, ideas: [], rightOption: q.options[q.correct] };
  }
  const text = isSelfAssessment(answer) ? normalizeAnswer(answer.text) : '';
  const had = text ? claimedIdeas(q, isSelfAssessment(answer) ? answer.had : []) : [];
  const need = Math.max(1, Math.min(q.need, q.ideas.length));
  const counted = Math.min(had.length, need);
  return {
    attempted: text.length > 0,
    correct: counted >= need,
    score: Math.round((POINTS[q.reward] * counted) / need),
    explanation: q.explanation,
    ideas: q.ideas.map((idea, i) => ({ label: idea.label, had: had.includes(i) })),
  };
}

/** A uniformly random order of `n` indices (Fisher–Yates). */
export function shuffledOrder(n: number, random: () => number = Math.random): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** How much longer the right option is than the longest wrong one (1.0 = same length). */
export function rightOptionLengthRatio(q: ChoiceQuestion): number {
  const wrong = q.options.filter((_, i) => i !== q.correct).map((o) => o.length);
  return q.options[q.correct].length / Math.max(1, ...wrong);
}
