/**
 * Parses a compose file once, keeping positions, and turns the tree into plain data the way compose-go loads it:
 * every YAML document of the file merged in order, aliases resolved without risking an alias bomb.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, Pair, parseAllDocuments, Scalar, visit } from 'yaml';
import { Range, range } from '../types';
import { mergeOverride } from './merge';
import { deref, linkAliases, unresolvedAliases } from './yamlNodes';

/**
 * Alias expansions allowed when turning the tree into data. A real compose file with hundreds of `<<: *defaults`
 * stays far below this; a "billion laughs" document passes it within a few levels and stops in milliseconds.
 */
export const MAX_ALIAS_EXPANSIONS = 10_000;

/** A problem with the file's YAML that compose-go refuses, found while building the data. */
export interface LoadProblem {
  span: [number, number];
  message: string;
}

export interface ParsedCompose {
  text: string;
  /** The first document: what most of the file is. */
  doc: Document.Parsed;
  /** Every document of the file, in order; compose merges them as if each were an override of the ones before. */
  docs: Document.Parsed[];
  lineCounter: LineCounter;
  /** The documents as data (merge keys applied, documents merged), or undefined when it could not be built safely. */
  data: unknown;
  /** Keys written twice in one mapping (compose rejects them): where the second one is. */
  duplicateKeys: { key: string; span: [number, number] }[];
  /** Set when the document expands too many aliases: where the first alias is. */
  aliasBomb?: [number, number];
  /** Aliases to anchors that do not exist, merge keys of something other than a mapping. */
  problems: LoadProblem[];
  toRange(span: [number, number] | undefined): Range;
}

export function parseCompose(text: string): ParsedCompose {
  const lineCounter = new LineCounter();
  // Duplicate keys are found below in one pass: yaml's own check compares every key with every other one.
  const all = parseAllDocuments(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: false, strict: false, logLevel: 'error' });
  const docs = (Array.isArray(all) ? all : [all]) as Document.Parsed[];
  // A file with only comments still has one (empty) document to report on.
  const real = docs.filter((d, i) => i === 0 || d.contents !== null || d.errors.length);
  const toRange = (span: [number, number] | undefined): Range => {
    if (!span) return range(0, 0, 0, 0);
    const a = lineCounter.linePos(span[0]);
    const b = lineCounter.linePos(Math.max(span[0], span[1]));
    return range(a.line - 1, a.col - 1, b.line - 1, b.col - 1);
  };
  const first = real[0] ?? new Document();
  const parsed: ParsedCompose = {
    text,
    doc: first as Document.Parsed,
    docs: real.length ? real : [first as Document.Parsed],
    lineCounter,
    data: undefined,
    duplicateKeys: [],
    problems: [],
    toRange,
  };
  const datas: unknown[] = [];
  for (const doc of parsed.docs) {
    if (text.includes('*')) linkAliases(doc);
    parsed.duplicateKeys.push(...duplicateKeys(doc, parsed.problems));
    for (const alias of unresolvedAliases(doc)) {
      parsed.problems.push({ span: [alias.range![0], alias.range![1]], message: `Unknown alias *${alias.source}: no anchor &${alias.source} is defined before it, so compose cannot load the file.` });
      // Read as empty, so the rest of the file is still checked.
      replaceNode(doc, alias, new Scalar(null));
    }
    for (const merge of badMergeKeys(doc)) {
      parsed.problems.push({ span: merge.span, message: `A merge key (<<) must bring in a mapping or a list of mappings, not ${merge.what}; compose refuses the file.` });
      removeMergeSource(doc, merge.pair, merge.value);
    }
    try {
      datas.push(doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }));
    } catch (e) {
      if (e instanceof ReferenceError && /alias count/i.test(e.message)) parsed.aliasBomb = firstAlias(doc);
      else parsed.problems.push({ span: firstAlias(doc), message: `compose cannot load this file: ${(e as Error).message}.` });
      return parsed;
    }
  }
  parsed.data = datas.length <= 1 ? datas[0] : datas.reduce((acc, d) => mergeOverride(acc, d));
  return parsed;
}

/** Puts `replacement` where `node` is in the tree (as a pair's value or a sequence item). */
function replaceNode(doc: Document, node: Node, replacement: Scalar): void {
  replacement.range = node.range;
  visit(doc, {
    Pair(_key, pair) {
      if (pair.value === node) {
        pair.value = replacement;
        return visit.BREAK;
      }
      return undefined;
    },
    Seq(_key, seq) {
      const i = seq.items.indexOf(node);
      if (i >= 0) {
        seq.items[i] = replacement;
        return visit.BREAK;
      }
      return undefined;
    },
  });
}

/** `<<: *scalar`, `<<: 1` or `<<: [*scalar]`: compose-go stops with "map merge requires map or sequence of maps". */
function badMergeKeys(doc: Document): { span: [number, number]; pair: Pair; value: Node; what: string }[] {
  const out: { span: [number, number]; pair: Pair; value: Node; what: string }[] = [];
  const resolve = (n: unknown): unknown => (isAlias(n) ? deref(n) : n);
  visit(doc, {
    Pair(_key, pair) {
      const k = pair.key;
      const isMerge = isScalar(k) && ((k.value === '<<' && (!k.type || k.type === 'PLAIN')) || (typeof k.value === 'symbol' && (k.value as symbol).description === '<<'));
      if (!isMerge || !pair.value) return;
      const v = pair.value as Node;
      const target = resolve(v);
      const items = isSeq(target) ? target.items : [v];
      for (const item of items) {
        const t = resolve(item);
        if (isMap(t) || t === undefined) continue;
        const what = isSeq(t) ? 'a list' : isScalar(t) ? (t.value === null ? 'an empty value' : `the value ${JSON.stringify(t.value)}`) : 'that';
        const r = (item as Node).range ?? v.range;
        if (r) out.push({ span: [r[0], r[1]], pair, value: isSeq(target) ? (item as Node) : v, what });
      }
    },
  });
  return out;
}

/** Drops a merge source that is not a mapping (or the whole `<<` entry), so the rest of the file still loads. */
function removeMergeSource(doc: Document, pair: Pair, source: Node): void {
  const seq = isAlias(pair.value) ? undefined : pair.value;
  if (isSeq(seq) && seq.items.includes(source)) {
    seq.items.splice(seq.items.indexOf(source), 1);
    return;
  }
  visit(doc, {
    Map(_key, map) {
      const i = map.items.indexOf(pair as never);
      if (i >= 0) {
        map.items.splice(i, 1);
        return visit.BREAK;
      }
      return undefined;
    },
  });
}

function duplicateKeys(doc: Document.Parsed, nonString: LoadProblem[]): { key: string; span: [number, number] }[] {
  const out: { key: string; span: [number, number] }[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const item of map.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const k = item.key.value;
        if (typeof k === 'symbol' || k === '<<') continue; // `<<` may appear more than once
        if (k !== null && typeof k !== 'string' && item.key.range) {
          nonString.push({ span: [item.key.range[0], item.key.range[1]], message: `The key ${String(k)} is read as a ${typeof k}, and compose accepts only text keys. Quote it ("${String(k)}").` });
        }
        if (seen.has(k) && item.key.range) out.push({ key: String(k), span: [item.key.range[0], item.key.range[1]] });
        seen.add(k);
      }
    },
  });
  return out;
}

function firstAlias(doc: Document.Parsed): [number, number] {
  let found: [number, number] = [0, 0];
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) {
        found = [node.range[0], node.range[1]];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
