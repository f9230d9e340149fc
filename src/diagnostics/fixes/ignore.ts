import { DockerfileParser } from 'dockerfile-ast';
import type { Fix, FixRequest } from './types';
import { at, Lines } from './text';

/** "Ignore this rule here" and "in this file", for every finding, in the comment forms the linters already read. */
export function ignoreFixes({ finding, text, kind }: FixRequest): Fix[] {
  const lines = new Lines(text);
  const target = kind === 'dockerfile' ? instructionStartLine(text, finding.range.start.line) : finding.range.start.line;
  const indent = lines.indentOf(target);
  const fileLine = kind === 'dockerfile' ? afterParserDirectives(lines) : 0;
  return [
    {
      title: `Ignore ${finding.code} on this line`,
      edits: [{ range: at(target, 0), newText: `${indent}# dockwise-ignore ${finding.code}${lines.eol}` }],
      safe: false,
    },
    {
      title: `Ignore ${finding.code} in this file`,
      edits: [{ range: at(fileLine, 0), newText: `# dockwise-ignore-file ${finding.code}${lines.eol}` }],
      safe: false,
    },
  ];
}

/** Ignore comments go above the instruction, which may start lines before a finding on a continuation line. */
function instructionStartLine(text: string, line: number): number {
  for (const ins of DockerfileParser.parse(text).getInstructions()) {
    const r = ins.getRange();
    if (r.start.line <= line && line <= r.end.line) return r.start.line;
  }
  return line;
}

/** Parser directives (`# syntax=`, `# escape=`, `# check=`) must stay first, or Docker reads them as comments. */
function afterParserDirectives(lines: Lines): number {
  let n = 0;
  while (n < lines.lines.length && /^\s*#\s*[a-zA-Z][\w-]*\s*=/.test(lines.line(n))) n++;
  return n;
}
