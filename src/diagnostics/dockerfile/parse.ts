/**
 * A small, linear-time Dockerfile scanner that keeps exact positions: instructions with their keyword, flags and
 * words, line continuations (with the escape character from the `# escape=` directive), comments between continued
 * lines, empty continuation lines, heredocs (`RUN <<EOF`), parser directives and comments.
 *
 * It follows BuildKit's parser (frontend/dockerfile/parser) in what counts as a continuation, a comment and a heredoc,
 * so rules see the instructions Docker sees. It never throws and never backtracks, so 10 MB or a 10,000-line
 * continuation costs time in proportion to its size.
 */
import { Position, Range } from '../types';

export interface Directive {
  /** Lower-cased: `syntax`, `escape`, `check`, … */
  name: string;
  value: string;
  line: number;
  nameRange: Range;
  valueRange: Range;
}

export interface Comment {
  line: number;
  /** Text after `#`, trimmed. */
  text: string;
  /** Character where `#` is. */
  start: number;
  end: number;
}

/** A word of an instruction's arguments; `raw` keeps quotes and escapes as written. */
export interface Word {
  raw: string;
  /** Offset in the instruction's joined text. */
  start: number;
  end: number;
}

export interface Flag {
  /** Without the leading `--`. */
  name: string;
  /** Null for a bare `--link`. */
  value: string | null;
  word: Word;
}

export interface Heredoc {
  name: string;
  chomp: boolean;
  /** First content line (0-based) and the terminator's line (or the last line when unterminated). */
  startLine: number;
  endLine: number;
  terminated: boolean;
}

export interface Instruction {
  /** Upper-cased keyword (`RUN`); `keywordRaw` as written (`run`). */
  keyword: string;
  keywordRaw: string;
  keywordRange: Range;
  /** First and last line, heredoc bodies included. */
  line: number;
  endLine: number;
  /** Last line of the instruction's own text, continuation lines included, heredoc bodies not. */
  textEndLine: number;
  /** The arguments after the keyword, continuation lines joined as Docker joins them. */
  text: string;
  /** Leading `--flags` (for every instruction; only some instructions accept them). */
  flags: Flag[];
  /** The words after the flags. */
  args: Word[];
  heredocs: Heredoc[];
  /** Comments directly above (no blank line between), nearest last; BuildKit's description and `check=` comments. */
  comments: Comment[];
  /** Empty lines inside the continuation (BuildKit's NoEmptyContinuation). */
  emptyContinuationLines: number[];
  /** Index of the stage it belongs to, -1 before the first FROM. */
  stage: number;
  /** Maps offsets in `text` to document positions. */
  readonly segments: Segment[];
}

/** `text[offset..offset+length)` was written at `line`, from `character`. */
export interface Segment {
  offset: number;
  line: number;
  character: number;
}

export interface ParsedDockerfile {
  lines: string[];
  directives: Directive[];
  comments: Comment[];
  instructions: Instruction[];
  escape: string;
}

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
/** What BuildKit reads as a directive; any other `# name=value` ends the directives (and is a comment). */
const DIRECTIVE_NAMES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_WORD = /^(\d*)<<(-?)\s*([^<]*)$/;
const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);
const FLAG_INSTRUCTIONS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);

/** Shared empty lists: most instructions have no flags, heredocs, comments or empty continuation lines. */
const NONE: never[] = [];
Object.freeze(NONE);

const isSpace = (c: number) => c === 32 || c === 9 || c === 11 || c === 12 || c === 13;

/** Offset in `text` → position, by binary search over the instruction's segments. */
export function positionAt(ins: Pick<Instruction, 'segments'>, offset: number): Position {
  const segs = ins.segments;
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid].offset <= offset) lo = mid;
    else hi = mid - 1;
  }
  const s = segs[lo];
  return { line: s.line, character: s.character + (offset - s.offset) };
}

export function wordRange(ins: Pick<Instruction, 'segments'>, start: number, end: number): Range {
  if (end <= start) {
    const p = positionAt(ins, start);
    return { start: p, end: p };
  }
  // The end is just after the last character, on that character's line (not at the start of the next one).
  const last = positionAt(ins, end - 1);
  return { start: positionAt(ins, start), end: { line: last.line, character: last.character + 1 } };
}

