/**
 * Reading the YAML node tree the way compose reads the data: aliases resolve to their anchors and `<<` merge keys
 * bring in the merged maps' entries (own keys win). Nothing here copies or expands a node, so an alias bomb costs
 * no more than the text it is written in.
 */
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';

/** Each alias's anchored node, found in one pass (yaml itself would search the whole document per alias). */
const aliasTargets = new WeakMap<Alias, Node>();

/** Links every alias of the document to the node its anchor names at that point (anchors may be redefined). */
export function linkAliases(doc: Document): void {
  const anchors = new Map<string, Node>();
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) aliasTargets.set(node, target);
      return;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor && !isPair(node)) anchors.set(anchor, node as Node);
  });
}

/** Follows aliases (at most a few hops) to the node they name. */
export function deref(node: unknown): Node | undefined {
  let n = node;
  for (let hops = 0; hops < 16 && isAlias(n); hops++) n = aliasTargets.get(n);
  return isAlias(n) || n == null || isPair(n) ? undefined : (n as Node);
}

export function asMap(node: unknown): YAMLMap | undefined {
  const n = deref(node);
  return isMap(n) ? n : undefined;
}

export function asSeq(node: unknown): YAMLSeq | undefined {
  const n = deref(node);
  return isSeq(n) ? n : undefined;
}

export function asScalar(node: unknown): Scalar | undefined {
  const n = deref(node);
  return isScalar(n) ? n : undefined;
}

/** The value of a scalar as text (numbers and booleans converted), or undefined. */
export function scalarText(node: unknown): string | undefined {
  const s = asScalar(node);
  if (!s || s.value == null) return undefined;
  return typeof s.value === 'string' ? s.value : String(s.value);
}

export function keyText(pair: Pair): string | undefined {
  return scalarText(pair.key);
}

const isMergeKey = (pair: Pair) => {
  const k = pair.key;
  if (!isScalar(k)) return false;
  const v = k.value;
  return (v === '<<' && (!k.type || k.type === 'PLAIN')) || (typeof v === 'symbol' && v.description === '<<');
};

/** One entry of a map as compose sees it: `via` is the `<<` pair it came through, when merged. */
export interface Entry {
  key: string;
  pair: Pair;
  via?: Pair;
}

/** Entries per map, computed once: the tree never changes after parsing and rules ask the same maps many times. */
const entryCache = new WeakMap<YAMLMap, { list: Entry[]; byKey: Map<string, Entry> }>();

function mergedEntries(map: YAMLMap, depth: number): { list: Entry[]; byKey: Map<string, Entry> } {
  const cached = entryCache.get(map);
  if (cached) return cached;
  const list: Entry[] = [];
  const byKey = new Map<string, Entry>();
  const merged: Entry[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item)) {
      if (depth > 8) continue;
      const sources = asSeq(item.value)?.items ?? [item.value];
      for (const src of sources) {
        const m = asMap(src);
        if (m && m !== map) for (const e of mergedEntries(m, depth + 1).list) merged.push({ key: e.key, pair: e.pair, via: e.via ?? item });
      }
      continue;
    }
    const k = keyText(item);
    if (k === undefined || byKey.has(k)) continue;
    const e = { key: k, pair: item };
    list.push(e);
    byKey.set(k, e);
  }
  for (const e of merged) {
    if (byKey.has(e.key)) continue;
    list.push(e);
    byKey.set(e.key, e);
  }
  const result = { list, byKey };
  if (depth === 0) entryCache.set(map, result);
  return result;
}

/** The map's entries with merge keys applied (own keys first, then merged ones not already present). */
export function entries(map: YAMLMap | undefined): Entry[] {
  return map ? mergedEntries(map, 0).list : [];
}

export function entry(map: YAMLMap | undefined, key: string): Entry | undefined {
  return map ? mergedEntries(map, 0).byKey.get(key) : undefined;
}

export function value(map: YAMLMap | undefined, key: string): Node | undefined {
  return deref(entry(map, key)?.pair.value);
}

/** Items of a sequence, aliases resolved. */
export function seqItems(node: unknown): Node[] {
  const s = asSeq(node);
  if (!s) return [];
  const out: Node[] = [];
  for (const i of s.items) {
    const d = deref(i);
    if (d) out.push(d);
  }
  return out;
}

/** Byte offsets [start, end] of a node for reporting; merged entries report at the merge key in this map. */
export function nodeSpan(node: unknown): [number, number] | undefined {
  if (isPair(node)) {
    const k = nodeSpan(node.key);
    const v = nodeSpan(node.value);
    if (k && v) return [k[0], v[1]];
    return k ?? v;
  }
  const r = (node as Node | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** Where to point for an entry: its key in this map, or the `<<` it was merged through. */
export function entryKeySpan(e: Entry): [number, number] | undefined {
  return e.via ? nodeSpan(e.via.value) ?? nodeSpan(e.via.key) : nodeSpan(e.pair.key);
}

/** Where to point for an entry's value (or the `<<` it came through). */
export function entryValueSpan(e: Entry): [number, number] | undefined {
  if (e.via) return nodeSpan(e.via.value) ?? nodeSpan(e.via.key);
  return nodeSpan(e.pair.value) ?? nodeSpan(e.pair.key);
}

/** Aliases whose anchor is not defined before them (call after linkAliases). */
export function unresolvedAliases(doc: Document): Alias[] {
  const out: Alias[] = [];
  visit(doc, {
    Alias(_key, node) {
      if (!aliasTargets.has(node)) out.push(node);
    },
  });
  return out;
}
