import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { kindOfFileName } from '../../../src/diagnostics/fileKinds';
import { copyOfBuiltCli } from '../../support/builtCli';

(globalThis as Record<string, unknown>).DOCKWISE_VERSION = '0.0.0-test';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, (s) => (stdout += s), (s) => (stderr += s));
  return { code, stdout, stderr };
}

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-discovery-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const linted = async (dir: string, ...args: string[]) => {
  const r = await cli(['lint', '--format', 'json', '--no-shellcheck', ...args, dir]);
  return { ...r, files: [...new Set((JSON.parse(r.stdout) as { file: string }[]).map((f) => path.relative(dir, f.file)))].sort() };
};

// Each file gets a finding (no-latest-tag), so the JSON output names it.
const FROM = 'FROM alpine:latest\n';

describe('dockwise lint: finding files and reading them', function () {
  this.timeout(30000);

  it('knows Dockerfile-app and Dockerfile-windows as Dockerfiles, and Dockerfile.dockerignore as an ignore file', () => {
    for (const name of ['Dockerfile', 'Dockerfile-app', 'Dockerfile-windows', 'Dockerfile.prod', 'api.Dockerfile', 'Containerfile-dev']) assert.equal(kindOfFileName(`/p/${name}`), 'dockerfile', name);
    for (const name of ['Dockerfile.dockerignore', 'api.Dockerfile.dockerignore', 'Dockerfiles.md', 'README.md']) assert.equal(kindOfFileName(`/p/${name}`), undefined, name);
  });

  it('searches dist/ and out/, skips what .gitignore says and node_modules by default, and says so', async () => {
    const dir = tree({ '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': 'build/\n*.generated.Dockerfile\n!keep.generated.Dockerfile\n', 'dist/Dockerfile': FROM, 'out/Dockerfile': FROM,
      'build/Dockerfile': FROM, 'node_modules/pkg/Dockerfile': FROM, 'x.generated.Dockerfile': FROM, 'keep.generated.Dockerfile': FROM, 'svc/.gitignore': 'local/\n', 'svc/local/Dockerfile': FROM,
      'svc/Dockerfile-app': FROM, 'svc/Dockerfile.dockerignore': 'node_modules\n' });
    const r = await linted(dir);
    assert.deepEqual(r.files, ['dist/Dockerfile', 'keep.generated.Dockerfile', 'out/Dockerfile', 'svc/Dockerfile-app']);
    assert.match(r.stderr, /skipped 3 folders: .*build, .*svc\/local \(\.gitignore\); .*node_modules \(by default\)/);
    // Named on the command line, an ignored folder is linted.
    assert.deepEqual((await linted(path.join(dir, 'build'))).files, ['Dockerfile']);
  });

  it('reads the .gitignore files above the searched folder, from the repository root down', async () => {
    const dir = tree({ '.git/HEAD': 'x\n', '.gitignore': 'generated/\n', 'services/generated/Dockerfile': FROM, 'services/api/Dockerfile': FROM });
    assert.deepEqual((await linted(path.join(dir, 'services'))).files, ['api/Dockerfile']);
  });

  it('follows symbolic links to Dockerfiles and folders, each real file and folder once, and a loop ends', async () => {
    const dir = tree({ 'real/Dockerfile': FROM, 'elsewhere/app/Dockerfile': FROM });
    fs.symlinkSync(path.join(dir, 'real', 'Dockerfile'), path.join(dir, 'linked.Dockerfile'));
    fs.symlinkSync(path.join(dir, 'elsewhere', 'app'), path.join(dir, 'app-link'));
    fs.symlinkSync(dir, path.join(dir, 'real', 'loop'));
    fs.symlinkSync(path.join(dir, 'missing'), path.join(dir, 'dangling.Dockerfile'));
    const r = await linted(dir);
    assert.deepEqual(r.files, ['app-link/Dockerfile', 'linked.Dockerfile']);
    const outside = tree({ Dockerfile: FROM });
    const inside = tree({});
    fs.symlinkSync(path.join(outside, 'Dockerfile'), path.join(inside, 'Dockerfile'));
    assert.deepEqual((await linted(inside)).files, ['Dockerfile'], 'a link to a Dockerfile elsewhere is linted');
    assert.equal(r.code, 0);
  });

  it('checks what an explicit path is before reading it: a FIFO, /dev/zero, a 50 MB file and a binary file get a message and exit 2', async () => {
    const dir = tree({});
    const fifo = path.join(dir, 'fifo.Dockerfile');
    execFileSync('mkfifo', [fifo]);
    const zero = path.join(dir, 'zero.Dockerfile');
    fs.symlinkSync('/dev/zero', zero);
    const big = path.join(dir, 'big.Dockerfile');
    fs.writeFileSync(big, FROM + '# padding\n'.repeat(5 * 1024 * 1024));
    const binary = path.join(dir, 'binary.Dockerfile');
    fs.writeFileSync(binary, Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0, 1, 2, 0, 10]));
    const cases: [string, RegExp][] = [[fifo, /not a regular file \(a FIFO\)/], [zero, /not a regular file \(a device\)/], [big, /50\.\d MB, larger than the 16 MB/], [binary, /a binary file/]];
    for (const [file, message] of cases) {
      const r = await cli(['lint', '--no-shellcheck', file]);
      assert.equal(r.code, 2, file);
      assert.match(r.stderr, message);
    }
  });

  it('fails on a folder it cannot read instead of skipping it', function () {
    const dir = tree({ 'ok/Dockerfile': FROM, 'locked/Dockerfile': FROM });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    try {
      // root reads any folder: run as nobody there, as a CI user would be.
      const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
      if (asUser.length && spawnSync('setpriv', ['--version']).status !== 0) this.skip();
      // The built CLI, copied where that user can read it (the checkout may be in a folder only its owner reads).
      const bin = copyOfBuiltCli();
      const r = spawnSync(asUser[0] ?? process.execPath, [...asUser.slice(1), ...(asUser.length ? [process.execPath] : []), path.join(bin, 'cli.js'), 'lint', '--no-shellcheck', dir],
        { encoding: 'utf8', cwd: bin, env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } });
      assert.equal(r.status, 2, r.stderr + r.stdout);
      assert.match(r.stderr, /locked: cannot read this folder \(EACCES\)/);
    } finally {
      fs.chmodSync(path.join(dir, 'locked'), 0o755);
    }
  });
});
