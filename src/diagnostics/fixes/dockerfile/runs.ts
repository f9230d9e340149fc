/**
 * Joining RUN bodies and appending commands to them, on the engine's model: each body's source is cut where its
 * last statement ends (so a trailing `;` or `# comment` cannot break or swallow what follows), continued with the
 * file's own escape character, and the result is parsed again to check that the shell runs exactly the same
 * commands in the same order, plus those appended.
 */
import { isPosixLike } from '../../dockerfile/shell/dialect';
import type { RunBody } from '../../dockerfile/shell/model';
import { analyseScript, ShellCommand } from '../../dockerfile/shell/script';
import { parseDockerfile, positionAt } from '../../dockerfile/parse';
import type { Position } from '../../types';
import type { DockerfileFixContext } from '../context';
import { pos } from '../text';
import type { TextEdit } from '../types';
import { baseOf, stageOf } from './baseImage';
import { bodyShape, BodyShape } from './shellBody';

/** The RUN body of the instruction covering `line` (not ONBUILD triggers). */
export function runAt(fx: DockerfileFixContext, line: number): RunBody | undefined {
  const byLine = fx.memo('runs-by-instruction', () => new Map(fx.shell.runs.filter((r) => !r.step.onbuild).map((r) => [r.step.instruction, r])));
  const ins = instructionAt(fx, line);
  return ins ? byLine.get(ins) : undefined;
}

/** The instruction covering `line`, by binary search over the instructions' first lines. */
export function instructionAt(fx: DockerfileFixContext, line: number) {
  const all = fx.df.instructions;
  let lo = 0;
  let hi = all.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (all[mid].line <= line) lo = mid;
    else hi = mid - 1;
  }
  const ins = all[lo];
  return ins && ins.line <= line && line <= ins.endLine ? ins : undefined;
}

/** Why a RUN cannot take part in a join or an append, or undefined when it can. */
export function notJoinable(fx: DockerfileFixContext, run: RunBody): string | undefined {
  const known = fx.memo('not-joinable', () => new Map<RunBody, string | undefined>());
  if (!known.has(run)) known.set(run, whyNotJoinable(fx, run));
  return known.get(run);
}

function whyNotJoinable(fx: DockerfileFixContext, run: RunBody): string | undefined {
  const ins = run.step.instruction;
  if (run.step.onbuild) return 'ONBUILD';
  if (run.form !== 'shell' || ins.heredocs.length) return `the ${run.form} form`;
  if (!isPosixLike(run.dialect) || run.dialect === 'other') return `a ${run.dialect} SHELL`;
  const stage = stageOf(fx.df, ins);
  if (stage && fx.memo(`base:${stage.index}`, () => baseOf(fx.df, stage)).family === 'windows') return 'a Windows image';
  const shape = bodyShape(run.text);
  if (!run.script || !shape) return 'no shell parser';
  if (run.script.hasErrors || shape.hasErrors) return 'a body the shell parser cannot read';
  if (shape.end === 0) return 'an empty body';
  return undefined;
}

/** Comments that silence rules for the instruction below them. */
const IGNORE_COMMENT = /^\s*#\s*(dockwise-ignore|hadolint\s+ignore)/i;

export const flagKey = (run: RunBody) => run.step.flags.map((f) => f.word.raw).sort().join(' ');

/** Position just after offset `end` of the body (the character before it, plus one: never the next line's start). */
function after(run: RunBody, end: number): Position {
  if (end <= 0) return bodyStart(run);
  const p = run.rangeOf(end - 1, end - 1).start;
  return pos(p.line, p.character + 1);
}

const bodyStart = (run: RunBody): Position => positionAt(run.step.instruction, run.step.args[0].start);

export interface RunEdit {
  edit: TextEdit;
  /** The first state-changing construct of a body that now has commands after it in the same shell. */
  stateful?: string;
}

/**
 * Joins `runs` (consecutive, joinable, same flags) into the first, with `&&`, and appends `append` (a shell command)
 * after the last one's commands when given. With one RUN, only appends. Undefined when the result would not run the
 * same commands.
 */
