import { lastAtOrBefore } from '../sortedSearch';
import type { Position, Range } from '../types';
import type { TextEdit } from './types';

/**
 * A document as lines, with the offset of every line start computed once, so converting positions to offsets is
 * constant time however many edits a 4,000-line file gets. Lines exclude their `\r\n`/`\n`, as LSP positions do.
 */
export class Lines {
  readonly lines: string[];
  /** Offset in `text` where each line starts. */
  private readonly starts: number[];

  constructor(readonly text: string) {
    this.lines = [];
    this.starts = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      this.starts.push(start);
      if (nl < 0) {
        this.lines.push(text.slice(start));
        break;
      }
      this.lines.push(text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      start = nl + 1;
    }
  }

  get count(): number {
    return this.lines.length;
  }

  line(n: number): string {
    return this.lines[n] ?? '';
  }

  indentOf(n: number): string {
    return /^[ \t]*/.exec(this.line(n))![0];
  }

  /** The line break that ends line `n` (or, for the last line, the one before it), so inserted lines match their neighbours. */
  eolAt(n: number): string {
    const probe = n + 1 < this.starts.length ? n : n - 1;
    if (probe < 0) return '\n';
    const end = this.starts[probe + 1] - 1;
    return this.text.charCodeAt(end - 1) === 13 ? '\r\n' : '\n';
  }

  /** Whether line `n` ends with a line break (the last line of most files does not). */
  hasEol(n: number): boolean {
    return n + 1 < this.starts.length;
  }

  offsetAt(p: Position): number {
    if (p.line >= this.starts.length) return this.text.length;
    return this.starts[p.line] + Math.min(p.character, this.lines[p.line].length);
  }

  positionAt(offset: number): Position {
    const line = lastAtOrBefore(this.starts, offset);
    return pos(line, Math.min(offset - this.starts[line], this.lines[line].length));
  }

  /** The text between two positions, line breaks as written. */
  slice(from: Position, to: Position): string {
    return this.text.slice(this.offsetAt(from), this.offsetAt(to));
  }

  endOf(line: number): Position {
    return pos(line, this.line(line).length);
  }

  /** Lines `from`..`to` inclusive with the line break after them, for deleting whole lines. */
  wholeLines(from: number, to: number): Range {
    return to + 1 < this.lines.length ? { start: pos(from, 0), end: pos(to + 1, 0) } : { start: pos(from, 0), end: this.endOf(to) };
  }
}

export const pos = (line: number, character: number): Position => ({ line, character });
export const at = (line: number, character: number): Range => ({ start: pos(line, character), end: pos(line, character) });

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  return applyEditGroups(text, [edits]).text;
}

/**
 * Applies groups of edits (one group per fix) all or nothing: a group that overlaps or touches one already taken
 * waits for the next pass, so a fix is never half applied. Identical groups (two findings offering the same merge)
 * count once. Returns the new text and how many groups went in.
 */
export function applyEditGroups(text: string, groups: TextEdit[][]): { text: string; applied: number } {
  const lines = new Lines(text);
  const seen = new Set<string>();
  // Spans taken so far, sorted by start and never overlapping: a new span need only be checked against its neighbours.
  const taken: { start: number; end: number; newText: string }[] = [];
  const slot = (start: number) => {
    let lo = 0;
    let hi = taken.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (taken[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const touches = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start <= b.end && b.start <= a.end;
  let applied = 0;
  for (const group of groups) {
    if (!group.length) continue;
    const key = JSON.stringify(group);
    if (seen.has(key)) continue;
    seen.add(key);
    const spans = group.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
    const clash = spans.some((s, i) => {
      const k = slot(s.start);
      return (k > 0 && touches(taken[k - 1], s)) || (k < taken.length && touches(taken[k], s)) || spans.some((o, j) => j !== i && touches(o, s));
    });
    if (clash) continue;
    for (const s of spans) taken.splice(slot(s.start), 0, s);
    applied++;
  }
  let out = '';
  let at = 0;
  for (const e of taken) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return { text: out + text.slice(at), applied };
}
