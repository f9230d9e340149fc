import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';

(globalThis as Record<string, unknown>).DOCKWISE_VERSION = '0.0.0-test';

describe('dockwise lint --format json on Dockerfiles', () => {
  it('carries codes, aliases and 1-based positions of Dockerfile findings', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-df-'));
    fs.writeFileSync(path.join(dir, '.dockerignore'), 'secret.txt\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), [
      'FROM node:20 AS Build',
      'FROM nginx',
      'RUN rm /etc/nginx/conf.d/default.conf',
      'RUN mkdir /x',
      'COPY secret.txt /x/',
      'USER root',
      '',
    ].join('\n'));
    let out = '';
    await run(['lint', '--format', 'json', '--no-shellcheck', dir], (s) => (out += s), () => undefined);
    const findings = JSON.parse(out) as Array<{ file: string; line: number; column: number; endLine: number; endColumn: number; code: string; aliases: string[] }>;
    const pick = (code: string) => findings.filter((f) => f.code === code).map((f) => ({ line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, aliases: f.aliases }));
    assert.deepEqual(pick('stage-name-casing'), [{ line: 1, column: 17, endLine: 1, endColumn: 22, aliases: ['StageNameCasing'] }]);
    assert.deepEqual(pick('chain-run'), [{ line: 4, column: 1, endLine: 4, endColumn: 4, aliases: ['DL3059'] }]);
    assert.deepEqual(pick('no-latest-tag'), [{ line: 2, column: 6, endLine: 2, endColumn: 11, aliases: ['DL3006'] }]);
    assert.deepEqual(pick('copy-ignored-file'), [{ line: 5, column: 6, endLine: 5, endColumn: 16, aliases: ['CopyIgnoredFile'] }]);
    assert.deepEqual(pick('no-root-user'), [{ line: 6, column: 6, endLine: 6, endColumn: 10, aliases: ['DL3002'] }]);
    assert.deepEqual(pick('require-healthcheck'), [{ line: 2, column: 6, endLine: 2, endColumn: 11, aliases: ['DL3057'] }]);
    assert.ok(findings.every((f) => f.file === path.join(dir, 'Dockerfile')));
  });
});
