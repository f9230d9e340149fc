/**
 * Runs hadolint's spec cases against Dockwise's full `lint()` and tells which pass. Shared by the unit test and
 * the script that writes the parity table, so both count the same way.
 */
import { defaultConfig, LintConfig } from '../../../src/diagnostics/config';
import { lint, prepareLint } from '../../../src/diagnostics/engine';
import { ruleByName } from '../../../src/diagnostics/registry';
import type { LintHost } from '../../../src/diagnostics/host';
import { HADOLINT_CASES, HadolintCase } from './cases';

/** hadolint's cases read no other file; neither should these. */
const noFiles: LintHost = { readFile: () => undefined };

export interface CaseResult {
  case: HadolintCase;
  pass: boolean;
  /** How many findings carried the rule's DL code. */
  found: number;
}

export function configFor(c: HadolintCase): LintConfig {
  const config = defaultConfig();
  if (c.config?.trustedRegistries) config.trustedRegistries = c.config.trustedRegistries;
  if (c.config?.labelSchema) config.labelSchema = c.config.labelSchema;
  if (c.config?.strictLabels) config.strictLabels = true;
  // hadolint's specs run every rule, including those its CLI leaves off by default (DL1001, DL3057).
  const meta = ruleByName('dockerfile', c.rule);
  if (meta?.offByDefault) config.rules[c.rule] = meta.severity;
  return config;
}

export function runCase(c: HadolintCase): CaseResult {
  const findings = lint({ text: c.dockerfile, kind: 'dockerfile', config: configFor(c), host: noFiles });
  const found = findings.filter((f) => f.aliases.includes(c.rule)).length;
  const pass = c.expect === 'catches' ? found > 0 : c.expect === 'not' ? found === 0 : found === c.expect;
  return { case: c, pass, found };
}

export async function runAll(): Promise<CaseResult[]> {
  await prepareLint();
  return HADOLINT_CASES.map(runCase);
}
