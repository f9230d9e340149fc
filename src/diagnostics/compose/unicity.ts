/**
 * compose-go removes repeated entries from some lists before it validates a file (override.EnforceUnicity): the
 * same environment variable, port, volume target or label written twice is one entry, the last one written. Only
 * lists not named here keep the schema's "no repeated items" rule. This does the same to a copy of the data and
 * remembers where each kept entry was written, so a schema error still points at the right line.
 */
type Indexer = (item: unknown) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const keyValue: Indexer = (v) => (typeof v === 'string' ? v.split('=')[0] : undefined);

/** The container path of a volume or device: `src:/target:ro` → `/target`, `{target}` → target. */
const byTarget: Indexer = (v) => {
  if (isObject(v)) return typeof v.target === 'string' ? v.target : undefined;
  if (typeof v !== 'string') return undefined;
  const parts = v.replace(/^[A-Za-z]:[\\/]/, '/').split(':');
  return parts.length === 1 ? parts[0] : parts[1];
};

const mount =
  (defaultDir: string): Indexer =>
  (v) => {
    if (typeof v === 'string') return `${defaultDir}/${v}`;
    if (isObject(v)) return typeof v.target === 'string' ? v.target : `${defaultDir}/${String(v.source)}`;
    return undefined;
  };

const port: Indexer = (v) => {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  if (isObject(v)) return `${v.host_ip ?? '0.0.0.0'}:${String(v.published)}:${String(v.target)}/${v.protocol ?? 'tcp'}`;
  return undefined;
};

const envFile: Indexer = (v) => (typeof v === 'string' ? v : isObject(v) && typeof v.path === 'string' ? v.path : undefined);

/** Paths as compose-go writes them (`*` is any one key). */
const UNIQUE: [string, Indexer][] = [
  ['networks.*.labels', keyValue],
  ['networks.*.ipam.options', keyValue],
  ['services.*.annotations', keyValue],
  ['services.*.build.args', keyValue],
  ['services.*.build.additional_contexts', keyValue],
  ['services.*.build.platform', keyValue],
  ['services.*.build.tags', keyValue],
  ['services.*.build.labels', keyValue],
  ['services.*.cap_add', keyValue],
  ['services.*.cap_drop', keyValue],
  ['services.*.configs', mount('')],
  ['services.*.deploy.labels', keyValue],
  ['services.*.dns', keyValue],
  ['services.*.dns_opt', keyValue],
  ['services.*.dns_search', keyValue],
  ['services.*.environment', keyValue],
  ['services.*.env_file', envFile],
  ['services.*.expose', (v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined)],
  ['services.*.labels', keyValue],
  ['services.*.links', keyValue],
  ['services.*.networks.*.aliases', keyValue],
  ['services.*.networks.*.link_local_ips', keyValue],
  ['services.*.ports', port],
  ['services.*.profiles', keyValue],
  ['services.*.secrets', mount('/run/secrets')],
  ['services.*.sysctls', keyValue],
  ['services.*.tmpfs', keyValue],
  ['services.*.volumes', byTarget],
  ['services.*.devices', byTarget],
];

const PATTERNS = UNIQUE.map(([p, f]) => [p.split('.'), f] as const);

function indexerFor(path: string[]): Indexer | undefined {
  for (const [pattern, f] of PATTERNS) {
    if (pattern.length === path.length && pattern.every((seg, i) => seg === '*' || seg === path[i])) return f;
  }
  return undefined;
}

export interface Deduplicated {
  data: unknown;
  /** JSON pointer of a list that lost entries → for each kept entry, its index in the file. */
  indexes: Map<string, number[]>;
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function removeRepeatedEntries(data: unknown): Deduplicated {
  const indexes = new Map<string, number[]>();
  const walk = (v: unknown, path: string[], pointer: string): unknown => {
    if (Array.isArray(v)) {
      const index = indexerFor(path);
      if (index) {
        const kept: unknown[] = [];
        const from: number[] = [];
        const at = new Map<string, number>();
        v.forEach((item, i) => {
          const key = index(item);
          const j = key === undefined ? undefined : at.get(key);
          if (j !== undefined) {
            kept[j] = item;
            from[j] = i;
          } else {
            if (key !== undefined) at.set(key, kept.length);
            kept.push(item);
            from.push(i);
          }
        });
        if (kept.length !== v.length) {
          indexes.set(pointer, from);
          return kept;
        }
      }
      return v;
    }
    if (isObject(v) && path.length < 4) {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] = walk(x, [...path, k], `${pointer}/${escape(k)}`);
        changed ||= out[k] !== x;
      }
      return changed ? out : v;
    }
    return v;
  };
  return { data: walk(data, [], ''), indexes };
}

/** The instance path of an error in the deduplicated data, as it is written in the file. */
export function originalPath(instancePath: string, indexes: Map<string, number[]>): string {
  if (!indexes.size || !instancePath) return instancePath;
  const segs = instancePath.split('/');
  for (let i = 1; i < segs.length; i++) {
    const list = indexes.get(segs.slice(0, i).join('/'));
    if (list && /^\d+$/.test(segs[i])) segs[i] = String(list[Number(segs[i])] ?? segs[i]);
  }
  return segs.join('/');
}
