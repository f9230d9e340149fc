import type { Finding } from '../types';
import type { ComposeFixContext, DockerfileFixContext } from './context';
import { at } from './text';
import type { Fix } from './types';
import { instructionAt } from './dockerfile/runs';

/**
 * "Ignore this rule here" and "in this file", in the comment forms the linters already read. They keep what the
 * file does but hide the finding, so they are never applied unseen.
 */
export function ignoreFixes(fx: DockerfileFixContext | ComposeFixContext, finding: Finding): Fix[] {
  const lines = fx.lines;
  const isDockerfile = 'df' in fx;
  // Above the instruction, which may start lines before a finding on a continuation line.
  const target = isDockerfile ? (instructionAt(fx, finding.range.start.line)?.line ?? finding.range.start.line) : finding.range.start.line;
  const indent = lines.indentOf(target);
  // Parser directives (`# syntax=`, `# escape=`, `# check=`) must stay first, or Docker reads them as comments.
  const fileLine = isDockerfile ? (fx.df.parsed.directives.length ? fx.df.parsed.directives[fx.df.parsed.directives.length - 1].line + 1 : 0) : 0;
  const make = (id: string, title: string, line: number, text: string): Fix => ({
    id, title, edits: [{ range: at(line, 0), newText: text + lines.eolAt(line) }], safety: 'silence', safe: false,
  });
  return [
    make('ignore-line', `Ignore ${finding.code} on this line`, target, `${indent}# dockwise-ignore ${finding.code}`),
    make('ignore-file', `Ignore ${finding.code} in this file`, fileLine, `# dockwise-ignore-file ${finding.code}`),
  ];
}
