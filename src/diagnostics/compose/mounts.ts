/** Service volumes in both syntaxes: `./src:/app:ro`, `data:/var/lib/x` and `{type, source, target, read_only}`. */
import type { Node } from 'yaml';
import { asMap, scalarText, seqItems, value } from './yamlNodes';
import { UNKNOWN, withDefaults, withPlaceholders } from './variables';

export interface Mount {
  node: Node;
  /** bind, volume, tmpfs, npipe, image, ... or unknown when a variable hides which. */
  type: string;
  /** Host path for binds (variables resolved to their defaults), volume name for volumes. */
  source: string | undefined;
  target: string | undefined;
  readOnly: boolean;
}

const isHostPath = (s: string) => /^[./~]/.test(s) || /^[A-Za-z]:[\\/]/.test(s) || s.startsWith('\\\\');

export function parseShortVolume(raw: string): Omit<Mount, 'node'> {
  // A variable without a default hides part of the text, not its shape: `${SRC}:/var/run/docker.sock:ro`.
  const text = withPlaceholders(raw);
  if (text === undefined) return { type: 'unknown', source: undefined, target: undefined, readOnly: false };
  if (text.includes(UNKNOWN)) {
    const m = parseKnown(text);
    const known = (v: string | undefined) => (v === undefined || v.includes(UNKNOWN) ? undefined : v);
    // A source that starts like a path is a bind whatever the variable holds; otherwise it may be either.
    const bind = m.source !== undefined && /^[./~]/.test(m.source) && !m.source.startsWith(UNKNOWN);
    return { type: bind ? 'bind' : 'unknown', source: bind ? m.source : known(m.source), target: known(m.target), readOnly: m.readOnly };
  }
  return parseKnown(text);
}

function parseKnown(text: string): Omit<Mount, 'node'> {
  let rest = text;
  let drive = '';
  if (/^[A-Za-z]:[\\/]/.test(rest)) {
    drive = rest.slice(0, 2);
    rest = rest.slice(2);
  }
  const parts = rest.split(':');
  if (parts.length === 1) return { type: 'volume', source: undefined, target: drive + parts[0], readOnly: false };
  const source = drive + parts[0];
  const mode = parts[2] ?? '';
  const readOnly = mode.split(',').includes('ro');
  return { type: isHostPath(source) ? 'bind' : 'volume', source, target: parts[1], readOnly };
}

export function serviceMounts(volumes: Node | undefined): Mount[] {
  const out: Mount[] = [];
  for (const item of seqItems(volumes)) {
    const long = asMap(item);
    if (long) {
      const src = scalarText(value(long, 'source'));
      const source = src === undefined ? undefined : withDefaults(src);
      const type = scalarText(value(long, 'type')) ?? (source && isHostPath(source) ? 'bind' : 'volume');
      out.push({
        node: item,
        type: src !== undefined && source === undefined ? 'unknown' : type,
        source,
        target: scalarText(value(long, 'target')),
        readOnly: /^(true|yes)$/i.test(scalarText(value(long, 'read_only')) ?? ''),
      });
      continue;
    }
    const raw = scalarText(item);
    if (raw !== undefined) out.push({ node: item, ...parseShortVolume(raw) });
  }
  return out;
}

/** `~/x`, `./x`, `/x/../y` → a comparable absolute-looking path (`~` and relative paths stay as they are). */
export function normaliseHostPath(p: string): string {
  if (!p.startsWith('/')) return p;
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}
