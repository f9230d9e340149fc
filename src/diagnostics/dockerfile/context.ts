import { Dockerfile, DockerfileParser } from 'dockerfile-ast';
import type { LintConfig } from '../config';
import type { LintHost } from '../host';
import type { Finding, Range } from '../types';
import { buildModel, DockerfileModel, Stage } from './model';
import { Instruction, parseDockerfile, ParsedDockerfile, Word, wordRange } from './parse';

/** Everything a Dockerfile rule may look at; parsed once per lint. */
export interface DockerfileContext {
  text: string;
  filePath?: string;
  config: LintConfig;
  host: LintHost;
  /** Lines, directives, comments and instructions with exact positions (see parse.ts). */
  parsed: ParsedDockerfile;
  /** Stages, stage names and parents, ARG scope before FROM and per stage, the final stage (see model.ts). */
  model: DockerfileModel;
  /** Instructions in order (same as `parsed.instructions`). */
  instructions: readonly Instruction[];
  stages: readonly Stage[];
  /** The escape character (`\` or `` ` ``). */
  escape: string;
  /** Document range of a word of an instruction. */
  rangeOf(ins: Instruction, word: Pick<Word, 'start' | 'end'>): Range;
  /**
   * The range of a BuildKit check's finding about a word: BuildKit reports every check on the instruction's first
   * line, so a word on a continuation line is reached from the keyword (the range starts where BuildKit's line
   * does and ends on the word).
   */
  checkRange(ins: Instruction, word: Pick<Word, 'start' | 'end'>): Range;
  /**
   * dockerfile-ast's parse, made on first use only: it costs several times the whole scan above on large files,
   * so rules should prefer `instructions`/`model`.
   */
  readonly dockerfile: Dockerfile;
}

export function createContext(text: string, filePath: string | undefined, config: LintConfig, host: LintHost): DockerfileContext {
  const parsed = parseDockerfile(text);
  const model = buildModel(parsed);
  let ast: Dockerfile | undefined;
  return {
    text,
    filePath,
    config,
    host,
    parsed,
    model,
    instructions: parsed.instructions,
    stages: model.stages,
    escape: parsed.escape,
    rangeOf: (ins, w) => wordRange(ins, w.start, w.end),
    checkRange(ins, w) {
      const r = wordRange(ins, w.start, w.end);
      return r.start.line === ins.line ? r : { start: ins.keywordRange.start, end: r.end };
    },
    get dockerfile() {
      return (ast ??= DockerfileParser.parse(text));
    },
  };
}

export interface DockerfileRule {
  /** The codes this rule can report (one rule module may own several). */
  readonly codes: readonly string[];
  check(ctx: DockerfileContext, report: (f: Finding) => void): void;
}
