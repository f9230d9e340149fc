/**
 * Labels: valid keys always (DL3048); the rest only with a `label-schema` in .hadolint.yaml / .dockwise.yaml,
 * as in hadolint: required labels present, not empty, of the declared type, and (with `strict-labels`) no others.
 */
import type { Range } from '../../../types';
import { KeyValue } from '../../model';
import { ShellModel, Stage, stepPairs } from '../../shell/model';
import { defineHadolintRule, modelRule } from './util';

type LabelType = 'text' | 'url' | 'rfc3339' | 'spdx' | 'hash' | 'semver' | 'email';

/** hadolint's schema type names (`url`, `hash`, …) and its internal ones (`Url`, `GitHash`, …). */
function labelType(t: string): LabelType | undefined {
  switch (t.toLowerCase()) {
    case 'text':
    case 'rawtext':
      return 'text';
    case 'url':
      return 'url';
    case 'rfc3339':
      return 'rfc3339';
    case 'spdx':
      return 'spdx';
    case 'hash':
    case 'githash':
      return 'hash';
    case 'semver':
      return 'semver';
    case 'email':
      return 'email';
    default:
      return undefined;
  }
}

interface LabelUse {
  kv: KeyValue;
  range: Range;
  stage: Stage;
}

function labelsOf(model: ShellModel): LabelUse[] {
  const out: LabelUse[] = [];
  for (const step of model.steps) {
    if (step.keyword !== 'LABEL') continue;
    for (const kv of stepPairs(model, step)) out.push({ kv, range: model.wordRange(step.instruction, kv.word), stage: step.stage });
  }
  return out;
}

export const LABEL_KEY = defineHadolintRule({ code: 'label-key-format', alias: 'DL3048', severity: 'hint', title: 'Label keys should be lower-case, reverse-DNS style, outside Docker’s namespaces' });

function badLabelKey(k: string): string | undefined {
  if (!/^[a-z]/.test(k)) return 'must start with a lower-case letter';
  if (!/[a-z0-9]$/.test(k)) return 'must end with a lower-case letter or digit';
  if (/[^0-9a-z._/-]/.test(k)) return 'may only contain lower-case letters, digits, ".", "-", "_" and "/"';
  if (/^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/.test(k)) return 'uses a namespace Docker reserves for itself';
  if (k.includes('..') || k.includes('--')) return 'must not repeat "." or "-"';
  return undefined;
}

export const labelKeyFormat = modelRule(LABEL_KEY, (model, emit) => {
  for (const l of labelsOf(model)) {
    const why = badLabelKey(l.kv.key);
    if (why) emit(l.range, `Label key "${l.kv.key}" ${why}. Docker recommends reverse-DNS keys such as org.opencontainers.image.source.`);
  }
});

export const LABEL_MISSING = defineHadolintRule({ code: 'label-required', alias: 'DL3049', severity: 'info', title: 'A label required by the label schema is missing' });
export const LABEL_SUPERFLUOUS = defineHadolintRule({ code: 'label-not-in-schema', alias: 'DL3050', severity: 'info', title: 'A label is not in the label schema (strict-labels)' });
export const LABEL_EMPTY = defineHadolintRule({ code: 'label-not-empty', alias: 'DL3051', severity: 'warning', title: 'A label of the label schema is empty' });
export const LABEL_URL = defineHadolintRule({ code: 'label-url', alias: 'DL3052', severity: 'warning', title: 'A url label of the label schema is not a valid URL' });
export const LABEL_RFC3339 = defineHadolintRule({ code: 'label-rfc3339', alias: 'DL3053', severity: 'warning', title: 'An rfc3339 label of the label schema is not an RFC 3339 time' });
export const LABEL_SPDX = defineHadolintRule({ code: 'label-spdx', alias: 'DL3054', severity: 'warning', title: 'An spdx label of the label schema is not an SPDX license identifier' });
export const LABEL_HASH = defineHadolintRule({ code: 'label-git-hash', alias: 'DL3055', severity: 'warning', title: 'A hash label of the label schema is not a git commit hash' });
export const LABEL_SEMVER = defineHadolintRule({ code: 'label-semver', alias: 'DL3056', severity: 'warning', title: 'A semver label of the label schema is not a semantic version' });
export const LABEL_EMAIL = defineHadolintRule({ code: 'label-email', alias: 'DL3058', severity: 'warning', title: 'An email label of the label schema is not an e-mail address' });

