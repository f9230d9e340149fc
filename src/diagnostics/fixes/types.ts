import type { LintConfig } from '../config';
import type { DockerfileContext } from '../dockerfile/context';
import type { LintHost } from '../host';
import type { FileKind, Finding, Range } from '../types';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** Edits to a file other than the linted one (a `.env` a secret moves to, a `.gitignore` told about it). */
export interface FileChange {
  /** Absolute path. */
  path: string;
  /** The file does not exist yet: create it, then apply `edits` (inserts at 0:0). */
  create: boolean;
  edits: TextEdit[];
}

/**
 * How far a fix may be trusted, declared once per fix definition:
 * - `safe`: provably keeps what the file does (same commands in the same order, the same user for every step, the
 *   same files in the image, the same service definition). Only these are applied by "fix all" and `--fix`.
 * - `review`: changes what the file does; offered in the editor only, with the risk said in its title.
 * - `silence`: keeps the file's behaviour but hides the finding (ignore comments); never applied unseen.
 */
export type Safety = 'safe' | 'review' | 'silence';

export interface Fix {
  /** The definition that made it (`chain-run`, `exec-form-cmd`, …). */
  id: string;
  /** What it does, and for `review` fixes what it may change: "… — <risk>". */
  title: string;
  /** Edits to the linted document. */
  edits: TextEdit[];
  /** Edits to other files, when the fix needs them. */
  files?: FileChange[];
  /** The fix an editor offers first (⌘. then Enter); only ever a safe one. */
  preferred?: boolean;
  safety: Safety;
  /** `safety === 'safe'`: applied unseen by "fix all" and `dockwise lint --fix`. */
  safe: boolean;
}

/** What a definition proposes; the registry turns proposals into fixes, adding the risk and the safety class. */
export interface Proposal {
  title: string;
  edits: TextEdit[];
  files?: FileChange[];
  /** A more precise risk than the definition's, for this very case. */
  risk?: string;
}

/** Reads the build context for facts a fix must prove (is this ADD source a directory or a tar archive?). */
export interface FileProbe {
  kind(file: string): 'file' | 'directory' | undefined;
  /** The first `bytes` bytes of a regular file. */
  head(file: string, bytes: number): Uint8Array | undefined;
}

export interface FixInput {
  text: string;
  kind: FileKind;
  filePath?: string;
  config?: LintConfig;
  host?: LintHost;
  probe?: FileProbe;
  /** The lint's own parse of this very text, when the caller has it: fixes then do not parse it again. */
  dockerfile?: DockerfileContext;
}

interface DefinitionBase {
  /** Stable name, used in docs and tests. */
  id: string;
  kind: FileKind;
  /** Names of the rules it fixes: a code or any alias. */
  rules: string[];
}

/** A fix definition: its safety class is part of the definition, so the registry enforces it in one place. */
export type FixDefinition<C> = DefinitionBase &
  ({ safety: 'safe'; risk?: undefined } | { safety: 'review'; risk: string }) & {
    propose(ctx: C, finding: Finding): Proposal[];
  };
