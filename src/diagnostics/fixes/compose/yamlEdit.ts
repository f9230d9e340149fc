/**
 * Edits of a compose file computed from `yaml`'s document and its source positions, never from the look of a line:
 * a key is added to a block mapping as a line at that mapping's own indentation, and to a flow mapping
 * (`web: {image: nginx}`) inside its braces, so both stay the YAML they were with one more entry.
 */
import { isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, visit, YAMLMap } from 'yaml';
import type { ComposeFixContext } from '../context';
import { pos } from '../text';
import type { TextEdit } from '../types';

/** A value to write: a scalar already written as YAML (`unless-stopped`, `"${X}"`), a mapping, or a flow list. */
export type YamlValue = string | { [key: string]: YamlValue } | { flowList: string[] };

const isList = (v: YamlValue): v is { flowList: string[] } => typeof v === 'object' && 'flowList' in v;

export function flow(v: YamlValue): string {
  if (typeof v === 'string') return v;
  if (isList(v)) return `[${v.flowList.join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')}}`;
}

function block(key: string, v: YamlValue, indent: string, unit: string): string[] {
  if (typeof v === 'string' || isList(v)) return [`${indent}${key}: ${flow(v)}`];
  return [`${indent}${key}:`, ...Object.entries(v).flatMap(([k, x]) => block(k, x, indent + unit, unit))];
}

/** A YAML double-quoted scalar for any string. */
export const quoted = (s: string) => JSON.stringify(s);

/**
 * The nodes that start at `offset`, outermost first (a block mapping starts where its first key does), each with
 * its ancestors.
 */
export function nodesStartingAt(fx: ComposeFixContext, offset: number): { node: Node; path: readonly unknown[] }[] {
  const found: { node: Node; path: readonly unknown[] }[] = [];
  visit(fx.compose.doc, {
    Node(_key, node, path) {
      const r = node.range;
      if (!r || r[1] < offset || r[0] > offset) return visit.SKIP;
      if (r[0] === offset) found.push({ node, path: [...path] });
      return undefined;
    },
  });
  return found;
}

/** The innermost node starting at `offset` that `accept` takes. */
export function nodeStartingAt(fx: ComposeFixContext, offset: number, accept: (n: Node) => boolean = isScalar): { node: Node; path: readonly unknown[] } | undefined {
  return nodesStartingAt(fx, offset).reverse().find((h) => accept(h.node));
}

/** The pair of the services map whose key starts at `offset` (findings about a whole service point at its name). */
export function serviceAt(fx: ComposeFixContext, offset: number): { pair: Pair; map: YAMLMap | undefined } | undefined {
  const root = fx.compose.doc.contents;
  if (!isMap(root)) return undefined;
  const services = root.items.find((p) => isScalar(p.key) && p.key.value === 'services')?.value;
  if (!isMap(services)) return undefined;
  const pair = services.items.find((p) => isPair(p) && (p.key as Node | null)?.range?.[0] === offset);
  return pair ? { pair, map: isMap(pair.value) ? pair.value : undefined } : undefined;
}

/** The column a key starts at, when it is the first thing on its line. */
function keyColumn(fx: ComposeFixContext, node: Node | null | undefined): number | undefined {
  const r = node?.range;
  if (!r) return undefined;
  const p = fx.lines.positionAt(r[0]);
  return fx.lines.line(p.line).slice(0, p.character).trim() === '' ? p.character : undefined;
}

/**
 * Adds `key: value` to `map`, the value of `parent`: as the first line of a block mapping (above the comments that
 * lead its first key), or before the closing brace of a flow mapping. Undefined when the layout is not one of those.
 */
export function insertIntoMap(fx: ComposeFixContext, parent: Pair, map: YAMLMap, key: string, v: YamlValue): TextEdit | undefined {
  const lines = fx.lines;
  const r = map.range;
  if (!r) return undefined;
  if (map.flow) {
    const close = r[1] - 1;
    if (fx.text[close] !== '}') return undefined;
    const last = map.items[map.items.length - 1] as Pair | undefined;
    const lastEnd = (last?.value as Node | null)?.range?.[1] ?? (last?.key as Node | null)?.range?.[1];
    if (last && lastEnd === undefined) return undefined;
    const at = lines.positionAt(last ? lastEnd! : close);
    return { range: { start: at, end: at }, newText: `${last ? ', ' : ''}${key}: ${flow(v)}` };
  }
  const first = map.items[0] as Pair | undefined;
  const col = keyColumn(fx, first?.key as Node | undefined);
  const parentCol = keyColumn(fx, parent.key as Node | undefined);
  if (col === undefined || parentCol === undefined || col <= parentCol) return undefined;
  let line = lines.positionAt((first!.key as Node).range![0]).line;
  while (line > 0 && lines.line(line - 1).trim().startsWith('#') && lines.indentOf(line - 1).length === col) line--;
  const indent = lines.line(line).slice(0, col).replace(/\S/g, ' ');
  const unit = ' '.repeat(col - parentCol);
  const eol = lines.eolAt(line);
  return { range: { start: pos(line, 0), end: pos(line, 0) }, newText: block(key, v, indent.slice(0, col), unit).join(eol) + eol };
}

/** Replaces a scalar (quotes included) with new YAML text. */
export function replaceNode(fx: ComposeFixContext, node: Node, text: string): TextEdit | undefined {
  const r = node.range;
  if (!r) return undefined;
  return { range: { start: fx.lines.positionAt(r[0]), end: fx.lines.positionAt(r[1]) }, newText: text };
}

/** A scalar's string value, or undefined for anything else (a number is written back as the string it reads as). */
export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = (node as Scalar).value;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? (node as Scalar).source ?? String(v) : undefined;
}

export { isMap, isSeq, isScalar, isPair };