export function joinRuns(fx: DockerfileFixContext, runs: RunBody[], append?: string): RunEdit | undefined {
  if (!runs.length || (runs.length === 1 && !append)) return undefined;
  if (runs.some((r) => notJoinable(fx, r) || flagKey(r) !== flagKey(runs[0]))) return undefined;
  const shapes = runs.map((r) => bodyShape(r.text)!);
  const lines = fx.lines;
  const first = runs[0].step.instruction;
  const last = runs[runs.length - 1].step.instruction;
  const indent = lines.indentOf(first.line);
  const eol = lines.eolAt(first.line);
  const cont = ` ${fx.df.escape}${eol}${indent}    && `;
  const above: string[] = [];
  let stateful: string | undefined;
  let out = '';
  let insertAt: Position | undefined;

  // Comment lines between the RUNs stay where they are, inside the continuation (Docker skips comment lines there);
  // ignore comments move above the joined RUN, where they go on applying to its commands.
  let between: string[] = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i];
    const ins = run.step.instruction;
    const shape: BodyShape = shapes[i];
    const isLast = i === runs.length - 1;
    const from = i === 0 ? pos(ins.line, 0) : bodyStart(run);
    if (i > 0) out += ` ${fx.df.escape}${eol}${between.map((c) => c + eol).join('')}${indent}    && `;
    if (isLast && !append) {
      out += lines.slice(from, lines.endOf(ins.endLine));
      break;
    }
    // Something follows this body in the same shell now: it must not run in the background, and what it leaves
    // behind (a cd, an export) is what the commands after it see.
    if (shape.background) return undefined;
    if (!isLast) stateful ??= shape.stateful;
    const end = after(run, shape.end);
    out += lines.slice(from, end);
    if (isLast) {
      insertAt = end;
      out += cont + append + lines.slice(end, lines.endOf(ins.endLine));
      break;
    }
    between = shape.comment ? [`${indent}    ${shape.comment.text}`] : [];
    for (let l = ins.endLine + 1; l < runs[i + 1].step.instruction.line; l++) {
      const t = lines.line(l);
      if (!t.trim().startsWith('#')) continue;
      if (IGNORE_COMMENT.test(t)) above.push(t);
      else between.push(t);
    }
  }

  if (!sameCommands(fx, out, runs, append)) return undefined;
  if (runs.length === 1 && insertAt) return { edit: { range: { start: insertAt, end: insertAt }, newText: cont + append }, stateful };
  return {
    edit: { range: { start: pos(first.line, 0), end: lines.endOf(last.endLine) }, newText: [...above, out].join(eol) },
    stateful,
  };
}

const words = (c: ShellCommand) => [c.name, ...c.args.map((a) => a.value)].join('\u0001');

/** The joined instruction, read back as Docker and the shell would, runs the bodies' commands in order, then `append`. */
function sameCommands(fx: DockerfileFixContext, source: string, runs: RunBody[], append?: string): boolean {
  const parsed = parseDockerfile((fx.df.escape === '`' ? '# escape=`\n' : '') + source);
  if (parsed.instructions.length !== 1) return false;
  const ins = parsed.instructions[0];
  if (!ins.args.length || ins.heredocs.length) return false;
  const script = analyseScript(ins.text.slice(ins.args[0].start));
  if (!script || script.hasErrors) return false;
  const expected = runs.flatMap((r) => r.commands.map(words));
  if (append) {
    const extra = analyseScript(append);
    if (!extra || extra.hasErrors) return false;
    expected.push(...extra.commands.map(words));
  }
  const got = script.commands.map(words);
  return got.length === expected.length && got.every((w, i) => w === expected[i]);
}

/** Inserts `text` right after a word of a RUN body (a flag after `install`, say). */
export function insertAfterWord(run: RunBody, wordEnd: number, text: string): TextEdit {
  const p = after(run, wordEnd);
  return { range: { start: p, end: p }, newText: text };
}
