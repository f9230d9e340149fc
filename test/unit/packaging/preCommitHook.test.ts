/**
 * The pre-commit hook definition (.pre-commit-hooks.yaml), run by pre-commit itself (`pre-commit try-repo`, what a
 * user tries before adding the hook) against this repository, with `dockwise` on PATH as the README says.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { kindOfFileName } from '../../../src/diagnostics/fileKinds';

const root = path.resolve(__dirname, '../../..');

interface Hook {
  id: string;
  language: string;
  entry: string;
  files: string;
}

const hooks = parse(fs.readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

describe('the pre-commit hook', function () {
  this.timeout(120_000);
  const hook = hooks.find((h) => h.id === 'dockwise');
  const temp: string[] = [];
  const mkdtemp = (prefix: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    temp.push(d);
    return d;
  };

  after(() => {
    for (const d of temp) fs.rmSync(d, { recursive: true, force: true });
  });

  it('runs `dockwise lint` from PATH, as hadolint’s hook runs hadolint', () => {
    assert.ok(hook, 'a hook with id dockwise');
    assert.equal(hook.language, 'system');
    assert.equal(hook.entry, 'dockwise lint');
  });

  it('picks the files dockwise lint picks in a folder, and no others', () => {
    assert.ok(hook);
    const re = new RegExp(hook.files.replace(/^\(\?i\)/, ''), 'i');
    const names = [
      'Dockerfile', 'dockerfile', 'api/Dockerfile.dev', 'web.Dockerfile', 'Containerfile', 'x/Containerfile.prod', 'compose.yaml',
      'sub/compose.override.yml', 'docker-compose.yml', 'docker-compose.prod.yaml', 'README.md', 'Dockerfile/', 'src/app.ts',
      'composer.yaml', 'my-compose.yaml', 'docker-compose.yml.bak', 'Dockerfile.dockerignore', '.dockerignore',
    ];
    for (const n of names) assert.equal(re.test(n), kindOfFileName(n) !== undefined && !n.endsWith('/'), n);
  });

  it('fails a commit whose Dockerfile has an error, and passes it once fixed (pre-commit try-repo)', function () {
    const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
    assert.equal(preCommit.status, 0, 'pre-commit is installed (scripts/prepare.sh --test installs it)');
    const cli = path.join(root, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });

    // `dockwise` on PATH: a wrapper around the bundled CLI, as the README tells users without npm link.
    const bin = mkdtemp('dw-bin-');
    fs.writeFileSync(path.join(bin, 'dockwise'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`, { mode: 0o755 });
    const project = mkdtemp('dw-precommit-');
    const env = {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      PRE_COMMIT_HOME: mkdtemp('dw-precommit-home-'),
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    };
    execFileSync('git', ['init', '-q', project], { env });
    fs.mkdirSync(path.join(project, 'api'));
    fs.writeFileSync(path.join(project, 'api', 'Dockerfile'), 'FROM debian:bookworm-slim\nFORM x\n');
    fs.writeFileSync(path.join(project, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n');
    fs.writeFileSync(path.join(project, 'notes.md'), 'FORM x\n');
    execFileSync('git', ['add', '.'], { cwd: project, env });

    const tryRepo = () =>
      spawnSync('pre-commit', ['try-repo', root, 'dockwise', '--files', 'api/Dockerfile', 'compose.yaml', 'notes.md', '--verbose'], { cwd: project, env, encoding: 'utf8' });
    const failed = tryRepo();
    assert.equal(failed.status, 1, failed.stdout + failed.stderr);
    assert.match(failed.stdout, /Lint Dockerfiles and compose files \(Dockwise\)\.+Failed/);
    assert.match(failed.stdout, /api\/Dockerfile:2:1 error unknown-instruction/);
    assert.doesNotMatch(failed.stdout, /notes\.md/);

    fs.writeFileSync(path.join(project, 'api', 'Dockerfile'), 'FROM debian:bookworm-slim\nCMD ["bash"]\n');
    const passed = tryRepo();
    assert.equal(passed.status, 0, passed.stdout + passed.stderr);
    assert.match(passed.stdout, /Lint Dockerfiles and compose files \(Dockwise\)\.+Passed/);
  });
});
