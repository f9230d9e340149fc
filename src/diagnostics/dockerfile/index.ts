import type { KindLintRequest } from '../engine';
import { defineRule, finding } from '../registry';
import { Finding, range } from '../types';
import { createContext, DockerfileContext } from './context';
import { applyIgnores } from './ignores';
import { DockerfileRule } from './context';
import { DOCKERFILE_RULES } from './rules';

export const INTERNAL_ERROR = defineRule({
  code: 'internal-error',
  kind: 'dockerfile',
  aliases: [],
  severity: 'warning',
  title: 'A rule failed on this file',
});

/**
 * Lints a Dockerfile: parses once, runs every rule (a rule that throws becomes one `internal-error` finding and the
 * others still run), then applies ignore comments to all findings.
 */
export function lintDockerfile(req: KindLintRequest): Finding[] {
  return lintDockerfileWith(req, DOCKERFILE_RULES);
}

/**
 * The same with a chosen set of rules (the benchmark times subsets). `onContext` receives the parsed file, for
 * callers that keep working on it (the language server's code actions, ShellCheck).
 */
export function lintDockerfileWith(req: KindLintRequest, rules: readonly DockerfileRule[], onContext?: (ctx: DockerfileContext) => void): Finding[] {
  let ctx: DockerfileContext;
  try {
    ctx = req.context ?? createContext(req.text, req.filePath, req.config, req.host);
  } catch (e) {
    return [finding(INTERNAL_ERROR, range(0, 0, 0, 0), `Dockwise could not read this Dockerfile (${(e as Error).message}). Please report it with the file attached.`)];
  }
  onContext?.(ctx);
  const findings: Finding[] = [];
  for (const rule of rules) {
    try {
      rule.check(ctx, (f) => findings.push(f));
    } catch (e) {
      findings.push(finding(INTERNAL_ERROR, range(0, 0, 0, 0),
        `The check for ${rule.codes.slice(0, 3).join(', ')}${rule.codes.length > 3 ? ', …' : ''} failed on this file (${(e as Error)?.message ?? String(e)}), so its findings are missing. The other checks ran. Please report it with the file attached.`,
        { data: { codes: [...rule.codes] } }));
    }
  }
  try {
    return applyIgnores(ctx, findings);
  } catch {
    return findings;
  }
}
