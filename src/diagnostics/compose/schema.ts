/**
 * Validation against the Compose Specification JSON schema (schemas/compose-spec.json), with each error put back on
 * the YAML node it is about and said the way a person would say it.
 */
import Ajv, { ErrorObject, Options, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import type { Node } from 'yaml';
import composeSpec from '../../../schemas/compose-spec.json';
import type { ComposeContext } from './context';
import { COMPOSE_SCHEMA } from './rules/meta';
import { originalPath, removeRepeatedEntries } from './unicity';
import { hasVariable, withDefaults } from './variables';
import { asMap, asSeq, deref, entries, entry, Entry, entryKeySpan, nodeSpan, scalarText, value } from './yamlNodes';

let validator: ValidateFunction | undefined;

/** Must match AJV_OPTIONS in scripts/update-compose-schema.mjs, which precompiles the validator with them. */
export const AJV_OPTIONS: Options = { allErrors: true, strict: false, allowUnionTypes: true, verbose: true, validateFormats: false, logger: false, code: { source: true, optimize: false } };

/** Compiles the schema at run time: a second or so on a slow machine, hence the precompiled validator below. */
export function compileValidator(): ValidateFunction {
  // Ajv knows the drafts without being told; the `$schema` URL would make it look for a meta-schema it was not given.
  const { $schema: metaSchema, ...schema } = composeSpec as Record<string, unknown>;
  const is2020 = typeof metaSchema === 'string' && metaSchema.includes('2020-12');
  return (is2020 ? new Ajv2020(AJV_OPTIONS) : new Ajv(AJV_OPTIONS)).compile(schema);
}

/** The validator precompiled from the same schema by scripts/update-compose-schema.mjs, or undefined if it cannot load. */
export function precompiledValidator(): ValidateFunction | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const v = require('../../../schemas/compose-spec.validate.cjs') as ValidateFunction | { default: ValidateFunction };
    return typeof v === 'function' ? v : v.default;
  } catch {
    return undefined;
  }
}

function compiled(): ValidateFunction {
  validator ??= precompiledValidator() ?? compileValidator();
  return validator;
}

/** Where an instance path leads in the YAML tree: the value node, and the entry that holds it when in a map. */
interface Located {
  node: Node | undefined;
  entry: Entry | undefined;
}

/** In a file of several documents, the last one that has the path: that is the value compose keeps. */
function locateIn(roots: (Node | undefined)[], instancePath: string): Located {
  for (let i = roots.length - 1; i > 0; i--) {
    const found = locate(roots[i], instancePath);
    if (found.node || found.entry) return found;
  }
  return locate(roots[0], instancePath);
}

function locate(root: Node | undefined, instancePath: string): Located {
  let node: Node | undefined = deref(root);
  let at: Entry | undefined;
  if (!instancePath) return { node, entry: undefined };
  for (const raw of instancePath.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const map = asMap(node);
    if (map) {
      at = entry(map, seg);
      node = deref(at?.pair.value);
      if (!at) return { node: undefined, entry: undefined };
      continue;
    }
    const seq = asSeq(node);
    if (seq) {
      node = deref(seq.items[Number(seg)]);
      at = undefined;
      continue;
    }
    return { node: undefined, entry: undefined };
  }
  return { node, entry: at };
}

/** `/services/web/ports/0` → `services.web.ports[0]` */
function describePath(instancePath: string): string {
  if (!instancePath) return 'the file';
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

const TYPE_NOUN: Record<string, string> = { string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping (key: value)', null: 'empty' };

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Edit distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Keeps the errors that explain the problem: the deepest, and not the branches of a oneOf the data did not mean. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const kept = errors.filter((e) => !(typeof e.data === 'string' && hasVariable(e.data)));
  const deeper = (e: ErrorObject) => kept.some((o) => o !== e && o.instancePath.startsWith(e.instancePath + '/'));
  const samePathNonType = (e: ErrorObject) =>
    kept.some((o) => o !== e && o.instancePath === e.instancePath && !['type', 'oneOf', 'anyOf', 'const', 'enum'].includes(o.keyword));
  return kept.filter((e) => {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') {
      return !kept.some((o) => o !== e && (o.instancePath === e.instancePath || o.instancePath.startsWith(e.instancePath + '/')));
    }
    if (e.keyword === 'type' || e.keyword === 'const' || e.keyword === 'enum') return !deeper(e) && !samePathNonType(e);
    // A `required` from a oneOf branch of another shape (an object branch when the value is a string) says nothing.
    return true;
  });
}

