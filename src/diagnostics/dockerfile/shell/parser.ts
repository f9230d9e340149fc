/**
 * The RUN-body parser: tree-sitter's bash grammar running in WebAssembly (web-tree-sitter).
 *
 * WebAssembly must be instantiated asynchronously, once. Nothing here runs at import time: the first
 * `loadShellParser()` (the language server calls it after activation, the CLI before linting) loads both modules;
 * afterwards `parseShell()` is synchronous, so the lint engine stays synchronous. Until the parser is ready,
 * `parseShell()` returns undefined and the shell rules stay silent rather than guess.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Parser as TSParser, Tree } from 'web-tree-sitter';

export type { Tree, Node as SyntaxNode } from 'web-tree-sitter';

let parser: TSParser | undefined;
let loading: Promise<boolean> | undefined;
let loadError: Error | undefined;

/**
 * Where a `.wasm` file lives: next to the package when running from node_modules, or next to the bundle
 * (`dist/`) when the extension is bundled and the files are copied beside it.
 */
function locateWasm(file: string, packageSpecifier: string): string {
  const candidates: string[] = [];
  try {
    candidates.push(require.resolve(packageSpecifier));
  } catch {
    // bundled: fall through to the copies beside the bundle
  }
  candidates.push(path.join(__dirname, file), path.join(__dirname, '..', file));
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
}

/** Loads the parser once; resolves to false (never rejects) when the WebAssembly cannot be loaded. */
export function loadShellParser(): Promise<boolean> {
  if (parser) return Promise.resolve(true);
  loading ??= (async () => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ts = require('web-tree-sitter') as typeof import('web-tree-sitter');
      const runtime = locateWasm('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
      const grammar = locateWasm('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm');
      // Check first: the WebAssembly runtime prints to stderr when it cannot find its file.
      for (const f of [runtime, grammar]) if (!fs.existsSync(f)) throw new Error(`${path.basename(f)} not found (looked in node_modules and beside ${__dirname})`);
      await ts.Parser.init({ locateFile: () => runtime });
      const bash = await ts.Language.load(fs.readFileSync(grammar));
      const p = new ts.Parser();
      p.setLanguage(bash);
      parser = p;
      return true;
    } catch (e) {
      loadError = e as Error;
      return false;
    }
  })();
  return loading;
}

export const isShellParserReady = (): boolean => parser !== undefined;

/** Why the parser could not be loaded, if it could not. */
export const shellParserError = (): Error | undefined => loadError;

/** Bodies longer than this are not parsed (a generated 1 MB RUN line is not worth a frozen editor). */
export const MAX_SCRIPT_CHARS = 256 * 1024;

/**
 * Parses a script synchronously; undefined when the parser is not loaded yet or the script is too long.
 * The caller owns the tree and must `delete()` it (WebAssembly memory is not garbage-collected).
 */
export function parseShell(text: string): Tree | undefined {
  if (!parser || text.length > MAX_SCRIPT_CHARS) return undefined;
  try {
    return parser.parse(text) ?? undefined;
  } catch {
    return undefined;
  }
}
