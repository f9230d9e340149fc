/**
 * Compose interpolation (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR:+alt}`, `$$`).
 * The linter never knows the real environment, so it reads a value as its default where there is one and otherwise
 * as "unknown": checks that need the value stay silent on unknowns instead of guessing.
 */

/** True when the string holds a variable reference (`$$` is a literal dollar, not a variable). */
export function hasVariable(s: string): boolean {
  if (!s.includes('$')) return false;
  return /\$(?:\{|[A-Za-z_])/.test(s.replace(/\$\$/g, ''));
}

/**
 * Replaces each variable by its default (`${VAR:-x}` / `${VAR-x}` → x, nested defaults too). Returns undefined when
 * some variable has no default, since then the value is unknown.
 */
export function withDefaults(s: string, depth = 0): string | undefined {
  return expand(s, undefined, depth);
}

/** Stands for the value of a variable without a default in what withPlaceholders returns. */
export const UNKNOWN = '\u0001';

/**
 * Like withDefaults, but a variable without a default becomes UNKNOWN instead of making the whole value unknown,
 * so the structure around it (`${SRC}:/var/run/docker.sock`, `${PORT}:5432`) can still be read.
 */
export function withPlaceholders(s: string): string | undefined {
  return expand(s, UNKNOWN, 0);
}

function expand(s: string, unknown: string | undefined, depth: number): string | undefined {
  if (!s.includes('$')) return s;
  if (depth > 8) return undefined;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = matchingBrace(s, i + 1);
      if (close < 0) return undefined;
      const body = s.slice(i + 2, close);
      const m = /^[A-Za-z_][A-Za-z0-9_]*(:?-)([\s\S]*)$/.exec(body);
      if (!m) {
        if (unknown === undefined) return undefined;
        out += unknown;
        i = close + 1;
        continue;
      }
      const def = expand(m[2], unknown, depth + 1);
      if (def === undefined) return undefined;
      out += def;
      i = close + 1;
      continue;
    }
    if (next && /[A-Za-z_]/.test(next)) {
      if (unknown === undefined) return undefined;
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1))![0];
      out += unknown;
      i += 1 + name.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
