/**
 * Builds package.json's `contributes.walkthroughs` from the course data, so the buttons, completion events and media
 * paths cannot drift from what the code handles. A unit test checks package.json against it; to update package.json
 * after changing the course: `npx tsx src/walkthroughs/manifest.ts --write`.
 * No `vscode` import.
 */
import { questionById } from './checkpoints';
import { COURSE, contextKey, lessonFile, SNIPPETS, StepDef, stepKey, WalkthroughDef } from './course';
import { POINTS } from './questions';

export interface StepContribution {
  id: string;
  title: string;
  description: string;
  media: { svg: string; altText: string } | { markdown: string };
  completionEvents: string[];
}

export interface WalkthroughContribution {
  id: string;
  title: string;
  description: string;
  steps: StepContribution[];
}

/** A command link. VS Code renders a link alone on its line as a button, and a link in a line of text as a link. */
const link = (title: string, command: string, ...args: unknown[]): string =>
  `[${title}](command:${command}${args.length ? `?${encodeURIComponent(JSON.stringify(args))}` : ''})`;

/**
 * A command as a line of a step's text, after a terminal icon. Step text shows backticks literally and reads `$(name)`
 * as an icon, so a shell's `$(pwd)` is escaped.
 */
export const commandText = (command: string): string => `$(terminal) ${command.replace(/\$\(/g, '\\$(')}`;

/**
 * A step's text: the summary, then its actions. Commands and questions are text a learner can read in the narrow
 * card, each with a short button or link, never a long button label.
 */
function description(w: WalkthroughDef, s: StepDef): string {
  const key = stepKey(w.id, s.id);
  const lines = [s.summary];
  if (s.sample) lines.push(link('Create the todo-app sample', 'dockwise.course.createSample', { step: key }));
  for (const id of s.snippets ?? []) lines.push(`${commandText(SNIPPETS[id])} ${link('Run', 'dockwise.course.runInTerminal', id)}`);
  if (s.completion === 'handsOn') {
    lines.push(link('Check what Docker shows', 'dockwise.course.checkStep', key));
    lines.push('No Docker daemon? ' + link('How to start Docker', 'dockwise.course.startDocker', key));
  }
  if (s.completion === 'dockerfile') lines.push(link('Check my Dockerfile', 'dockwise.course.checkDockerfile'));
  for (const id of s.questions ?? []) {
    const q = questionById(id);
    if (!q) throw new Error(`step ${key} names unknown question ${id}`);
    lines.push(`**Checkpoint${q.optional ? ' (optional)' : ''}:** ${q.prompt}`);
    lines.push(link(`Answer (+${POINTS[q.reward]})`, 'dockwise.course.answer', id));
  }
  if (s.diagram) lines.push(link('Read the lesson', 'dockwise.course.readLesson', key));
  if (s.completion === 'read') lines.push(link('Mark as read', 'dockwise.course.markRead', key));
  return lines.join('\n');
}

export function walkthroughContributions(): WalkthroughContribution[] {
  return COURSE.map((w) => ({
    id: w.id,
    title: w.title,
    description: w.description,
    steps: w.steps.map((s) => ({
      id: s.id,
      title: s.title,
      description: description(w, s),
      media: s.diagram ? { svg: s.diagram.file, altText: s.diagram.alt } : { markdown: lessonFile(w.id, s.id) },
      completionEvents: [`onContext:${contextKey(stepKey(w.id, s.id))}`],
    })),
  }));
}

/** Writes the walkthroughs into package.json, leaving every other key where it is. */
async function writePackageJson(): Promise<void> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const file = path.join(__dirname, '..', '..', 'package.json');
  const text = fs.readFileSync(file, 'utf8');
  const pkg = JSON.parse(text);
  pkg.contributes = pkg.contributes ?? {};
  pkg.contributes.walkthroughs = walkthroughContributions();
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + (text.endsWith('\n') ? '\n' : ''));
}

if (require.main === module && process.argv.includes('--write')) void writePackageJson();
