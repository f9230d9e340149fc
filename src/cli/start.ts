#!/usr/bin/env node
/**
 * The `dockwise` command (dist/cli.js): loads the CLI (dist/cli-main.js) through V8's code cache and runs it. A few
 * lines to compile, so that the bundle's compile is what the cache saves.
 */
import * as path from 'node:path';
import { userCacheDir } from './cacheDir';
import { loadWithCodeCache } from './codeCache';
import { tuneV8ForShortRun } from './v8Flags';

const bundle = path.join(__dirname, 'cli-main.js');
tuneV8ForShortRun();
let loaded;
try {
  // NODE_DISABLE_COMPILE_CACHE is Node's own switch for its compile cache.
  loaded = loadWithCodeCache(bundle, process.env.NODE_DISABLE_COMPILE_CACHE ? undefined : userCacheDir());
} catch (e) {
  const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
  process.stderr.write(missing ? `dockwise: ${bundle} is missing: cli.js runs it, so copy both (and the .wasm files beside them)\n` : `dockwise: ${(e as Error).stack ?? e}\n`);
  process.exit(2);
}
const { save, exports } = loaded;
process.once('exit', save);
(exports as typeof import('./main')).main();
