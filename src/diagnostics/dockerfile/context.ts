import { Dockerfile, DockerfileParser } from 'dockerfile-ast';
import type { LintConfig } from '../config';
import type { LintHost } from '../host';
import type { Finding } from '../types';

/** Everything a Dockerfile rule may look at; parsed once per lint. */
export interface DockerfileContext {
  text: string;
  filePath?: string;
  config: LintConfig;
  host: LintHost;
  dockerfile: Dockerfile;
}

export function createContext(text: string, filePath: string | undefined, config: LintConfig, host: LintHost): DockerfileContext {
  return { text, filePath, config, host, dockerfile: DockerfileParser.parse(text) };
}

export interface DockerfileRule {
  /** The codes this rule can report (one rule module may own several). */
  readonly codes: readonly string[];
  check(ctx: DockerfileContext, report: (f: Finding) => void): void;
}
