// Bundles the extension, the language server and the CLI into dist/; with --tests, the integration suite into dist-test/.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/** Native add-ons that ssh2 (via dockerode) loads optionally; it falls back to JavaScript without them. */
const optionalNative = ['cpu-features', '*.node'];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  define: { DOCKWISE_VERSION: JSON.stringify(version) },
  external: ['vscode', ...optionalNative],
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts', lintWorker: 'src/server/lintWorker.ts' }, outdir: 'dist' },
  // The server is also the package's `dockwise-language-server --stdio` for other editors: runnable as a bin.
  { ...common, entryPoints: { server: 'src/server/server.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // `dockwise`: a small starter (cli.js) that loads the CLI (cli-main.js) through V8's code cache.
  { ...common, entryPoints: { cli: 'src/cli/start.ts', 'cli-main': 'src/cli/main.ts' }, outdir: 'dist' },
];

if (tests) {
  // Runs inside the extension host: mocha and the test support code come from node_modules at run time.
  builds.push({
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: readdirSync('test/integration/suite')
      .filter((f) => f.endsWith('.ts'))
      .map((f) => ({ in: `test/integration/suite/${f}`, out: `suite/${f.replace(/\.ts$/, '')}` })),
    outdir: 'dist-test',
    external: [...common.external, 'mocha'],
  });
  builds.push({
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: { runIntegration: 'test/integration/runInCodeServer.ts', runElectron: 'test/integration/runInElectron.ts' },
    outdir: 'dist-test',
    external: [...common.external, 'playwright-core', '@vscode/test-electron'],
  });
}

// A clean dist/ for the package: no stale maps or bundles.
if (production) rmSync('dist', { recursive: true, force: true });
if (tests) rmSync('dist-test', { recursive: true, force: true });

/** The shell parser's WebAssembly files are loaded at run time from beside the bundles. */
function copyWasm() {
  mkdirSync('dist', { recursive: true });
  copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm');
  copyFileSync('node_modules/tree-sitter-bash/tree-sitter-bash.wasm', 'dist/tree-sitter-bash.wasm');
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  copyWasm();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  copyWasm();
}
