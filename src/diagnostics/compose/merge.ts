/**
 * Merging compose data the way compose-go merges an override onto a base (override.Merge): mappings key by key,
 * lists appended (repeated entries are removed afterwards, see unicity.ts), scalars replaced, and the lists that
 * are one value (a command, an entrypoint, a healthcheck test) replaced whole.
 */
const REPLACED_LISTS = new Set(['command', 'entrypoint', 'test']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergeOverride(base: unknown, override: unknown, key = ''): unknown {
  if (override === undefined) return base;
  if (isObject(base) && isObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in base ? mergeOverride(base[k], v, k) : v;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(override) && !REPLACED_LISTS.has(key)) return [...base, ...override];
  return override;
}
