import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';

(globalThis as Record<string, unknown>).DOCKWISE_VERSION = '0.0.0-test';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, (s) => (stdout += s), (s) => (stderr += s));
  return { code, stdout, stderr };
}

function tmpDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('dockwise lint (CLI)', async () => {
  it('prints JSON findings with absolute files, 1-based positions, codes and aliases', async () => {
    const dir = tmpDir({ Dockerfile: 'FROM node:latest\nRUN echo hi\n' });
    const r = await cli(['lint', '--format', 'json', dir]);
    const findings = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    const f = findings.find((x) => x.code === 'no-latest-tag');
    assert.ok(f, r.stdout);
    assert.equal(f.file, path.join(dir, 'Dockerfile'));
    assert.equal(f.line, 1);
    assert.equal(f.column, 6);
    assert.equal(f.endColumn, 17);
    assert.deepEqual(f.aliases, ['DL3007']);
    assert.equal(f.severity, 'warning');
  });

  it('exits 0 when nothing reaches --fail-on and 1 when something does', async () => {
    const dir = tmpDir({ Dockerfile: 'FROM node:latest\n' });
    assert.equal((await cli(['lint', '--format', 'json', dir])).code, 0);
    assert.equal((await cli(['lint', '--format', 'json', '--fail-on', 'warning', dir])).code, 1);
  });

  it('exits 2 with a message naming the path when a file does not exist', async () => {
    const r = await cli(['lint', '/no/such/Dockerfile']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\/no\/such\/Dockerfile/);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await cli(['lint', '--format', 'xml', '.'])).code, 2);
    assert.equal((await cli(['lint'])).code, 2);
    assert.equal((await cli(['frobnicate'])).code, 2);
  });

  it('finds Dockerfiles and compose files by name in folders', async () => {
    const dir = tmpDir({
      'api/Dockerfile.prod': 'FROM alpine\n',
      'compose.yaml': 'services:\n  db:\n    image: postgres\n',
      'README.md': 'FROM nothing\n',
    });
    const findings = JSON.parse((await cli(['lint', '--format', 'json', dir])).stdout) as Array<{ file: string }>;
    const files = new Set(findings.map((f) => path.relative(dir, f.file)));
    assert.deepEqual([...files].sort(), ['api/Dockerfile.prod', 'compose.yaml']);
  });

  it('writes SARIF 2.1.0 with rule descriptors and regions', async () => {
    const dir = tmpDir({ Dockerfile: 'FROM ubuntu\n' });
    const sarif = JSON.parse((await cli(['lint', '--format', 'sarif', dir])).stdout);
    assert.equal(sarif.version, '2.1.0');
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'no-latest-tag');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 1);
    assert.ok(sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'no-latest-tag'));
  });

  it('reports a binary file clearly instead of crashing', async () => {
    const dir = tmpDir({});
    fs.writeFileSync(path.join(dir, 'Dockerfile'), Buffer.from([0, 1, 2, 255, 0, 10, 70, 82]));
    const r = await cli(['lint', '--format', 'json', dir]);
    const findings = JSON.parse(r.stdout) as Array<{ code: string }>;
    assert.deepEqual(findings.map((f) => f.code), ['not-a-text-file']);
  });

  it('adds ShellCheck findings at their Dockerfile positions, and leaves them out with --no-shellcheck', async () => {
    const dir = tmpDir({ Dockerfile: 'FROM alpine:3.20\nRUN for f in $(ls /etc); do echo $f; done\n' });
    const findings = JSON.parse((await cli(['lint', '--format', 'json', dir])).stdout) as Array<{ code: string; aliases: string[]; line: number; column: number; endColumn: number }>;
    const sc = findings.filter((f) => f.code === 'shellcheck').map((f) => [f.aliases[0], f.line, f.column, f.endColumn]);
    assert.deepEqual(sc, [['SC2045', 2, 14, 24], ['SC2086', 2, 34, 36]]);
    const without = JSON.parse((await cli(['lint', '--format', 'json', '--no-shellcheck', dir])).stdout) as Array<{ code: string }>;
    assert.ok(!without.some((f) => f.code === 'shellcheck'));
  });

  it('--fix applies to the sample todo app only the fixes that keep what it does, and leaves valid files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-fix-'));
    fs.cpSync(path.join(__dirname, '..', '..', '..', 'samples', 'todo-app'), dir, { recursive: true });
    const before = JSON.parse((await cli(['lint', '--format', 'json', dir])).stdout) as Array<{ code: string; severity: string }>;
    assert.ok(before.filter((f) => f.severity === 'error' || f.severity === 'warning').length >= 8, 'the sample shows the mistakes');
    const fixed = await cli(['lint', '--fix', '--format', 'json', dir]);
    const after = JSON.parse(fixed.stdout) as Array<{ code: string; severity: string }>;
    assert.ok(!after.some((f) => /syntax|schema/.test(f.code)), 'the fixed files are still valid');
    assert.equal(fixed.code, 0);
    const dockerfile = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^COPY \. \/app$/m);
    assert.match(dockerfile, /^RUN npm install \\\n {4}&& npm cache clean --force$/m);
    assert.match(dockerfile, /^CMD node src\/server\.js$/m, 'node images have an ENTRYPOINT: the exec form is a suggestion');
    assert.doesNotMatch(dockerfile, /^USER /m, 'a user is a suggestion');
    assert.doesNotMatch(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), /version/);
    // What is left needs a person: pins, a user, healthchecks, secrets.
    assert.deepEqual([...new Set(after.filter((f) => f.severity === 'warning').map((f) => f.code))].sort(),
      ['json-args-recommended', 'no-latest-tag', 'no-plaintext-secret', 'no-public-admin-port', 'no-root-user']);
    const again = await cli(['lint', '--fix', '--format', 'json', dir]);
    assert.doesNotMatch(again.stderr, /applied/);
  });

  it('--fix-dry-run prints a diff and changes nothing', async () => {
    const text = 'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER 1000\nRUN echo a\nRUN echo b\n';
    const dir = tmpDir({ Dockerfile: text });
    const r = await cli(['lint', '--fix-dry-run', dir]);
    assert.match(r.stdout, /^-RUN echo a$/m);
    assert.match(r.stdout, /^\+RUN echo a \\$/m);
    assert.match(r.stdout, /^\+ {4}&& echo b$/m);
    assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), text);
  });
});