export function parseDockerfile(source: string): ParsedDockerfile {
  const text = source.charCodeAt(0) === 0xfeff ? ' ' + source.slice(1) : source;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }

  const directives: Directive[] = [];
  let i = 0;
  // Parser directives: only at the very top, before any other comment, blank line or instruction. BuildKit reads
  // `syntax` and `check` after a `#!` first line too (it drops a shebang before looking), but its parser has
  // stopped reading directives there, so `escape` is not honoured after one.
  const shebang = lines[0]?.startsWith('#!') ?? false;
  if (shebang) i = 1;
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i].trimStart());
    if (!m) break;
    const name = m[1].toLowerCase();
    if (!DIRECTIVE_NAMES.has(name) || (shebang && name === 'escape')) break;
    if (directives.some((d) => d.name === name)) break;
    const lead = lines[i].length - lines[i].trimStart().length;
    const nameAt = lines[i].indexOf(m[1], lead);
    const valueAt = lines[i].indexOf(m[2], nameAt + m[1].length);
    directives.push({
      name,
      value: m[2],
      line: i,
      nameRange: { start: { line: i, character: nameAt }, end: { line: i, character: nameAt + m[1].length } },
      valueRange: { start: { line: i, character: valueAt }, end: { line: i, character: valueAt + m[2].length } },
    });
  }
  const escapeDirective = directives.find((d) => d.name === 'escape');
  const escape = escapeDirective?.value === '`' ? '`' : '\\';
  const escapeCode = escape.charCodeAt(0);

  const comments: Comment[] = [];
  const instructions: Instruction[] = [];
  let pending: Comment[] = NONE;
  let stage = -1;

  /**
   * Where the continuation character is when the line ends with one (trailing blanks allowed), else -1. As in
   * BuildKit, an escape character preceded by another (`echo \\`) is an escaped one, not a continuation.
   */
  const continues = (l: string): number => {
    let e = l.length;
    while (e > 0 && (l.charCodeAt(e - 1) === 32 || l.charCodeAt(e - 1) === 9)) e--;
    if (e === 0 || l.charCodeAt(e - 1) !== escapeCode) return -1;
    return e >= 2 && l.charCodeAt(e - 2) === escapeCode ? -1 : e - 1;
  };
  // A final newline ends the last line; it does not start an empty one a continuation could run into.
  const lineCount = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  const firstNonSpace = (l: string): number => {
    let k = 0;
    while (k < l.length && isSpace(l.charCodeAt(k))) k++;
    return k;
  };

  for (; i < lines.length; i++) {
    const l = lines[i];
    const k = firstNonSpace(l);
    if (k === l.length) {
      pending = NONE;
      continue;
    }
    if (l.charCodeAt(k) === 35 /* # */) {
      const c: Comment = { line: i, text: l.slice(k + 1).trim(), start: k, end: l.length };
      comments.push(c);
      if (c.text === '') pending = NONE;
      else if (pending === NONE) pending = [c];
      else pending.push(c);
      continue;
    }
    // The keyword runs to the first blank.
    let kEnd = k;
    while (kEnd < l.length && !isSpace(l.charCodeAt(kEnd)) && l.charCodeAt(kEnd) !== escapeCode) kEnd++;
    if (kEnd === k) kEnd = k + 1;
    const keywordRaw = l.slice(k, kEnd);
    const keyword = keywordRaw.toUpperCase();
    const startLine = i;
    const segments: Segment[] = [];
    let emptyContinuationLines: number[] = NONE;
    let joined = '';
    let cont = continues(l);
    const firstEnd = cont >= 0 ? cont : l.length;
    if (kEnd < firstEnd) {
      segments.push({ offset: 0, line: i, character: kEnd });
      joined = l.slice(kEnd, firstEnd);
    } else {
      segments.push({ offset: 0, line: i, character: Math.min(kEnd, l.length) });
    }
    const parts: string[] = [joined];
    let length = joined.length;
    while (cont >= 0 && i + 1 < lineCount) {
      i++;
      const n = lines[i];
      const nk = firstNonSpace(n);
      if (nk === n.length) {
        if (emptyContinuationLines === NONE) emptyContinuationLines = [i];
        else emptyContinuationLines.push(i);
        continue;
      }
      if (n.charCodeAt(nk) === 35) {
        comments.push({ line: i, text: n.slice(nk + 1).trim(), start: nk, end: n.length });
        continue;
      }
      cont = continues(n);
      const piece = cont >= 0 ? n.slice(0, cont) : n;
      segments.push({ offset: length, line: i, character: 0 });
      parts.push(piece);
      length += piece.length;
    }
    joined = parts.length === 1 ? parts[0] : parts.join('');
    if (keyword === 'FROM') stage++;
    const ins: Instruction = {
      keyword,
      keywordRaw,
      keywordRange: { start: { line: startLine, character: k }, end: { line: startLine, character: kEnd } },
      line: startLine,
      endLine: i,
      textEndLine: i,
      text: joined,
      flags: NONE,
      args: NONE,
      heredocs: NONE,
      comments: pending,
      emptyContinuationLines,
      stage,
      segments,
    };
    pending = NONE;
    splitWords(ins, escapeCode);
    if (HEREDOC_INSTRUCTIONS.has(keyword) && joined.includes('<<')) i = readHeredocs(ins, lines, i);
    instructions.push(ins);
  }
  return { lines, directives, comments, instructions, escape };
}

