import type { Hover, Position } from 'vscode-languageserver/node';
import type { ParsedDockerfile } from '../diagnostics/dockerfile/parse';
import type { SilencedFinding } from '../diagnostics/imageFacts';
import type { FileKind } from '../diagnostics/types';
import { COMPOSE_KEY_FACTS } from '../language/composeKeyFacts';
import { INSTRUCTION_FACTS, MAKES_TEXT } from '../language/instructionFacts';
import { escapeMarkdown } from '../language/markdown';

const lessonLink = (lesson: string | undefined) =>
  lesson ? `\n\n[Learn more in the course](command:dockwise.openLesson?${encodeURIComponent(JSON.stringify([lesson]))})` : '';

/** What a hover reads: the document's text and, for a Dockerfile, its parse (the last lint's, when it is current). */
export interface HoverSource {
  kind: FileKind;
  text: string;
  parsed?: () => ParsedDockerfile;
}

/** Hovers that teach: what an instruction or compose key does, and why a rule stayed silent on this line. */
export function hover(doc: HoverSource, position: Position, silenced: SilencedFinding[]): Hover | null {
  return doc.kind === 'dockerfile' && doc.parsed ? dockerfileHover(doc.parsed(), position, silenced) : composeHover(doc.text, position);
}

function dockerfileHover(parsed: ParsedDockerfile, position: Position, silenced: SilencedFinding[]): Hover | null {
  const ins = instructionAt(parsed, position.line);
  if (!ins) return null;
  const kwRange = ins.keywordRange;
  const onKeyword = position.line === kwRange.start.line && position.character >= kwRange.start.character && position.character <= kwRange.end.character;
  const notes = silenced.filter((s) => s.line === ins.line);
  if (!onKeyword && !notes.length) return null;
  const parts: string[] = [];
  if (onKeyword) {
    const fact = INSTRUCTION_FACTS[ins.keyword];
    if (fact) {
      parts.push(`**${ins.keyword}** — ${fact.summary}`, `**Layer:** ${MAKES_TEXT[fact.makes]}`, `**Cache:** ${fact.cache}${lessonLink(fact.lesson)}`);
    }
  }
  // The reason quotes the daemon (the base image's user): text, never markup.
  for (const n of notes) parts.push(`**${n.code}** stayed silent: ${escapeMarkdown(n.reason)}`);
  if (!parts.length) return null;
  const whole = { start: kwRange.start, end: { line: ins.endLine, character: (parsed.lines[ins.endLine] ?? '').length } };
  return { contents: { kind: 'markdown', value: parts.join('\n\n') }, range: onKeyword ? kwRange : whole };
}

/** The instruction whose lines (continuations and heredoc bodies included) hold `line`: a binary search. */
function instructionAt(parsed: ParsedDockerfile, line: number): ParsedDockerfile['instructions'][number] | undefined {
  const list = parsed.instructions;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].endLine < line) lo = mid + 1;
    else if (list[mid].line > line) hi = mid - 1;
    else return list[mid];
  }
  return undefined;
}

function composeHover(text: string, position: Position): Hover | null {
  const line = lineOf(text, position.line);
  const m = /^(\s*(?:-\s*)?)([A-Za-z_][\w.-]*)\s*:/.exec(line);
  if (!m) return null;
  const start = m[1].length;
  const end = start + m[2].length;
  if (position.character < start || position.character > end) return null;
  const fact = COMPOSE_KEY_FACTS[m[2]];
  if (!fact) return null;
  return {
    contents: { kind: 'markdown', value: `**${m[2]}** — ${fact.summary}${lessonLink(fact.lesson)}` },
    range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } },
  };
}

/** One line of a text, without splitting the whole text. */
function lineOf(text: string, n: number): string {
  let start = 0;
  for (let i = 0; i < n; i++) {
    start = text.indexOf('\n', start) + 1;
    if (start === 0) return '';
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}
