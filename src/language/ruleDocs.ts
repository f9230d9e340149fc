/**
 * Where a rule is documented. Every Dockwise rule has its page in `docs/rules/` (shipped in the extension and shown
 * inside VS Code, offline); a web address is given only where one really exists: BuildKit's page for its build
 * checks, hadolint's wiki for its DL rules, ShellCheck's wiki for SC codes.
 */

/** The scheme of rule pages inside VS Code: `dockwise-rule:/dockerfile/no-root-user`. */
export const RULE_PAGE_SCHEME = 'dockwise-rule';

/** BuildKit checks that BuildKit itself links to a docs page (frontend/dockerfile/linter/ruleset.go `URL`). */
const BUILDKIT_CHECKS_WITH_PAGES = new Set([
  'StageNameCasing', 'FromAsCasing', 'NoEmptyContinuation', 'ConsistentInstructionCasing', 'DuplicateStageName',
  'ReservedStageName', 'JSONArgsRecommended', 'MaintainerDeprecated', 'UndefinedArgInFrom', 'WorkdirRelativePath',
  'UndefinedVar', 'MultipleInstructionsDisallowed', 'LegacyKeyValueFormat', 'RedundantTargetPlatform',
  'SecretsUsedInArgOrEnv', 'InvalidDefaultArgInFrom', 'FromPlatformFlagConstDisallowed', 'CopyIgnoredFile',
  'InvalidDefinitionDescription', 'ExposeProtoCasing', 'ExposeInvalidFormat',
]);

/** DL rules that hadolint's README links to a wiki page. */
const HADOLINT_WIKI = new Set([
  'DL1001', 'DL3000', 'DL3001', 'DL3002', 'DL3003', 'DL3004', 'DL3006', 'DL3007', 'DL3008', 'DL3009', 'DL3010',
  'DL3011', 'DL3012', 'DL3013', 'DL3014', 'DL3015', 'DL3016', 'DL3018', 'DL3019', 'DL3020', 'DL3021', 'DL3022',
  'DL3023', 'DL3024', 'DL3025', 'DL3026', 'DL3027', 'DL3028', 'DL3029', 'DL3030', 'DL3032', 'DL3033', 'DL3034',
  'DL3035', 'DL3036', 'DL3037', 'DL3038', 'DL3040', 'DL3041', 'DL3042', 'DL3043', 'DL3044', 'DL3045', 'DL3046',
  'DL3047', 'DL3048', 'DL3049', 'DL3050', 'DL3051', 'DL3052', 'DL3053', 'DL3054', 'DL3055', 'DL3056', 'DL3057',
  'DL3058', 'DL3059', 'DL3060', 'DL3061', 'DL3062', 'DL3063', 'DL3064', 'DL3065', 'DL3066', 'DL3067', 'DL4000',
  'DL4001', 'DL4003', 'DL4004', 'DL4005', 'DL4006',
]);

/** `StageNameCasing` → `stage-name-casing`. */
const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();

export interface WebPage {
  /** Whose page it is, for a link's label: `BuildKit`, `hadolint`, `ShellCheck`. */
  site: string;
  name: string;
  href: string;
}

/** Every web page that documents a rule known by these names, the most specific first. */
export function webPages(names: readonly string[]): WebPage[] {
  const pages: WebPage[] = [];
  for (const n of names) {
    if (BUILDKIT_CHECKS_WITH_PAGES.has(n)) pages.push({ site: 'BuildKit', name: n, href: `https://docs.docker.com/go/dockerfile/rule/${kebab(n)}/` });
  }
  for (const n of names) {
    if (HADOLINT_WIKI.has(n)) pages.push({ site: 'hadolint', name: n, href: `https://github.com/hadolint/hadolint/wiki/${n}` });
  }
  for (const n of names) {
    if (/^SC\d{4}$/.test(n)) pages.push({ site: 'ShellCheck', name: n, href: `https://www.shellcheck.net/wiki/${n}` });
  }
  return pages;
}

/** The web address of a rule known by these names, or undefined when no page exists on the web. */
export function webDocsHref(names: readonly string[]): string | undefined {
  return webPages(names)[0]?.href;
}

/** The rule's page in the extension, relative to its root. */
export function rulePagePath(kind: 'dockerfile' | 'compose', code: string): string {
  return `docs/rules/${kind === 'compose' ? 'compose/' : ''}${code}.md`;
}

/** The rule page URI's path for a rule (`/dockerfile/no-root-user`), and back. */
export function rulePageUriPath(kind: 'dockerfile' | 'compose', code: string): string {
  return `/${kind}/${code}`;
}

export function parseRulePageUriPath(path: string): { kind: 'dockerfile' | 'compose'; code: string } | undefined {
  const m = /^\/(dockerfile|compose)\/([A-Za-z0-9][\w-]*)$/.exec(path);
  return m ? { kind: m[1] as 'dockerfile' | 'compose', code: m[2] } : undefined;
}
