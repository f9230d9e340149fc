import type { KindLintRequest } from '../engine';
import type { Finding } from '../types';
import { createContext } from './context';
import { DOCKERFILE_RULES } from './rules';

export function lintDockerfile(req: KindLintRequest): Finding[] {
  const ctx = createContext(req.text, req.filePath, req.config, req.host);
  const findings: Finding[] = [];
  for (const rule of DOCKERFILE_RULES) rule.check(ctx, (f) => findings.push(f));
  return findings;
}
