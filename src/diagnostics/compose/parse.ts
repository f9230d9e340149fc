/** Parses a compose file once, keeping positions, and turns the tree into plain data without risking an alias bomb. */
import { Document, isAlias, LineCounter, parseDocument, visit } from 'yaml';
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
  /** Set when the document expands too many aliases: where the first alias is. */
  aliasBomb?: [number, number];
  toRange(span: [number, number] | undefined): Range;
}

export function parseCompose(text: string): ParsedCompose {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true, strict: false, logLevel: 'error' });
  const toRange = (span: [number, number] | undefined): Range => {
    if (!span) return range(0, 0, 0, 0);
    const a = lineCounter.linePos(span[0]);
    const b = lineCounter.linePos(Math.max(span[0], span[1]));
    return range(a.line - 1, a.col - 1, b.line - 1, b.col - 1);
  };
  if (text.includes('*')) linkAliases(doc);
  const parsed: ParsedCompose = { text, doc, lineCounter, data: undefined, toRange };
  try {
    parsed.data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) parsed.aliasBomb = firstAlias(doc);
    // Otherwise (an alias to an unknown anchor, say) the syntax errors already tell the story.
  }
  return parsed;
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
