import * as fs from 'node:fs';
import { defaultConfig, LintConfig } from '../config';
import { parseCompose, ParsedCompose } from '../compose/parse';
import { createContext, DockerfileContext } from '../dockerfile/context';
import { shellModel, ShellModel } from '../dockerfile/shell/model';
import { isShellParserReady } from '../dockerfile/shell/parser';
import { diskHost, LintHost } from '../host';
import type { FileKind } from '../types';
import { Lines } from './text';
import type { FileProbe, FixInput } from './types';

/**
 * Everything fixes read about one version of a document, parsed once and shared by every finding's fixes: the
 * engine's Dockerfile model and shell model, or the compose file's YAML document with positions.
 */
export interface FixContext {
  text: string;
  kind: FileKind;
  filePath?: string;
  config: LintConfig;
  host: LintHost;
  probe: FileProbe;
  lines: Lines;
  /** Work several findings share (one merge for a run of five RUNs), computed once per document version. */
  memo<T>(key: string, make: () => T): T;
}

export interface DockerfileFixContext extends FixContext {
  df: DockerfileContext;
  shell: ShellModel;
}

export interface ComposeFixContext extends FixContext {
  compose: ParsedCompose;
}

/** The disk, read defensively: anything odd (a FIFO, no permission, no file system at all) is "unknown". */
export const diskProbe: FileProbe = {
  kind(file) {
    try {
      const st = fs.statSync(file);
      return st.isDirectory() ? 'directory' : st.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  head(file, bytes) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      if (!fs.fstatSync(fd).isFile()) return undefined;
      const buf = Buffer.alloc(bytes);
      const n = fs.readSync(fd, buf, 0, bytes, 0);
      return buf.subarray(0, n);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  },
};

function base(input: FixInput): FixContext {
  const memo = new Map<string, unknown>();
  return {
    text: input.text,
    kind: input.kind,
    filePath: input.filePath,
    config: input.config ?? defaultConfig(),
    host: input.host ?? diskHost,
    probe: input.probe ?? diskProbe,
    lines: new Lines(input.text),
    memo<T>(key: string, make: () => T): T {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as T;
    },
  };
}

export function dockerfileFixContext(input: FixInput): DockerfileFixContext {
  const ctx = base(input);
  const df = input.dockerfile?.text === input.text ? input.dockerfile : createContext(input.text, input.filePath, ctx.config, ctx.host);
  return { ...ctx, memo: ctx.memo, df, shell: shellModel(df) };
}

export function composeFixContext(input: FixInput): ComposeFixContext {
  const ctx = base(input);
  return { ...ctx, memo: ctx.memo, compose: parseCompose(input.text) };
}

/**
 * The context for a document version, reused while the same version is asked about: an editor asks for the fixes of
 * each diagnostic under the cursor one after the other, and re-parsing per finding made a 4,000-line file take
 * seconds.
 */
let last: { key: FixInput; shell: boolean; ctx: DockerfileFixContext | ComposeFixContext } | undefined;

export function fixContext(input: FixInput): DockerfileFixContext | ComposeFixContext {
  const k = last?.key;
  if (k && last && last.shell === isShellParserReady() && k.text === input.text && k.kind === input.kind && k.filePath === input.filePath && k.config === input.config && k.host === input.host && k.probe === input.probe && (!input.dockerfile || k.dockerfile === input.dockerfile)) {
    return last.ctx;
  }
  const ctx = input.kind === 'dockerfile' ? dockerfileFixContext(input) : composeFixContext(input);
  last = { key: { ...input }, shell: isShellParserReady(), ctx };
  return ctx;
}
