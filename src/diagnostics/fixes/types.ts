import type { FileKind, Finding, Range } from '../types';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor offers first (⌘. then Enter). */
  preferred?: boolean;
  /**
   * Mechanical and behaviour-preserving enough to apply unseen: by "fix all" and `dockwise lint --fix`.
   * Fixes that need a person's judgement (which user, which port to probe) are offered in the editor only.
   */
  safe: boolean;
}

/** What a fix provider sees: the finding and the whole document it was found in. */
export interface FixRequest {
  finding: Finding;
  text: string;
  kind: FileKind;
}

export type FixProvider = (req: FixRequest) => Fix[];