/** Splits the joined text into words (quotes and escapes kept inside words) and peels off leading `--flags`. */
function splitWords(ins: Instruction, escapeCode: number): void {
  const t = ins.text;
  const words: Word[] = [];
  let p = 0;
  const n = t.length;
  while (p < n) {
    while (p < n && isSpace(t.charCodeAt(p))) p++;
    if (p >= n) break;
    const start = p;
    let quote = 0;
    while (p < n) {
      const c = t.charCodeAt(p);
      if (quote) {
        if (c === quote) quote = 0;
        else if (c === escapeCode && quote === 34 && p + 1 < n) p++;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === escapeCode && p + 1 < n) p++;
      else if (isSpace(c)) break;
      p++;
    }
    words.push({ raw: t.slice(start, p), start, end: p });
  }
  let w = 0;
  // Only these instructions take --flags; elsewhere a leading `--x` is an argument.
  while (FLAG_INSTRUCTIONS.has(ins.keyword) && w < words.length && words[w].raw.startsWith('--') && words[w].raw.length > 2) {
    const raw = words[w].raw.slice(2);
    const eq = raw.indexOf('=');
    if (ins.flags === NONE) ins.flags = [];
    ins.flags.push({ name: eq < 0 ? raw : raw.slice(0, eq), value: eq < 0 ? null : raw.slice(eq + 1), word: words[w] });
    w++;
  }
  ins.args = w ? words.slice(w) : words;
}

/** Reads heredoc bodies after the instruction's last line; returns the index of the last line consumed. */
function readHeredocs(ins: Instruction, lines: string[], last: number): number {
  for (const w of ins.args) {
    const m = HEREDOC_WORD.exec(w.raw);
    if (!m || !m[3]) continue;
    let name = m[3];
    const q = name.charCodeAt(0);
    if ((q === 34 || q === 39) && name.length > 1 && name.charCodeAt(name.length - 1) === q) name = name.slice(1, -1);
    if (!name || /\s/.test(name)) continue;
    const chomp = m[2] === '-';
    const startLine = last + 1;
    let j = startLine;
    let terminated = false;
    for (; j < lines.length; j++) {
      let l = lines[j];
      if (chomp) l = l.replace(/^\t+/, '');
      if (l === name) {
        terminated = true;
        break;
      }
    }
    const endLine = terminated ? j : lines.length - 1;
    if (ins.heredocs === NONE) ins.heredocs = [];
    ins.heredocs.push({ name, chomp, startLine, endLine, terminated });
    last = endLine;
    if (!terminated) break;
  }
  ins.endLine = Math.max(ins.endLine, last);
  return last;
}

/** Removes one level of quotes and escapes, as Docker does for most instruction words. */
export function unquote(raw: string, escape = '\\'): string {
  if (!raw.includes('"') && !raw.includes("'") && !raw.includes(escape)) return raw;
  let out = '';
  let quote = '';
  for (let k = 0; k < raw.length; k++) {
    const c = raw[k];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === escape && quote === '"' && k + 1 < raw.length) out += raw[++k];
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === escape && k + 1 < raw.length) out += raw[++k];
    else out += c;
  }
  return out;
}

/** The exec (JSON) form of CMD/ENTRYPOINT/RUN/SHELL…: an array of strings, or undefined for the shell form. */
export function execForm(ins: Instruction): string[] | undefined {
  const t = ins.text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}