const schemaOf = (raw: Record<string, string> | undefined) =>
  Object.entries(raw ?? {}).map(([name, t]) => ({ name, type: labelType(t) ?? 'text' }));

/** Each stage that ends up as an image needs the label, set in it or in a stage it is built on. */
export const labelRequired = modelRule(LABEL_MISSING, (model, emit, ctx) => {
  const schema = schemaOf(ctx.config.labelSchema);
  if (!schema.length || !model.stages.length) return;
  const labels = labelsOf(model);
  const copiedFrom = new Set<string>();
  for (const step of model.steps) {
    if (step.keyword !== 'COPY') continue;
    const from = step.flags.find((f) => f.name.toLowerCase() === 'from');
    if (from?.value) copiedFrom.add(from.value.toLowerCase());
  }
  for (const { name } of schema) {
    const has = (s: Stage | undefined): boolean => !!s && (labels.some((l) => l.stage === s && l.kv.key === name) || has(s.parent));
    for (const s of model.stages) {
      if (!s.from || has(s) || (s.name && copiedFrom.has(s.name))) continue;
      // A stage only built on by a later stage that sets the label is fine: that later stage reports if needed.
      if (model.stages.some((c) => c.parent === s && has(c))) continue;
      emit(s.from.keywordRange, `The label schema requires the label "${name}", and this stage does not set it. Add LABEL ${name}=<value>.`);
    }
  }
});

export const labelNotInSchema = modelRule(LABEL_SUPERFLUOUS, (model, emit, ctx) => {
  if (!ctx.config.strictLabels) return;
  const names = new Set(Object.keys(ctx.config.labelSchema ?? {}));
  for (const l of labelsOf(model)) {
    if (!names.has(l.kv.key)) emit(l.range, `"${l.kv.key}" is not in the label schema, and strict-labels allows no other labels. Add it to label-schema or remove it.`);
  }
});

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const URL = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;
const HASH = /^([0-9a-f]{7}|[0-9a-f]{40})$/;

