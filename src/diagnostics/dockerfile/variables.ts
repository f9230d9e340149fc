/**
 * Variable substitution as Docker does it in instruction words: `$NAME`, `${NAME}`, `${NAME:-default}`,
 * `${NAME:+alt}`, `${NAME-default}`, `${NAME?msg}` …, `\$` to escape, nothing inside single quotes, and the quotes
 * themselves removed.
 */

/** A known value, `null` for a variable declared without a value we can know (an ARG with no default). */
export type VarValue = string | null;

/** A scope is a chain of declarations, newest first; looking a name up walks it. Building one costs O(1). */
export interface Scope {
  readonly name: string;
  readonly value: VarValue;
  readonly kind: 'arg' | 'env' | 'builtin';
  readonly next: Scope | undefined;
}

export function declare(scope: Scope | undefined, name: string, value: VarValue, kind: Scope['kind']): Scope {
  return { name, value, kind, next: scope };
}

/** The declaration of `name` nearest in scope, or undefined when it was never declared. */
export function lookup(scope: Scope | undefined, name: string): Scope | undefined {
  for (let s = scope; s; s = s.next) if (s.name === name) return s;
  return undefined;
}

/** Every declared name in scope (for "did you mean"). */
export function namesIn(scope: Scope | undefined): string[] {
  const out = new Set<string>();
  for (let s = scope; s; s = s.next) out.add(s.name);
  return [...out];
}

export interface VariableUse {
  name: string;
  /** Offsets in the word. */
  start: number;
  end: number;
  /** `${X:-d}`, `${X-d}`: a default makes an unset variable fine. */
  hasDefault: boolean;
  /** False for a modifier BuildKit rejects (`${templateOption:name}`): a syntax error, not a variable. */
  valid: boolean;
}

/** Marks a part of an expanded word whose value cannot be known without build arguments. */
export const UNKNOWN = '\u0000';

export interface Expansion {
  value: string;
  uses: VariableUse[];
  /** Names used that are not declared at all. */
  undeclared: string[];
  /** True when some part is unknown (UNKNOWN marks it in `value`). */
  unknown: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Expands a word as BuildKit's shell lexer does (frontend/dockerfile/shell/lex.go): quotes are removed (nothing
 * inside single quotes is expanded; inside double quotes the escape character escapes only `"`, `$` and itself),
 * the escape character outside quotes keeps the next character literally, and `$NAME`, `${NAME}` and the
 * `${NAME:-x}` family are substituted. Unset or unknown variables become UNKNOWN (with `unknown` set) unless a
 * default applies, so callers can tell "no tag" from "a tag we cannot see".
 */
export function expand(word: string, scope: Scope | undefined, escape = '\\'): Expansion {
  const uses: VariableUse[] = [];
  const undeclared: string[] = [];
  let unknown = false;
  if (!word.includes('$') && !word.includes("'") && !word.includes('"') && !word.includes(escape)) return { value: word, uses, undeclared, unknown };
  let out = '';
  let quote: '' | "'" | '"' = '';
  let k = 0;
  const n = word.length;
  const resolve = (name: string): VarValue | undefined => {
    const d = lookup(scope, name);
    if (!d) undeclared.push(name);
    return d ? d.value : undefined;
  };
  while (k < n) {
    const c = word[k];
    if (quote === "'") {
      if (c === "'") quote = '';
      else out += c;
      k++;
      continue;
    }
    if (c === "'" && !quote) {
      quote = "'";
      k++;
      continue;
    }
    if (c === '"') {
      quote = quote === '"' ? '' : '"';
      k++;
      continue;
    }
    if (c === escape) {
      const next = word[k + 1];
      if (next === undefined) {
        k++;
        continue;
      }
      if (quote === '"' && next !== '"' && next !== '$' && next !== escape) out += c;
      else {
        out += next;
        k += 2;
        continue;
      }
      k++;
      continue;
    }
    if (c !== '$') {
      out += c;
      k++;
      continue;
    }
    const start = k;
    if (word[k + 1] === '{') {
      let j = k + 2;
      while (j < n && NAME_CHAR.test(word[j])) j++;
      const name = word.slice(k + 2, j);
      let depth = 1;
      let e = j;
      while (e < n && depth) {
        if (word[e] === '{') depth++;
        else if (word[e] === '}') depth--;
        if (depth) e++;
      }
      if (!name || e >= n) {
        out += word.slice(k, Math.min(n, e + 1));
        k = e + 1;
        continue;
      }
      const op = word.slice(j, e);
      const hasDefault = /^:?[-=]/.test(op);
      uses.push({ name, start, end: e + 1, hasDefault, valid: op === '' || /^(:?[-+?]|##?|%%?|\/)/.test(op) });
      const v = resolve(name);
      const m = /^(:?)([-+?=])([\s\S]*)$/.exec(op);
      if (m) {
        const colon = m[1] === ':';
        const set = v !== undefined && (v === null || !colon || v !== '');
        if (m[2] === '-' || m[2] === '=') {
          if (v === null) unknown = true, (out += UNKNOWN);
          else if (set) out += v;
          else {
            const inner = expand(m[3], scope, escape);
            out += inner.value;
            unknown ||= inner.unknown;
          }
        } else if (m[2] === '+') {
          if (v === null) unknown = true, (out += UNKNOWN);
          else if (set) {
            const inner = expand(m[3], scope, escape);
            out += inner.value;
            unknown ||= inner.unknown;
          }
        } else if (v === null || v === undefined) {
          unknown = true;
          out += UNKNOWN;
        } else out += v;
      } else if (v === null || v === undefined || op) {
        // `${X#pattern}` and friends: the result depends on the value; treat unknown values as unknown.
        unknown ||= v === null || v === undefined || op !== '';
        out += v == null || op ? UNKNOWN : v;
      } else out += v;
      k = e + 1;
      continue;
    }
    if (k + 1 < n && NAME_START.test(word[k + 1])) {
      let j = k + 2;
      while (j < n && NAME_CHAR.test(word[j])) j++;
      const name = word.slice(k + 1, j);
      uses.push({ name, start, end: j, hasDefault: false, valid: true });
      const v = resolve(name);
      if (v === null || v === undefined) {
        unknown = true;
        out += UNKNOWN;
      } else out += v;
      k = j;
      continue;
    }
    out += c;
    k++;
  }
  return { value: out, uses, undeclared, unknown };
}