export function checkSchema(ctx: ComposeContext): void {
  const data = ctx.parsed.data;
  if (data === undefined || data === null) return;
  checkValuesComposeRejects(ctx);
  const validate = compiled();
  const unique = removeRepeatedEntries(data);
  if (validate(unique.data) || !validate.errors) return;
  const roots = ctx.parsed.docs.map((d) => d.contents as Node | undefined);
  const errors = relevant(validate.errors.map((e) => ({ ...e, instancePath: originalPath(e.instancePath, unique.indexes) })));
  const typeErrors = new Map<string, Set<string>>();
  const seen = new Set<string>();
  const emit = (span: [number, number] | undefined, message: string) => {
    const k = `${span?.[0]}:${message}`;
    if (seen.has(k)) return;
    seen.add(k);
    ctx.report(COMPOSE_SCHEMA, span, message);
  };
  for (const e of errors) {
    const where = describePath(e.instancePath);
    const { node, entry: at } = locateIn(roots, e.instancePath);
    const valueSpan = nodeSpan(node) ?? (at ? entryKeySpan(at) : undefined);
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        const keyEntry = entries(asMap(node)).find((x) => x.key === key);
        // The key itself, even when it came in through a merge key: that is where it is fixed.
        const span = keyEntry ? nodeSpan(keyEntry.pair.key) : valueSpan;
        const schema = e.parentSchema as { properties?: Record<string, unknown>; patternProperties?: Record<string, unknown> } | undefined;
        const props = Object.keys(schema?.properties ?? {});
        if (!props.length && schema?.patternProperties) {
          emit(span, `"${key}" is not a valid name in ${where}: names may use only letters, digits, ".", "_" and "-".`);
          break;
        }
        const guess = closest(key, props);
        const hint = guess ? ` Did you mean "${guess}"?` : key.startsWith('x-') ? '' : ' Extension keys must start with "x-".';
        emit(span, `Unknown key "${key}" in ${where}.${hint}`);
        break;
      }
      case 'enum': {
        const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ');
        emit(valueSpan, `${JSON.stringify(e.data)} is not allowed for ${where}: use one of ${allowed}.`);
        break;
      }
      case 'type': {
        // Branches of a oneOf each report their type: collect them into one message per node.
        const types = typeErrors.get(e.instancePath) ?? new Set<string>();
        const t = (e.params as { type: string | string[] }).type;
        for (const x of Array.isArray(t) ? t : [t]) types.add(x);
        typeErrors.set(e.instancePath, types);
        break;
      }
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        emit(at ? entryKeySpan(at) : valueSpan, `${where} is missing the required key "${missing}".`);
        break;
      }
      case 'pattern':
        emit(valueSpan, `${JSON.stringify(e.data)} is not a valid value for ${where} (it must match ${(e.params as { pattern: string }).pattern}).`);
        break;
      case 'uniqueItems':
        emit(valueSpan, `${where} lists the same item twice (items ${(e.params as { j: number }).j} and ${(e.params as { i: number }).i}).`);
        break;
      default:
        emit(valueSpan, `${where} ${e.message ?? 'is not valid'}.`);
    }
  }
  for (const [instancePath, types] of typeErrors) {
    const { node, entry: at } = locateIn(roots, instancePath);
    const span = nodeSpan(node) ?? (at ? entryKeySpan(at) : undefined);
    const nouns = [...types].map((t) => TYPE_NOUN[t] ?? t);
    const actual = errors.find((e) => e.instancePath === instancePath)?.data;
    const got = TYPE_NOUN[typeOf(actual)] ?? typeOf(actual);
    emit(span, `${describePath(instancePath)} must be ${nouns.length > 1 ? nouns.slice(0, -1).join(', ') + ' or ' + nouns[nouns.length - 1] : nouns[0]}, not ${got}.`);
  }
}

const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;
const RESTART_CONDITION = /^(none|on-failure|any)$/;

/** Values the schema leaves as free strings but compose itself rejects at start-up. */
function checkValuesComposeRejects(ctx: ComposeContext): void {
  for (const svc of ctx.services) {
    const r = entry(svc.map, 'restart');
    const text = r && scalarText(r.pair.value);
    const resolved = text === undefined ? undefined : withDefaults(text);
    if (resolved !== undefined && !RESTART.test(resolved.trim())) {
      ctx.report(COMPOSE_SCHEMA, nodeSpan(r!.pair.value), `"${resolved}" is not a restart policy: use one of "no", "always", "on-failure" (or "on-failure:N"), "unless-stopped".`);
    }
    const policy = value(asMap(value(asMap(value(svc.map, 'deploy')), 'restart_policy')), 'condition');
    const cond = scalarText(policy);
    const c = cond === undefined ? undefined : withDefaults(cond);
    if (c !== undefined && !RESTART_CONDITION.test(c.trim())) {
      ctx.report(COMPOSE_SCHEMA, nodeSpan(policy), `"${c}" is not a restart_policy condition: use one of "none", "on-failure", "any".`);
    }
  }
}
