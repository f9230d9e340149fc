import { DockerfileParser } from 'dockerfile-ast';
import type { Hover, Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SilencedFinding } from '../diagnostics/imageFacts';
import type { FileKind } from '../diagnostics/types';
import { COMPOSE_KEY_FACTS } from '../language/composeKeyFacts';
import { INSTRUCTION_FACTS, MAKES_TEXT } from '../language/instructionFacts';
import { escapeMarkdown } from '../language/markdown';

const lessonLink = (lesson: string | undefined) =>
  lesson ? `\n\n[Learn more in the course](command:dockwise.openLesson?${encodeURIComponent(JSON.stringify([lesson]))})` : '';

/** Hovers that teach: what an instruction or compose key does, and why a rule stayed silent on this line. */
export function hover(doc: TextDocument, position: Position, kind: FileKind, silenced: SilencedFinding[]): Hover | null {
  return kind === 'dockerfile' ? dockerfileHover(doc, position, silenced) : composeHover(doc, position);
}

function dockerfileHover(doc: TextDocument, position: Position, silenced: SilencedFinding[]): Hover | null {
  const ins = DockerfileParser.parse(doc.getText())
    .getInstructions()
    .find((i) => i.getRange().start.line <= position.line && position.line <= i.getRange().end.line);
  if (!ins) return null;
  const kwRange = ins.getInstructionRange();
  const onKeyword = position.line === kwRange.start.line && position.character >= kwRange.start.character && position.character <= kwRange.end.character;
  const notes = silenced.filter((s) => s.line === ins.getRange().start.line);
  if (!onKeyword && !notes.length) return null;
  const parts: string[] = [];
  if (onKeyword) {
    const fact = INSTRUCTION_FACTS[ins.getKeyword()];
    if (fact) {
      parts.push(`**${ins.getKeyword()}** — ${fact.summary}`, `**Layer:** ${MAKES_TEXT[fact.makes]}`, `**Cache:** ${fact.cache}${lessonLink(fact.lesson)}`);
    }
  }
  // The reason quotes the daemon (the base image's user): text, never markup.
  for (const n of notes) parts.push(`**${n.code}** stayed silent: ${escapeMarkdown(n.reason)}`);
  if (!parts.length) return null;
  return { contents: { kind: 'markdown', value: parts.join('\n\n') }, range: onKeyword ? kwRange : ins.getRange() };
}

function composeHover(doc: TextDocument, position: Position): Hover | null {
  const line = doc.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } });
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
