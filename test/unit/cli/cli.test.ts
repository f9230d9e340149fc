import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';

(globalThis as Record<string, unknown>).DOCKWISE_VERSION = '0.0.0-test';

function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(args, (s) => (stdout += s), (s) => (stderr += s));
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

describe('dockwise lint (CLI)', () => {
  it('prints JSON findings with absolute files, 1-based positions, codes and aliases', () => {
    const dir = tmpDir({ Dockerfile: 'FROM node:latest\nRUN echo hi\n' });
    const r = cli(['lint', '--format', 'json', dir]);
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

  it('exits 0 when nothing reaches --fail-on and 1 when something does', () => {
    const dir = tmpDir({ Dockerfile: 'FROM node:latest\n' });
    assert.equal(cli(['lint', '--format', 'json', dir]).code, 0);
    assert.equal(cli(['lint', '--format', 'json', '--fail-on', 'warning', dir]).code, 1);
  });

  it('exits 2 with a message naming the path when a file does not exist', () => {
    const r = cli(['lint', '/no/such/Dockerfile']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\/no\/such\/Dockerfile/);
  });

  it('exits 2 on usage errors', () => {
    assert.equal(cli(['lint', '--format', 'xml', '.']).code, 2);
    assert.equal(cli(['lint']).code, 2);
    assert.equal(cli(['frobnicate']).code, 2);
  });

  it('finds Dockerfiles and compose files by name in folders', () => {
    const dir = tmpDir({
      'api/Dockerfile.prod': 'FROM alpine\n',
      'compose.yaml': 'services:\n  db:\n    image: postgres\n',
      'README.md': 'FROM nothing\n',
    });
    const findings = JSON.parse(cli(['lint', '--format', 'json', dir]).stdout) as Array<{ file: string }>;
    const files = new Set(findings.map((f) => path.relative(dir, f.file)));
    assert.deepEqual([...files].sort(), ['api/Dockerfile.prod', 'compose.yaml']);
  });

  it('writes SARIF 2.1.0 with rule descriptors and regions', () => {
    const dir = tmpDir({ Dockerfile: 'FROM ubuntu\n' });
    const sarif = JSON.parse(cli(['lint', '--format', 'sarif', dir]).stdout);
    assert.equal(sarif.version, '2.1.0');
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'no-latest-tag');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 1);
    assert.ok(sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'no-latest-tag'));
  });

  it('reports a binary file clearly instead of crashing', () => {
    const dir = tmpDir({});
    fs.writeFileSync(path.join(dir, 'Dockerfile'), Buffer.from([0, 1, 2, 255, 0, 10, 70, 82]));
    const r = cli(['lint', '--format', 'json', dir]);
    const findings = JSON.parse(r.stdout) as Array<{ code: string }>;
    assert.deepEqual(findings.map((f) => f.code), ['not-a-text-file']);
  });
});
