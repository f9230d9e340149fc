/** The lint engine's vocabulary. Positions are 0-based like LSP; the CLI converts to 1-based. */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

export type FileKind = 'dockerfile' | 'compose';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** What every rule declares about itself; the registry keeps one per code. */
export interface RuleMeta {
  /** Readable, stable code: `no-latest-tag`. */
  code: string;
  kind: FileKind;
  /** Every name other tools give this rule (hadolint `DL3007`, BuildKit `FromAsCasing`, ShellCheck `SC2086`). */
  aliases: readonly string[];
  severity: Severity;
  /** One line, for docs, hovers and SARIF rule descriptors. */
  title: string;
  /** Off unless configured (as hadolint's DL1001, or rules that need settings). */
  offByDefault?: boolean;
  /** Walkthrough step that teaches this rule (`<walkthroughId>#<stepId>`), for "learn why". */
  lesson?: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** The other names of this finding; only those that apply to this very finding (DL3006 vs DL3007). */
  aliases: string[];
  /** Documentation page of the rule. */
  href?: string;
  /** Rule-specific facts for quick fixes (JSON-serialisable). */
  data?: Record<string, unknown>;
}

export const range = (line: number, start: number, endLine: number, end: number): Range => ({
  start: { line, character: start },
  end: { line: endLine, character: end },
});

/** Findings in file order: by start position, then code. */
export const byPosition = (a: Finding, b: Finding): number =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);
