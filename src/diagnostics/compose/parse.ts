/** Parses a compose file once, keeping positions, and turns the tree into plain data without risking an alias bomb. */
import { Document, isAlias, isMap, isPair, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { Range, range } from '../types';
import { linkAliases } from './yamlNodes';

/**
 * Alias expansions allowed when turning the tree into data. A real compose file with hundreds of `<<: *defaults`
 * stays far below this; a "billion laughs" document passes it within a few levels and stops in milliseconds.
 */
export const MAX_ALIAS_EXPANSIONS = 10_000;

export interface ParsedCompose {
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as data (merge keys applied), or undefined when it could not be built safely. */
  data: unknown;
  /** Keys written twice in one mapping (compose rejects them): where the second one is. */
  duplicateKeys: { key: string; span: [number, number] }[];
  /** Set when the document expands too many aliases: where the first alias is. */
  aliasBomb?: [number, number];
  toRange(span: [number, number] | undefined): Range;
}

export function parseCompose(text: string): ParsedCompose {
  const lineCounter = new LineCounter();
  // Duplicate keys are found below in one pass: yaml's own check compares every key with every other one.
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: false, strict: false, logLevel: 'error' });
  const toRange = (span: [number, number] | undefined): Range => {
    if (!span) return range(0, 0, 0, 0);
    const a = lineCounter.linePos(span[0]);
    const b = lineCounter.linePos(Math.max(span[0], span[1]));
    return range(a.line - 1, a.col - 1, b.line - 1, b.col - 1);
  };
  if (text.includes('*')) linkAliases(doc);
  const parsed: ParsedCompose = { text, doc, lineCounter, data: undefined, duplicateKeys: duplicateKeys(doc), toRange };
  try {
    parsed.data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) parsed.aliasBomb = firstAlias(doc);
    // Otherwise (an alias to an unknown anchor, say) the syntax errors already tell the story.
  }
  return parsed;
}

function duplicateKeys(doc: Document.Parsed): { key: string; span: [number, number] }[] {
  const out: { key: string; span: [number, number] }[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map) || map.items.length < 2) return;
      const seen = new Set<unknown>();
      for (const item of map.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const k = item.key.value;
        if (typeof k === 'symbol') continue; // `<<` may appear more than once
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
