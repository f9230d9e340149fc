/** The Dockerfile benchmark corpus: the hand-written files in bench/corpus/ and a 4,000-line file made from them. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CORPUS_DIR = path.join(__dirname, 'corpus');

export interface CorpusFile {
  name: string;
  text: string;
}

export function smallFiles(): CorpusFile[] {
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.Dockerfile'))
    .sort()
    .map((name) => ({ name, text: fs.readFileSync(path.join(CORPUS_DIR, name), 'utf8') }));
}

/**
 * Joins the small files (directives dropped, stage names suffixed so each copy is distinct) until `lines` lines,
 * and writes it under bench/corpus/generated/ so it can be opened and looked at.
 */
export function largeFile(lines = 4000): CorpusFile {
  const parts = smallFiles().map((f) => f.text.split('\n').filter((l) => !/^#\s*(syntax|check|escape)\s*=/i.test(l)));
  const out: string[] = ['# syntax=docker/dockerfile:1'];
  for (let copy = 0; out.length < lines; copy++) {
    for (const p of parts) {
      for (const l of p) {
        out.push(l.replace(/\b(AS|as)\s+([a-z][\w.-]*)\s*$/, `$1 $2-${copy}`).replace(/--from=([a-z][\w.-]*)(?=\s)/, (m, n) => (/[:/]/.test(n) ? m : `--from=${n}-${copy}`)));
        if (out.length >= lines) break;
      }
      if (out.length >= lines) break;
    }
  }
  const text = out.slice(0, lines).join('\n') + '\n';
  const dir = path.join(CORPUS_DIR, 'generated');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `large-${lines}.Dockerfile`), text);
  return { name: `large-${lines}.Dockerfile`, text };
}
