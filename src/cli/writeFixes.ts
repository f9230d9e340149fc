/**
 * `dockwise lint --fix` and `--fix-dry-run` for one file: read its bytes, apply the safe fixes, write it back.
 *
 * - Bytes the fixes do not touch stay as they were: UTF-8 (with or without a BOM) is decoded and encoded back
 *   exactly, anything else is read as Latin-1, one character per byte, so a Latin-1 comment is not turned into U+FFFD.
 *   Line endings are the file's own (fixes insert the ones of the lines around them).
 * - The new content goes to a temporary file next to the file and is renamed over it, so a crash leaves the old
 *   file or the new one, never half of each; the file's mode is kept, and a symbolic link stays a link to the
 *   rewritten target.
 * - Just before the rename the file is read again: if someone saved it meanwhile, it is left alone and said so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { LintRequest } from '../diagnostics/engine';
import { fixAll } from '../diagnostics/fixes';
import type { Finding } from '../diagnostics/types';

export interface ReadFile {
  /** The path as given, and the file it names after symbolic links. */
  file: string;
  target: string;
  bytes: Buffer;
  text: string;
  encoding: 'utf-8' | 'latin1';
  bom: boolean;
  mode: number;
  /** Hard links: renaming over the file would split them, so such a file is rewritten in place. */
  links: number;
  uid: number;
  gid: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Reads a file for fixing, knowing how to write it back the same way. Throws what fs throws. */
export function readForFix(file: string): ReadFile {
  const target = fs.realpathSync(file);
  const bytes = fs.readFileSync(target);
  const st = fs.statSync(target);
  const bom = bytes.subarray(0, 3).equals(BOM);
  const body = bom ? bytes.subarray(3) : bytes;
  let text: string;
  let encoding: ReadFile['encoding'] = 'utf-8';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    text = body.toString('latin1');
    encoding = 'latin1';
  }
  return { file, target, bytes, text, encoding, bom, mode: st.mode & 0o7777, links: st.nlink, uid: st.uid, gid: st.gid };
}

/** The text in the file's encoding; undefined when a character cannot be written in it. */
export function encodeLike(read: Pick<ReadFile, 'encoding' | 'bom'>, text: string): Buffer | undefined {
  if (read.encoding === 'latin1') {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return undefined;
    return Buffer.from(text, 'latin1');
  }
  const body = Buffer.from(text, 'utf8');
  return read.bom ? Buffer.concat([BOM, body]) : body;
}

/**
 * Writes `bytes` over the file if it still holds what was read: 'written', or 'changed' when it no longer does
 * (nothing is written then). Throws what fs throws.
 */
export function writeIfUnchanged(read: ReadFile, bytes: Buffer): 'written' | 'changed' {
  const unchanged = () => {
    try {
      return fs.readFileSync(read.target).equals(read.bytes);
    } catch {
      return false;
    }
  };
  if (read.links > 1) {
    if (!unchanged()) return 'changed';
    fs.writeFileSync(read.target, bytes);
    return 'written';
  }
  const dir = path.dirname(read.target);
  const tmp = path.join(dir, `.${path.basename(read.target)}.dockwise-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  // 'wx': a name taken (by anything) fails the write rather than overwriting.
  const fd = fs.openSync(tmp, 'wx', read.mode);
  try {
    try {
      fs.writeSync(fd, bytes);
      fs.fchmodSync(fd, read.mode); // the umask may have narrowed the mode given to open
      try {
        fs.fchownSync(fd, read.uid, read.gid);
      } catch {
        // Only root can give a file away; the file then belongs to whoever ran the fix, as any editor's save does.
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (!unchanged()) {
      fs.rmSync(tmp, { force: true });
      return 'changed';
    }
    fs.renameSync(tmp, read.target);
    return 'written';
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export interface FixFileResult {
  /** What to lint and report afterwards: the fixed text (or the text as read when nothing was written). */
  text?: string;
  /** The findings of `text` when fixing already linted it, so they need not be linted again. */
  remaining?: Finding[];
  /** The unified diff, for a dry run. */
  diff?: string;
  /** A line for stderr. */
  message?: string;
  /** Reading or writing failed (exit code 2). */
  failed?: boolean;
}

const reason = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Applies the safe fixes to one file (or, with `dryRun`, only says what they would change). */
export function fixFile(file: string, request: Omit<LintRequest, 'text' | 'filePath'>, opts: { dryRun: boolean }): FixFileResult {
  let read: ReadFile;
  try {
    read = readForFix(file);
  } catch (e) {
    return { message: `cannot read ${file}: ${reason(e)}`, failed: true };
  }
  const fixed = fixAll({ ...request, text: read.text, filePath: file });
  if (fixed.text === read.text) return { text: read.text, remaining: fixed.remaining };
  if (opts.dryRun) return { text: read.text, diff: createTwoFilesPatch(file, file, read.text, fixed.text, '', '', { context: 3 }) };
  const bytes = encodeLike(read, fixed.text);
  if (!bytes) return { text: read.text, message: `not fixed: ${file} is not UTF-8, and a fix needs characters its encoding cannot hold` };
  try {
    if (writeIfUnchanged(read, bytes) === 'changed') {
      return { message: `not fixed: ${file} changed while it was being fixed; run again` };
    }
  } catch (e) {
    return { text: read.text, message: `cannot write ${file}: ${reason(e)}`, failed: true };
  }
  return { text: fixed.text, remaining: fixed.remaining, message: `applied ${fixed.applied} fix${fixed.applied === 1 ? '' : 'es'} to ${file}` };
}
