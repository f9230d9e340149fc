import type { Position, Range } from '../types';

/** Line-oriented view of a document for building edits. */
export class Lines {
  readonly lines: string[];
  readonly eol: string;

  constructor(readonly text: string) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    this.lines = text.split(/\r?\n/);
  }

  line(n: number): string {
    return this.lines[n] ?? '';
  }

  indentOf(n: number): string {
    return /^[ \t]*/.exec(this.line(n))![0];
  }

  /** The whole of lines `from`..`to` inclusive, with the line break after them. */
  wholeLines(from: number, to: number): Range {
    return to + 1 < this.lines.length
      ? { start: pos(from, 0), end: pos(to + 1, 0) }
      : { start: pos(from, 0), end: pos(to, this.line(to).length) };
  }

  /** Converts an offset into the text to a position. */
  positionAt(offset: number): Position {
    let line = 0;
    let start = 0;
    for (;;) {
      const nl = this.text.indexOf('\n', start);
      if (nl < 0 || nl >= offset) return pos(line, offset - start);
      line++;
      start = nl + 1;
    }
  }

  offsetAt(p: Position): number {
    let offset = 0;
    for (let i = 0; i < p.line && i < this.lines.length; i++) offset += this.lines[i].length + (this.text[offset + this.lines[i].length] === '\r' ? 2 : 1);
    return offset + p.character;
  }
}

export const pos = (line: number, character: number): Position => ({ line, character });
export const at = (line: number, character: number): Range => ({ start: pos(line, character), end: pos(line, character) });

/** Applies non-overlapping edits to a text (later edits first so offsets stay valid). */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  return applyEditsCounting(text, edits).text;
}

/**
 * Like applyEdits, and says how many edits went in: duplicates (two findings offering the same merge) count once,
 * and an edit overlapping one already applied waits for the next pass.
 */
export function applyEditsCounting(text: string, edits: { range: Range; newText: string }[]): { text: string; applied: number } {
  const lines = new Lines(text);
  const unique = [...new Map(edits.map((e) => [JSON.stringify(e), e])).values()];
  const withOffsets = unique
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  let applied = 0;
  for (const e of withOffsets) {
    if (e.end > limit) continue; // overlaps an edit already applied: leave it for the next pass
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
    applied++;
  }
  return { text: out, applied };
}
