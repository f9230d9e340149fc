import { webDocsHref } from '../language/ruleDocs';
import type { FileKind, Finding, Range, RuleMeta, Severity } from './types';

/** Keyed by kind and code: Dockerfiles and compose files share codes such as `no-latest-tag`. */
const rules = new Map<string, RuleMeta>();
const key = (kind: FileKind, code: string) => `${kind}:${code.toLowerCase()}`;

/** Registers a rule's metadata; rule modules call this once at load time. */
export function defineRule(meta: RuleMeta): RuleMeta {
  const k = key(meta.kind, meta.code);
  const existing = rules.get(k);
  if (existing) return existing;
  rules.set(k, meta);
  for (const alias of meta.aliases) {
    const ak = key(meta.kind, alias);
    if (!rules.has(ak)) rules.set(ak, meta);
  }
  return meta;
}

/** A rule by its code or any alias. */
export function ruleByName(kind: FileKind, name: string): RuleMeta | undefined {
  return rules.get(key(kind, name));
}

export function allRules(kind?: FileKind): RuleMeta[] {
  const seen = new Set(rules.values());
  return [...seen]
    .filter((r) => !kind || r.kind === kind)
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.code.localeCompare(b.code));
}

/**
 * The rule's page on the web where one exists (BuildKit's docs, hadolint's wiki), else undefined. Every rule's own
 * page ships in docs/rules/ and the editor opens it offline.
 */
export function docsHref(meta: Pick<RuleMeta, 'aliases'>): string | undefined {
  return webDocsHref(meta.aliases);
}

const withHref = (href: string | undefined) => (href ? { href } : {});

/** Builds a finding of a registered rule with its default severity and docs link. */
export function finding(
  meta: RuleMeta,
  range: Range,
  message: string,
  extra: { aliases?: string[]; severity?: Severity; data?: Record<string, unknown> } = {},
): Finding {
  return {
    code: meta.code,
    severity: extra.severity ?? meta.severity,
    message,
    range,
    aliases: extra.aliases ?? [...meta.aliases],
    ...withHref(webDocsHref(extra.aliases ?? meta.aliases)),
    ...(extra.data ? { data: extra.data } : {}),
  };
}
