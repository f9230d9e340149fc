/**
 * Asking a checkpoint question in the editor. Multiple choice: a quick pick with the options in a fresh random order.
 * Own words: an input box, then the model answer with its key ideas, then the learner ticks the ideas they had.
 */
import * as vscode from 'vscode';
import { SelfAssessment, shuffledOrder, Verdict } from './checkpoints';
import { ChoiceQuestion, POINTS, Question, ShortQuestion } from './questions';

const pointsLabel = (n: number) => `${n} ${n === 1 ? 'point' : 'points'}`;

/** The learner's answer: an option index, or a self-assessment; undefined when they backed out before answering. */
export async function askQuestion(q: Question, firstAttempt: boolean): Promise<number | SelfAssessment | undefined> {
  return q.kind === 'choice' ? askChoice(q, firstAttempt) : askOwnWords(q, firstAttempt);
}

function title(q: Question, firstAttempt: boolean): string {
  return firstAttempt ? `Checkpoint (+${pointsLabel(POINTS[q.reward])}, first answer counts)` : 'Checkpoint (answered before: no points this time)';
}

async function askChoice(q: ChoiceQuestion, firstAttempt: boolean): Promise<number | undefined> {
  const order = shuffledOrder(q.options.length);
  const picked = await vscode.window.showQuickPick(
    order.map((index, i) => ({ label: `${String.fromCharCode(65 + i)}. ${q.options[index]}`, index })),
    { title: title(q, firstAttempt), placeHolder: q.prompt, ignoreFocusOut: true },
  );
  return picked?.index;
}

async function askOwnWords(q: ShortQuestion, firstAttempt: boolean): Promise<SelfAssessment | undefined> {
  const text = await vscode.window.showInputBox({
    title: title(q, firstAttempt),
    prompt: q.prompt,
    placeHolder: q.placeholder ?? 'Your answer, in your own words',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Write your answer first; then you compare it with a model answer.'),
  });
  if (text === undefined || !text.trim()) return undefined;
  const compare = 'Tick the Ideas I Had';
  await vscode.window.showInformationMessage('Compare your answer with a model answer', {
    modal: true,
    detail: `Your answer:\n"${text.trim().slice(0, 600)}"\n\nA model answer:\n${q.explanation}\n\nIts key ideas:\n${q.ideas.map((i) => `• ${i.label}`).join('\n')}\n\n`
      + `Next, tick the ideas your answer had${firstAttempt ? ` (${q.need} or more for the full ${pointsLabel(POINTS[q.reward])})` : ''}.`,
  }, compare);
  // Having seen the model answer, the attempt counts even if the learner ticks nothing.
  const had = await new Promise<number[]>((resolve) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { index: number }>();
    pick.title = 'Which key ideas did your answer have?';
    pick.placeholder = `Your answer: ${text.trim().slice(0, 160)}`;
    pick.canSelectMany = true;
    pick.ignoreFocusOut = true;
    pick.items = q.ideas.map((idea, index) => ({ label: idea.label, index }));
    let done = false;
    pick.onDidAccept(() => {
      done = true;
      resolve(pick.selectedItems.map((i) => i.index));
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!done) resolve([]);
      pick.dispose();
    });
    pick.show();
  });
  return { text, had };
}

/** The verdict, with the explanation: a modal, so it is read. */
export async function showVerdict(q: Question, v: Verdict, awarded: number, firstAttempt: boolean, total: number): Promise<void> {
  let head: string;
  if (q.kind === 'choice') head = v.correct ? 'Right!' : 'Not quite.';
  else head = `You had ${v.ideas.filter((i) => i.had).length} of ${v.ideas.length} key ideas.`;
  head += firstAttempt ? ` +${pointsLabel(awarded)}.` : ' (Points come from the first answer only.)';
  const right = q.kind === 'choice' && !v.correct ? `The answer: ${v.rightOption}\n\n` : '';
  const explanation = q.kind === 'choice' ? v.explanation : 'Keep the model answer in mind: the lessons come back to it.';
  await vscode.window.showInformationMessage(head, { modal: true, detail: `${right}${explanation}\n\nTotal: ${pointsLabel(total)}.` });
}
