/**
 * The compose linter: YAML syntax with positions, the Compose Specification schema, and rules for security and
 * production readiness, each finding on the exact key or value it is about.
 */
import type { KindLintRequest } from '../engine';
import { finding } from '../registry';
import { Finding, Position, range, Range } from '../types';
import { ComposeCheck, createContext } from './context';
import { parseCompose } from './parse';
import { checkConsistency } from './rules/consistency';
import { checkImageTags } from './rules/image';
import { COMPOSE_SCHEMA, COMPOSE_SYNTAX, INTERNAL_ERROR, NO_LATEST_TAG } from './rules/meta';
import { checkDependsOnHealthy, checkHealthchecks, checkResourceLimits, checkRestartPolicies } from './rules/production';
import { checkDuplicateContainerNames, checkDuplicateHostPorts, checkReferences, checkVersionField } from './rules/project';
import {
  checkCapabilities,
  checkDockerSocket,
  checkHostNamespaces,
  checkPlaintextSecrets,
  checkPrivileged,
  checkPublicAdminPorts,
  checkRootUser,
  checkSecurityOpt,
  checkSensitiveMounts,
} from './rules/security';
import { checkSchema } from './schema';
import { applyIgnoreComments } from './suppressions';

export { COMPOSE_SYNTAX };
/** Kept under its historical name: other modules refer to the compose `no-latest-tag` rule by it. */
export const COMPOSE_NO_LATEST_TAG = NO_LATEST_TAG;

const CHECKS: ComposeCheck[] = [
  checkSchema,
  checkVersionField,
  checkImageTags,
  checkReferences,
  checkConsistency,
  checkDuplicateContainerNames,
  checkDuplicateHostPorts,
  checkRootUser,
  checkPrivileged,
  checkDockerSocket,
  checkCapabilities,
  checkHostNamespaces,
  checkSecurityOpt,
  checkSensitiveMounts,
  checkPublicAdminPorts,
  checkPlaintextSecrets,
  checkHealthchecks,
  checkDependsOnHealthy,
  checkRestartPolicies,
  checkResourceLimits,
];

export function lintCompose(req: KindLintRequest): Finding[] {
  let parsed: ReturnType<typeof parseCompose>;
  try {
    parsed = parseCompose(req.text);
  } catch (e) {
    return [finding(INTERNAL_ERROR, range(0, 0, 0, 0), `Dockwise could not read this compose file (${(e as Error).message}). Please report it with the file attached.`)];
  }
  const findings: Finding[] = [];
  for (const e of parsed.docs.flatMap((d) => d.errors)) {
    const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    findings.push(finding(COMPOSE_SYNTAX, parsed.toRange([e.pos[0], Math.max(e.pos[1], e.pos[0])]), `YAML error: ${message}`));
  }
  for (const d of parsed.duplicateKeys) {
    findings.push(finding(COMPOSE_SYNTAX, parsed.toRange(d.span), `YAML error: "${d.key}" is already a key of this mapping; compose refuses duplicate keys. Merge the two entries.`));
  }
  for (const p of parsed.problems) findings.push(finding(COMPOSE_SYNTAX, parsed.toRange(p.span), p.message));
  if (parsed.aliasBomb) {
    findings.push(
      finding(
        COMPOSE_SYNTAX,
        parsed.toRange(parsed.aliasBomb),
        'This file expands its aliases (*name) into an enormous document, the shape of a "billion laughs" attack. Compose refuses such files; so only its text is checked here.',
      ),
    );
  }
  const ctx = createContext(parsed, req.filePath, req.host, req.config, findings);
  for (const check of CHECKS) {
    try {
      check(ctx);
    } catch (e) {
      // One failing check must not hide the others' findings.
      findings.push(
        finding(INTERNAL_ERROR, range(0, 0, 0, 0), `The check ${check.name} failed on this file (${(e as Error)?.message ?? String(e)}), so its findings are missing. The other checks ran. Please report it with the file attached.`),
      );
    }
  }
  const kept = onePerPlace(withoutSchemaNoiseAroundSyntaxErrors(findings));
  return req.config.disableIgnorePragma ? kept : applyIgnoreComments(req.text, kept);
}

/** A problem inside an anchor is reported once, not once for every service that merges it. */
function onePerPlace(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.code}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Where the YAML is broken, what the parser recovered is a guess: schema complaints about it would only add noise. */
function withoutSchemaNoiseAroundSyntaxErrors(findings: Finding[]): Finding[] {
  const broken = findings.filter((f) => f.code === COMPOSE_SYNTAX.code).map((f) => f.range);
  if (!broken.length) return findings;
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  const overlaps = (a: Range, b: Range) => before(a.start, b.end) && before(b.start, a.end);
  // A value the parser lost to an error on the next line (`services:` followed by a tab-indented block) reads as empty.
  const nextLineBroken = (f: Finding) => broken.some((r) => r.start.line === f.range.end.line + 1);
  return findings.filter((f) => f.code !== COMPOSE_SCHEMA.code || !(broken.some((r) => overlaps(r, f.range)) || nextLineBroken(f)));
}
