/**
 * The Dockerfile step's check: the learner's Dockerfile is done when the findings the course teaches about are all
 * gone. Uses the same pure engine as the language server and the CLI. No `vscode` import.
 */
import { lint } from '../diagnostics/engine';
import type { Finding } from '../diagnostics/types';

/** The findings the sample's Dockerfile starts with and the step asks the learner to fix. */
export const COURSE_DOCKERFILE_CODES = ['no-root-user', 'no-latest-tag', 'chain-run', 'require-healthcheck'] as const;

export interface DockerfileCheck {
  passed: boolean;
  /** Course findings still in the file, one per code and line. */
  remaining: Pick<Finding, 'code' | 'message' | 'range'>[];
}

export function checkCourseDockerfile(text: string, filePath?: string): DockerfileCheck {
  const codes = new Set<string>(COURSE_DOCKERFILE_CODES);
  // Every rule at its default severity: the learner's own settings must not hide what the step asks for.
  const findings = lint({ text, kind: 'dockerfile', filePath });
  const remaining = findings.filter((f) => codes.has(f.code)).map(({ code, message, range }) => ({ code, message, range }));
  const hasFrom = /^\s*FROM\s+\S/im.test(text);
  return { passed: hasFrom && remaining.length === 0, remaining };
}
