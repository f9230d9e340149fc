import * as assert from 'node:assert/strict';
import { at, codes, lintCompose, only, yaml } from './helpers';

describe('compose: YAML syntax', () => {
  it('reports a YAML error at its position and keeps checking what the parser recovered', () => {
    const fs = lintCompose(
      yaml('services:', '  web:', '    image: nginx: 1.27', '  admin:', '    image: tool:1', '    privileged: true'),
    );
    const syntax = only(fs, 'compose-syntax');
    assert.ok(syntax.length >= 1);
    assert.equal(syntax[0].severity, 'error');
    assert.equal(syntax[0].range.start.line, 2);
    assert.match(syntax[0].message, /^YAML error: /);
    assert.deepEqual(only(fs, 'no-privileged').map(at), ['6:17-6:21']);
  });

  it('keeps rules running after a syntax error elsewhere in the file', () => {
    const fs = lintCompose(yaml('services:', '  admin:', '    image: tool:1', '    privileged: true', 'volumes:', '  data: {driver: local', 'x-a: 1'));
    assert.ok(codes(fs).includes('compose-syntax'));
    assert.deepEqual(only(fs, 'no-privileged').map(at), ['4:17-4:21']);
  });

  it('reports duplicate keys, which compose rejects', () => {
    const fs = lintCompose(yaml('services:', '  web:', '    image: a:1', '    image: b:1'));
    assert.equal(only(fs, 'compose-syntax').length, 1);
    assert.equal(only(fs, 'compose-syntax')[0].range.start.line, 3);
  });

  it('stops a billion-laughs alias bomb quickly with a clear finding', () => {
    const levels = ['x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(97 + i - 1);
      const name = String.fromCharCode(97 + i);
      levels.push(`x-${name}: &${name} [${Array(9).fill('*' + prev).join(',')}]`);
    }
    const text = yaml(...levels, 'services:', '  web:', '    image: nginx:1.27', '    command: *i', '    privileged: true');
    const t0 = Date.now();
    const fs = lintCompose(text);
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    const bomb = only(fs, 'compose-syntax');
    assert.equal(bomb.length, 1);
    assert.match(bomb[0].message, /billion laughs/);
    assert.equal(bomb[0].range.start.line, 1, 'points at the first alias');
    // The text-based rules still run.
    assert.deepEqual(codes(only(fs, 'no-privileged')), ['no-privileged']);
  });

  it('reports tab indentation without schema noise about what the parser lost', () => {
    const fs = lintCompose('services:\n\tweb:\n\t\timage: nginx:1.27\n');
    assert.deepEqual([...new Set(fs.map((f) => f.code))], ['compose-syntax']);
    assert.match(fs[0].message, /Tabs/);
  });

  it('reads CRLF files with the same positions and ignore comments', () => {
    const fs = lintCompose('services:\r\n  web:\r\n    image: nginx\r\n    # dockwise-ignore no-privileged\r\n    privileged: true\r\n');
    assert.deepEqual(only(fs, 'no-latest-tag').map(at), ['3:12-3:17']);
    assert.deepEqual(only(fs, 'no-privileged'), []);
  });

  it('lints an empty file and a file that is only a comment without findings', () => {
    assert.deepEqual(lintCompose(''), []);
    assert.deepEqual(lintCompose('# nothing yet\n'), []);
  });

  it('survives garbage', () => {
    const garbage = Array.from({ length: 2000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('');
    assert.doesNotThrow(() => lintCompose(garbage));
    assert.doesNotThrow(() => lintCompose('services: [1, 2]\n'));
    assert.doesNotThrow(() => lintCompose('services:\n  web: null\n  db: 42\n'));
    assert.doesNotThrow(() => lintCompose('- a\n- b\n'));
  });
});

describe('compose: anchors', () => {
  it('reports a problem inside an anchor once, however many services merge it', () => {
    const text = yaml('x-env: &env', '  environment:', '    ADMIN_PASSWORD: hunter22', 'services:', '  a: {<<: *env, image: app:1}', '  b: {<<: *env, image: app:1}');
    assert.deepEqual(only(lintCompose(text), 'no-plaintext-secret').map(at), ['3:21-3:29']);
  });
});

describe('compose: ignore comments', () => {
  const file = (...extra: string[]) => yaml(...extra, 'services:', '  web:', '    image: app:1', '    # dockwise-ignore no-privileged', '    privileged: true', '    user: root');

  it('ignores a code on the next line only', () => {
    const fs = lintCompose(file());
    assert.deepEqual(only(fs, 'no-privileged'), []);
    assert.equal(only(fs, 'no-root-user').length, 1);
  });

  it('ignores codes for the whole file with dockwise-ignore-file', () => {
    const fs = lintCompose(file('# dockwise-ignore-file no-root-user, require-healthcheck'));
    assert.deepEqual(only(fs, 'no-root-user'), []);
    assert.deepEqual(only(fs, 'require-healthcheck'), []);
    assert.ok(only(fs, 'require-restart-policy').length === 1);
  });

  it('a bare dockwise-ignore-file silences everything', () => {
    assert.deepEqual(lintCompose(file('# dockwise-ignore-file')), []);
  });
});
