import { defineRule } from '../../../registry';
import type { RuleMeta, Severity } from '../../../types';

/** Every BuildKit build check (frontend/dockerfile/linter/ruleset.go), by check name. */
export const BUILDKIT_CHECKS = [
  'StageNameCasing', 'FromAsCasing', 'NoEmptyContinuation', 'ConsistentInstructionCasing', 'DuplicateStageName',
  'ReservedStageName', 'JSONArgsRecommended', 'MaintainerDeprecated', 'UndefinedArgInFrom', 'WorkdirRelativePath',
  'UndefinedVar', 'MultipleInstructionsDisallowed', 'LegacyKeyValueFormat', 'InvalidBaseImagePlatform',
  'RedundantTargetPlatform', 'SecretsUsedInArgOrEnv', 'InvalidDefaultArgInFrom', 'FromPlatformFlagConstDisallowed',
  'CopyIgnoredFile', 'InvalidDefinitionDescription', 'ExposeProtoCasing', 'ExposeInvalidFormat',
] as const;
export type BuildkitCheck = (typeof BUILDKIT_CHECKS)[number];

const LOWER_CHECKS = new Set(BUILDKIT_CHECKS.map((c) => c.toLowerCase()));
export const isBuildkitCheck = (name: string) => LOWER_CHECKS.has(name.toLowerCase());

/** `StageNameCasing` → `stage-name-casing`, the slug of BuildKit's docs page. */
export const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();

/** A BuildKit check as a Dockwise rule: readable code, the check name (and any hadolint code) as aliases. */
export function buildkitRule(check: BuildkitCheck, severity: Severity, title: string, hadolint: string[] = [], extra: Partial<RuleMeta> = {}): RuleMeta {
  return defineRule({ code: kebab(check), kind: 'dockerfile', aliases: [check, ...hadolint], severity, title, ...extra });
}

/** Nearest name within two edits (for "did you mean"), as BuildKit's util/suggest does on Linux (case-sensitive). */
export function suggest(name: string, options: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const o of options) {
    if (o === name) return undefined;
    const d = distance(name, o, bestD);
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return best;
}

function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
