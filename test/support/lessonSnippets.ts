/**
 * The Dockerfile and compose snippets of the course's lessons (fenced blocks in media/**\/*.md), for the tests that
 * lint them and build them. The fence's info string says what a block is (docs/course.md, "Snippets in lessons"):
 *
 *   ```dockerfile                      a whole Dockerfile: lints clean, builds in the sample's folder
 *   ```dockerfile fragment             lines out of a Dockerfile: lints clean after a FROM line
 *   ```yaml                            a whole compose file: lints clean, `compose config` accepts it
 *   ```dockerfile mistakes=a,b         shows mistakes on purpose: its errors and warnings are exactly codes a and b
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type SnippetKind = 'dockerfile' | 'compose';

export interface LessonSnippet {
  /** media/<walkthrough>/<step>.md */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  kind: SnippetKind;
  fragment: boolean;
  /** Codes of the mistakes the block shows on purpose; empty for a block that must be clean. */
  mistakes: string[];
  text: string;
  /** Words of the info string this convention does not know (a typo, say): the tests reject them. */
  unknown: string[];
}

export const REPO = path.resolve(__dirname, '..', '..');

const LANGS: Record<string, SnippetKind> = { dockerfile: 'dockerfile', Dockerfile: 'dockerfile', yaml: 'compose', yml: 'compose' };

export function lessonFiles(root = REPO): string[] {
  const media = path.join(root, 'media');
  return fs
    .readdirSync(media, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => fs.readdirSync(path.join(media, d.name)).filter((f) => f.endsWith('.md')).map((f) => path.join('media', d.name, f)))
    .sort();
}

/** Fenced blocks (``` or ~~~, any indentation the list items give them) of one markdown text. */
export function fencedBlocks(markdown: string): { line: number; info: string; text: string }[] {
  const lines = markdown.split('\n');
  const out: { line: number; info: string; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[j])) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    out.push({ line: i + 1, info: info.trim(), text: body.join('\n') + '\n' });
    i = j;
  }
  return out;
}

export function lessonSnippets(root = REPO): LessonSnippet[] {
  const out: LessonSnippet[] = [];
  for (const file of lessonFiles(root)) {
    for (const block of fencedBlocks(fs.readFileSync(path.join(root, file), 'utf8'))) {
      const [lang, ...words] = block.info.split(/\s+/).filter(Boolean);
      const kind = LANGS[lang ?? ''];
      if (!kind) continue;
      let fragment = false;
      let mistakes: string[] = [];
      const unknown: string[] = [];
      for (const w of words) {
        if (w === 'fragment') fragment = true;
        else if (w.startsWith('mistakes=')) mistakes = w.slice('mistakes='.length).split(',').filter(Boolean);
        else unknown.push(w);
      }
      out.push({ file, line: block.line, kind, fragment, mistakes, text: block.text, unknown });
    }
  }
  return out;
}

/** `media/todoApp/dockerfile.md:17` */
export const where = (s: LessonSnippet) => `${s.file}:${s.line}`;

/** A command a lesson tells the learner to type: a line of a ```sh block, or inline code that starts with `docker `. */
export interface LessonCommand {
  file: string;
  line: number;
  command: string;
}

/** Every command of the lessons, as written (inline code that wraps across lines is joined with one space). */
export function lessonCommands(root = REPO): LessonCommand[] {
  const out: LessonCommand[] = [];
  for (const file of lessonFiles(root)) {
    const markdown = fs.readFileSync(path.join(root, file), 'utf8');
    const lines = markdown.split('\n');
    const blocks = fencedBlocks(markdown);
    const inBlock = new Set<number>();
    for (const b of blocks) {
      const bodyLines = b.text.split('\n').length - 1;
      for (let l = b.line; l <= b.line + bodyLines + 1; l++) inBlock.add(l);
      if (!/^(sh|bash|shell|console)$/.test(b.info)) continue;
      b.text.split('\n').forEach((text, i) => {
        if (text.trim()) out.push({ file, line: b.line + 1 + i, command: text.trim() });
      });
    }
    // Inline code outside fenced blocks; a span may wrap onto the next line of its paragraph.
    const prose = lines.map((l, i) => (inBlock.has(i + 1) ? '' : l)).join('\n');
    for (const m of prose.matchAll(/`([^`]+)`/g)) {
      const command = m[1].replace(/\s+/g, ' ').trim();
      if (!/^docker /.test(command)) continue;
      out.push({ file, line: prose.slice(0, m.index).split('\n').length, command });
    }
  }
  return out;
}
