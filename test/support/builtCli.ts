import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * A copy of the built CLI as a user unpacks it from the .vsix (cli.js, cli-main.js and the WebAssembly files), in a
 * new folder anyone can read; built first when dist/ has no CLI.
 */
export function copyOfBuiltCli(): string {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli-main.js'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-cli-'));
  fs.chmodSync(dir, 0o755);
  for (const f of fs.readdirSync(path.join(ROOT, 'dist'))) {
    if (!/^cli(-main)?\.js$|\.wasm$/.test(f)) continue;
    fs.copyFileSync(path.join(ROOT, 'dist', f), path.join(dir, f));
    fs.chmodSync(path.join(dir, f), 0o644);
  }
  return dir;
}