/** The SPDX identifiers people put in image labels; a rarer one can be added to the schema's type as text. */
const SPDX = new Set([
  '0BSD', 'AFL-3.0', 'AGPL-3.0', 'AGPL-3.0-only', 'AGPL-3.0-or-later', 'Apache-1.1', 'Apache-2.0', 'APSL-2.0', 'Artistic-2.0',
  'BSD-1-Clause', 'BSD-2-Clause', 'BSD-2-Clause-Patent', 'BSD-3-Clause', 'BSD-3-Clause-Clear', 'BSD-4-Clause', 'BSL-1.0',
  'CC-BY-3.0', 'CC-BY-4.0', 'CC-BY-SA-3.0', 'CC-BY-SA-4.0', 'CC0-1.0', 'CDDL-1.0', 'CDDL-1.1', 'CECILL-2.1', 'CPL-1.0',
  'ECL-2.0', 'EPL-1.0', 'EPL-2.0', 'EUPL-1.1', 'EUPL-1.2', 'GFDL-1.3', 'GFDL-1.3-only', 'GFDL-1.3-or-later',
  'GPL-1.0', 'GPL-2.0', 'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0', 'GPL-3.0-only', 'GPL-3.0-or-later', 'ISC',
  'LGPL-2.0', 'LGPL-2.0-only', 'LGPL-2.0-or-later', 'LGPL-2.1', 'LGPL-2.1-only', 'LGPL-2.1-or-later', 'LGPL-3.0',
  'LGPL-3.0-only', 'LGPL-3.0-or-later', 'LPPL-1.3c', 'MIT', 'MIT-0', 'MPL-1.1', 'MPL-2.0', 'MPL-2.0-no-copyleft-exception',
  'MS-PL', 'MS-RL', 'MirOS', 'NCSA', 'ODbL-1.0', 'OFL-1.1', 'OSL-3.0', 'PHP-3.01', 'PostgreSQL', 'Python-2.0', 'Ruby',
  'SSPL-1.0', 'Unicode-DFS-2016', 'Unlicense', 'UPL-1.0', 'Vim', 'W3C', 'WTFPL', 'X11', 'Zlib', 'ZPL-2.1', 'BUSL-1.1',
  'Elastic-2.0', 'BlueOak-1.0.0', 'Artistic-1.0', 'CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'CC-BY-ND-4.0', 'curl', 'HPND', 'libpng',
  'OpenSSL', 'Beerware', 'AAL', 'Apache-1.0', 'EFL-2.0', 'Entessa', 'Fair', 'Frameworx-1.0', 'IPA', 'IPL-1.0', 'LiLiQ-P-1.1',
  'MulanPSL-2.0', 'NASA-1.3', 'Naumen', 'NGPL', 'Nokia', 'NPOSL-3.0', 'OCLC-2.0', 'OGTSL', 'OSET-PL-2.1', 'QPL-1.0',
  'RPL-1.5', 'RPSL-1.0', 'RSCPL', 'SimPL-2.0', 'Sleepycat', 'SPL-1.0', 'VSL-1.0', 'Watcom-1.0', 'Xnet', 'ZPL-2.0',
]);

interface TypeCheck {
  type: LabelType;
  ok: (v: string) => boolean;
  what: string;
}

const TYPE_CHECKS: [ReturnType<typeof defineHadolintRule>, TypeCheck][] = [
  [LABEL_URL, { type: 'url', ok: (v) => URL.test(v), what: 'a URL (https://…)' }],
  [LABEL_RFC3339, { type: 'rfc3339', ok: (v) => RFC3339.test(v), what: 'an RFC 3339 time (2024-05-01T12:00:00Z)' }],
  [LABEL_SPDX, { type: 'spdx', ok: (v) => SPDX.has(v), what: 'an SPDX license identifier (MIT, Apache-2.0, …)' }],
  [LABEL_HASH, { type: 'hash', ok: (v) => HASH.test(v), what: 'a git commit hash (7 or 40 lower-case hex digits)' }],
  [LABEL_SEMVER, { type: 'semver', ok: (v) => SEMVER.test(v), what: 'a semantic version (1.2.3)' }],
  [LABEL_EMAIL, { type: 'email', ok: (v) => EMAIL.test(v), what: 'an e-mail address' }],
];

const typeRules = TYPE_CHECKS.map(([meta, check]) =>
  modelRule(meta, (model, emit, ctx) => {
    const names = new Set(schemaOf(ctx.config.labelSchema).filter((s) => s.type === check.type).map((s) => s.name));
    if (!names.size) return;
    for (const l of labelsOf(model)) {
      const v = l.kv.value ?? '';
      if (names.has(l.kv.key) && v && !v.includes('$') && !check.ok(v)) emit(l.range, `The label schema says "${l.kv.key}" is ${check.what}; "${v}" is not.`);
    }
  }),
);

export const labelNotEmpty = modelRule(LABEL_EMPTY, (model, emit, ctx) => {
  const names = new Set(Object.keys(ctx.config.labelSchema ?? {}));
  if (!names.size) return;
  for (const l of labelsOf(model)) {
    if (names.has(l.kv.key) && !l.kv.value) emit(l.range, `"${l.kv.key}" is in the label schema but empty. Give it a value.`);
  }
});

export const LABEL_RULES = [labelKeyFormat, labelRequired, labelNotInSchema, labelNotEmpty, ...typeRules];
