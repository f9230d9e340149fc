import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { fixFile, readForFix, writeIfUnchanged } from '../../../src/cli/writeFixes';
import { prepareLint } from '../../../src/diagnostics/engine';

(globalThis as Record<string, unknown>).DOCKWISE_VERSION = '0.0.0-test';

const UNFIXED = 'FROM debian:bookworm-slim\nRUN echo a\nRUN echo b\nHEALTHCHECK NONE\nUSER 1000\n';
const FIXED = 'FROM debian:bookworm-slim\nRUN echo a \\\n    && echo b\nHEALTHCHECK NONE\nUSER 1000\n';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-write-'));
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, (s) => (stdout += s), (s) => (stderr += s));
  return { code, stdout, stderr };
}

describe('--fix writes files safely', () => {
  before(() => prepareLint());

  it('keeps Latin-1 bytes, a BOM and CRLF line endings outside the fix byte for byte', () => {
    const dir = tmp();
    const latin1 = Buffer.concat([Buffer.from('FROM debian:bookworm-slim\n# caf'), Buffer.from([0xe9]), Buffer.from(' cr\xe8me\n', 'latin1'), Buffer.from('RUN echo a\nRUN echo b\nHEALTHCHECK NONE\nUSER 1000\n')]);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), latin1);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(UNFIXED.replace(/\n/g, '\r\n'))]);
    fs.writeFileSync(path.join(dir, 'app.Dockerfile'), bom);
    const r = fixFile(path.join(dir, 'Dockerfile'), { kind: 'dockerfile' }, { dryRun: false });
    assert.match(r.message ?? '', /^applied 1 fix to /);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'Dockerfile')), Buffer.concat([latin1.subarray(0, latin1.indexOf('RUN')), Buffer.from('RUN echo a \\\n    && echo b\nHEALTHCHECK NONE\nUSER 1000\n')]));
    fixFile(path.join(dir, 'app.Dockerfile'), { kind: 'dockerfile' }, { dryRun: false });
    assert.deepEqual(fs.readFileSync(path.join(dir, 'app.Dockerfile')), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FIXED.replace(/\n/g, '\r\n'))]));
  });

  it('replaces the file by renaming a complete copy over it, keeping its mode and leaving no temporary file', () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, UNFIXED, { mode: 0o640 });
    fs.chmodSync(file, 0o640);
    const inodeBefore = fs.statSync(file).ino;
    fixFile(file, { kind: 'dockerfile' }, { dryRun: false });
    assert.equal(fs.readFileSync(file, 'utf8'), FIXED);
    assert.notEqual(fs.statSync(file).ino, inodeBefore, 'a new file was renamed into place');
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(fs.readdirSync(dir), ['Dockerfile']);
  });

  it('writes through a symbolic link and keeps the link, and keeps hard links together', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'real'));
    fs.writeFileSync(path.join(dir, 'real', 'Dockerfile'), UNFIXED);
    fs.symlinkSync(path.join('real', 'Dockerfile'), path.join(dir, 'Dockerfile'));
    fixFile(path.join(dir, 'Dockerfile'), { kind: 'dockerfile' }, { dryRun: false });
    assert.ok(fs.lstatSync(path.join(dir, 'Dockerfile')).isSymbolicLink());
    assert.equal(fs.readFileSync(path.join(dir, 'real', 'Dockerfile'), 'utf8'), FIXED);
    fs.writeFileSync(path.join(dir, 'one.Dockerfile'), UNFIXED);
    fs.linkSync(path.join(dir, 'one.Dockerfile'), path.join(dir, 'two.Dockerfile'));
    fixFile(path.join(dir, 'one.Dockerfile'), { kind: 'dockerfile' }, { dryRun: false });
    assert.equal(fs.readFileSync(path.join(dir, 'two.Dockerfile'), 'utf8'), FIXED);
  });

  it('does not overwrite an edit saved while the fixes were computed', () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, UNFIXED);
    const read = readForFix(file);
    fs.writeFileSync(file, UNFIXED + '# saved meanwhile\n');
    assert.equal(writeIfUnchanged(read, Buffer.from(FIXED)), 'changed');
    assert.equal(fs.readFileSync(file, 'utf8'), UNFIXED + '# saved meanwhile\n');
    assert.deepEqual(fs.readdirSync(dir), ['Dockerfile']);
  });

  it('--fix says what it applied, and a second --fix finds nothing to do', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), UNFIXED);
    const first = await cli(['lint', '--fix', '--no-shellcheck', '--format', 'json', dir]);
    assert.match(first.stderr, /applied 1 fix to .*Dockerfile/);
    assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), FIXED);
    const second = await cli(['lint', '--fix', '--no-shellcheck', '--format', 'json', dir]);
    assert.doesNotMatch(second.stderr, /applied/);
    assert.equal(second.stdout, first.stdout, 'the same findings are reported after the fix as after the second run');
  });
});
