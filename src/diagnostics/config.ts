import { parse as parseYaml } from 'yaml';
import type { FileKind, Severity, SeveritySetting } from './types';

/** Settings the engine obeys; merged from defaults, the editor's settings and project files. */
export interface LintConfig {
  /** Severity or `off`, keyed by code or alias (case-insensitive). */
  rules: Record<string, SeveritySetting>;
  /** hadolint's `trustedRegistries`: when set, images from other registries are reported. */
  trustedRegistries?: string[];
  /** hadolint's `label-schema`: label name → type. */
  labelSchema?: Record<string, string>;
  strictLabels?: boolean;
  /** hadolint's `disable-ignore-pragma`. */
  disableIgnorePragma?: boolean;
  /** Lowest severity that fails the CLI (hadolint's `failure-threshold`). */
  failureThreshold?: Severity;
  /** Run ShellCheck on RUN bodies where the binary is installed. */
  shellcheck?: boolean;
}

export const defaultConfig = (): LintConfig => ({ rules: {} });

export const CONFIG_FILE_NAMES = ['.dockwise.yaml', '.dockwise.yml', '.hadolint.yaml', '.hadolint.yml'] as const;

export interface ConfigProblem {
  file: string;
  message: string;
}

const SEVERITIES: readonly SeveritySetting[] = ['error', 'warning', 'info', 'hint', 'off'];

/** hadolint calls `hint` severity `style` and `off` `ignore`. */
function normaliseSeverity(value: unknown): SeveritySetting | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.toLowerCase();
  if (v === 'style') return 'hint';
  if (v === 'ignore' || v === 'none') return 'off';
  return (SEVERITIES as readonly string[]).includes(v) ? (v as SeveritySetting) : undefined;
}

/**
 * Reads a `.dockwise.yaml` or `.hadolint.yaml` text. Unknown or malformed entries become problems,
 * never exceptions, so a broken config never stops linting.
 */
export function parseConfigText(text: string, file: string): { config: Partial<LintConfig>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config: Partial<LintConfig> = {};
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100, prettyErrors: true });
  } catch (e) {
    problems.push({ file, message: `cannot read ${file}: ${(e as Error).message.split('\n')[0]}` });
    return { config, problems };
  }
  if (doc == null) return { config, problems };
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push({ file, message: `${file} must be a mapping of settings` });
    return { config, problems };
  }
  const o = doc as Record<string, unknown>;
  const rules: Record<string, SeveritySetting> = {};
  const setRule = (name: unknown, sev: SeveritySetting, where: string) => {
    if (typeof name !== 'string' || !name) problems.push({ file, message: `${where}: expected rule codes, got ${JSON.stringify(name)}` });
    else rules[name] = sev;
  };
  const list = (v: unknown, where: string): unknown[] => {
    if (v == null) return [];
    if (Array.isArray(v)) return v;
    problems.push({ file, message: `${where} must be a list` });
    return [];
  };

  for (const [k, v] of Object.entries(o)) {
    switch (k) {
      case 'rules': {
        if (v == null) break;
        if (typeof v !== 'object' || Array.isArray(v)) {
          problems.push({ file, message: `rules must map rule codes to error, warning, info, hint or off` });
          break;
        }
        for (const [code, sev] of Object.entries(v as Record<string, unknown>)) {
          const s = normaliseSeverity(sev);
          if (s) rules[code] = s;
          else problems.push({ file, message: `rules.${code}: "${String(sev)}" is not one of error, warning, info, hint, off` });
        }
        break;
      }
      case 'ignored':
        for (const code of list(v, 'ignored')) setRule(code, 'off', 'ignored');
        break;
      case 'override': {
        if (v == null) break;
        if (typeof v !== 'object' || Array.isArray(v)) {
          problems.push({ file, message: `override must map error, warning, info or style to lists of rule codes` });
          break;
        }
        for (const [sevName, codes] of Object.entries(v as Record<string, unknown>)) {
          const s = normaliseSeverity(sevName);
          if (!s) problems.push({ file, message: `override.${sevName}: unknown severity (error, warning, info, style)` });
          else for (const code of list(codes, `override.${sevName}`)) setRule(code, s, `override.${sevName}`);
        }
        break;
      }
      case 'trustedRegistries':
      case 'trusted-registries':
        config.trustedRegistries = list(v, k).map(String);
        break;
      case 'label-schema':
      case 'labelSchema':
        if (v && typeof v === 'object' && !Array.isArray(v)) config.labelSchema = Object.fromEntries(Object.entries(v).map(([a, b]) => [a, String(b)]));
        else problems.push({ file, message: `${k} must map label names to types` });
        break;
      case 'strict-labels':
      case 'strictLabels':
        config.strictLabels = v === true;
        break;
      case 'disable-ignore-pragma':
      case 'disableIgnorePragma':
        config.disableIgnorePragma = v === true;
        break;
      case 'failure-threshold':
      case 'failureThreshold': {
        const s = normaliseSeverity(v);
        if (s && s !== 'off') config.failureThreshold = s;
        else problems.push({ file, message: `${k}: "${String(v)}" is not one of error, warning, info, style` });
        break;
      }
      case 'shellcheck':
        config.shellcheck = v !== false;
        break;
      // hadolint keys that change nothing here
      case 'no-color':
      case 'no-fail':
      case 'format':
      case 'verbose':
        break;
      default:
        problems.push({ file, message: `${file}: unknown setting "${k}"` });
    }
  }
  if (Object.keys(rules).length) config.rules = rules;
  return { config, problems };
}

/** Later layers win; rule maps are merged key by key. */
export function mergeConfig(...layers: Partial<LintConfig>[]): LintConfig {
  const out = defaultConfig();
  for (const layer of layers) {
    const { rules, ...rest } = layer;
    Object.assign(out, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
    if (rules) Object.assign(out.rules, rules);
  }
  return out;
}

/** The configured severity for a finding named by any of its names, or undefined to keep the default. */
export function configuredSeverity(config: LintConfig, names: readonly string[]): SeveritySetting | undefined {
  return severityLookup(config)(names);
}

/**
 * `configuredSeverity` for many findings: the lower-cased rule table is built once, not once per finding (a config
 * can name tens of thousands of rules).
 */
export function severityLookup(config: LintConfig): (names: readonly string[]) => SeveritySetting | undefined {
  const lower = new Map(Object.entries(config.rules).map(([k, v]) => [k.toLowerCase(), v]));
  return (names) => {
    for (const n of names) {
      const s = lower.get(n.toLowerCase());
      if (s) return s;
    }
    return undefined;
  };
}

export type { FileKind };
