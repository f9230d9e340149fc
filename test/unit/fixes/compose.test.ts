import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { lint } from '../../../src/diagnostics/engine';
import { diskHost } from '../../../src/diagnostics/host';
import { applyEdits, Fix, fixesFor } from '../../../src/diagnostics/fixes';
import { parseDotenv } from '../../../src/diagnostics/fixes/compose/secrets';
import { applyFix, fixAllOf, fixesOf, noFiles } from './helpers';

/** The file parses, passes the schema, and has the services it had. */
function assertValid(text: string, services: string[]) {
  const doc = parseDocument(text);
  assert.deepEqual(doc.errors.map((e) => e.message), []);
  const bad = lint({ text, kind: 'compose', host: noFiles }).filter((f) => /syntax|schema/.test(f.code));
  assert.deepEqual(bad.map((f) => `${f.code}: ${f.message}`), []);
  assert.deepEqual(Object.keys((doc.toJS() as { services: object }).services), services);
}

/** Writes a fix's other files the way an editor applies its workspace edit. */
function applyFiles(fix: Fix) {
  for (const f of fix.files ?? []) {
    const before = f.create ? '' : fs.readFileSync(f.path, 'utf8');
    fs.writeFileSync(f.path, applyEdits(before, f.edits));
  }
}

describe('compose fixes', () => {
  it('removes the obsolete version field unseen, with its comment and the blank line after it', () => {
    assert.equal(fixAllOf('compose', 'version: "3.8" # old\n\nservices:\n  web:\n    image: nginx:1.27\n').text, 'services:\n  web:\n    image: nginx:1.27\n');
    const flowRoot = '{version: "3.8", services: {web: {image: "nginx:1.27"}}}\n';
    assert.equal(fixAllOf('compose', flowRoot).text, flowRoot);
  });

  it('keeps a flow-style service whole: every suggestion leaves valid YAML with the same services', () => {
    const text = 'services:\n  web: {image: "nginx:1.27", ports: ["5432:5432"], environment: {PASSWORD: hunter2}}\n  db: {image: "postgres:16"}\n';
    assert.equal(fixAllOf('compose', text).text, text, 'nothing here is safe to change unseen');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-flow-'));
    const request = { filePath: path.join(dir, 'compose.yaml'), host: diskHost };
    const offered: string[] = [];
    for (const f of lint({ text, kind: 'compose', ...request })) {
      for (const fix of fixesFor(f, text, 'compose', { ignore: false, request })) {
        const after = applyEdits(text, fix.edits);
        assertValid(after, ['web', 'db']);
        assert.equal(fix.safety, 'review', fix.title);
        offered.push(`${fix.id}: ${after.split('\n')[1]}`);
      }
    }
    assert.ok(offered.includes('add-restart-policy:   web: {image: "nginx:1.27", ports: ["5432:5432"], environment: {PASSWORD: hunter2}, restart: unless-stopped}'), offered.join('\n'));
    assert.ok(offered.includes('secret-to-dotenv:   web: {image: "nginx:1.27", ports: ["5432:5432"], environment: {PASSWORD: "${PASSWORD}"}}'), offered.join('\n'));
    assert.ok(offered.includes('bind-to-loopback:   web: {image: "nginx:1.27", ports: ["127.0.0.1:5432:5432"], environment: {PASSWORD: hunter2}}'), offered.join('\n'));
  });

  describe('a secret moved to .env', () => {
    const compose = 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: "s3cr$$et"\n  web:\n    image: nginx:1.27\n    environment:\n      - DATABASE_URL=postgres://app:s3cr$$et@db/app\n';

    function setup(files: Record<string, string>) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-env-'));
      for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), t);
      return { dir, request: { filePath: path.join(dir, 'compose.yaml'), host: diskHost } };
    }

    it('creates .env with the value compose read and tells .gitignore, so interpolation gives the same value', () => {
      const { dir, request } = setup({});
      const { fix, text } = applyFix('compose', compose, 'no-plaintext-secret', 'secret-to-dotenv', request);
      assert.equal(fix.safety, 'review');
      assert.equal(fix.title, 'Move the value of POSTGRES_PASSWORD to .env, and add .env to .gitignore — a variable of that name set in your shell, or an --env-file, then takes precedence over .env');
      assert.equal(text, compose.replace('"s3cr$$et"', '"${POSTGRES_PASSWORD}"'));
      applyFiles(fix);
      assert.equal(fs.readFileSync(path.join(dir, '.env'), 'utf8'), "POSTGRES_PASSWORD='s3cr$et'\n");
      assert.equal(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), '.env\n');
      assert.equal(parseDotenv(fs.readFileSync(path.join(dir, '.env'), 'utf8')).get('POSTGRES_PASSWORD'), 's3cr$et');
    });

    it('appends to an existing .env and .gitignore, and moves only a URL\'s password', () => {
      const { dir, request } = setup({ '.env': 'TZ=UTC', '.gitignore': 'node_modules/' });
      const first = applyFix('compose', compose, 'no-plaintext-secret', 'secret-to-dotenv', request);
      applyFiles(first.fix);
      fs.writeFileSync(path.join(dir, 'compose.yaml'), first.text);
      assert.equal(fs.readFileSync(path.join(dir, '.env'), 'utf8'), "TZ=UTC\nPOSTGRES_PASSWORD='s3cr$et'\n");
      assert.equal(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), 'node_modules/\n.env\n');
      const second = applyFix('compose', first.text, 'no-plaintext-secret', 'secret-to-dotenv', request);
      assert.equal(second.fix.title.split(' — ')[0], 'Move the value of DATABASE_URL_PASSWORD to .env');
      assert.equal(second.text, first.text.replace('- DATABASE_URL=postgres://app:s3cr$$et@db/app', '- "DATABASE_URL=postgres://app:${DATABASE_URL_PASSWORD}@db/app"'));
      applyFiles(second.fix);
      assert.equal(fs.readFileSync(path.join(dir, '.env'), 'utf8'), "TZ=UTC\nPOSTGRES_PASSWORD='s3cr$et'\nDATABASE_URL_PASSWORD='s3cr$et'\n");
    });

    it('reuses a variable .env already holds with the same value, writing nothing to it', () => {
      const { request } = setup({ '.env': "POSTGRES_PASSWORD='s3cr$et'\n", '.gitignore': '.env\n' });
      const { fix, text } = applyFix('compose', compose, 'no-plaintext-secret', 'secret-to-dotenv', request);
      assert.ok(text.includes('POSTGRES_PASSWORD: "${POSTGRES_PASSWORD}"'));
      assert.equal(fix.files, undefined);
      assert.equal(fix.title.split(' — ')[0], 'Move the value of POSTGRES_PASSWORD to .env');
    });

    it('uses the service name when .env already has the variable with another value, and leaves an ignored .env unmentioned', () => {
      const { dir, request } = setup({ '.env': "POSTGRES_PASSWORD='other'\n" });
      fs.mkdirSync(path.join(dir, '.git'));
      fs.writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
      fs.writeFileSync(path.join(dir, '.gitignore'), '*.env\n');
      const { fix, text } = applyFix('compose', compose, 'no-plaintext-secret', 'secret-to-dotenv', request);
      assert.equal(fix.title.split(' — ')[0], 'Move the value of DB_POSTGRES_PASSWORD to .env');
      assert.ok(text.includes('POSTGRES_PASSWORD: "${DB_POSTGRES_PASSWORD}"'));
      assert.deepEqual(fix.files?.map((f) => path.basename(f.path)), ['.env']);
    });

    it('is not applied by fix all, and needs a file on disk', () => {
      const { request } = setup({});
      assert.equal(fixAllOf('compose', compose, request).text, compose);
      assert.ok(!fixesOf('compose', compose, 'no-plaintext-secret').some((f) => f.id === 'secret-to-dotenv'));
    });
  });

  describe('healthchecks and waiting for them', () => {
    it('adds a healthcheck only for images known to ship the probe, never mysqladmin', () => {
      const none = 'services:\n  db:\n    image: mysql:8.4\n  mongo:\n    image: mongo:7\n  app:\n    image: example/app:1\n';
      for (const svc of ['db', 'mongo', 'app']) {
        const f = lint({ text: none, kind: 'compose', host: noFiles }).find((x) => x.code === 'require-healthcheck' && none.split('\n')[x.range.start.line].includes(`${svc}:`));
        assert.ok(f);
        assert.deepEqual(fixesFor(f, none, 'compose', { ignore: false }), [], svc);
      }
      const pg = 'services:\n  db:\n    image: postgres:16\n';
      const { fix, text } = applyFix('compose', pg, 'require-healthcheck', 'add-compose-healthcheck');
      assert.equal(fix.safety, 'review');
      assert.equal(text, 'services:\n  db:\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER:-postgres}"]\n      interval: 10s\n      timeout: 5s\n      retries: 5\n    image: postgres:16\n');
      assertValid(text, ['db']);
    });

    it('never adds service_healthy unseen, and rewrites block lists, flow lists and the long form when asked', () => {
      const hc = '    healthcheck:\n      test: ["CMD", "true"]\n';
      const block = `services:\n  web:\n    image: nginx:1.27\n    depends_on:\n      - db\n      - cache\n  db:\n    image: postgres:16\n${hc}  cache:\n    image: redis:7\n`;
      assert.equal(fixAllOf('compose', block).text, block);
      const a = applyFix('compose', block, 'depends-on-healthy', 'wait-for-healthy');
      assert.match(a.fix.title, /^Wait for db to be healthy — compose up then waits/);
      assert.equal(a.text, block.replace('      - db\n      - cache', '      db:\n        condition: service_healthy\n      cache:\n        condition: service_started'));
      assertValid(a.text, ['web', 'db', 'cache']);
      const flowList = block.replace('depends_on:\n      - db\n      - cache', 'depends_on: [db, cache]');
      const b = applyFix('compose', flowList, 'depends-on-healthy', 'wait-for-healthy');
      assert.ok(b.text.includes('depends_on: {db: {condition: service_healthy}, cache: {condition: service_started}}'), b.text);
      assertValid(b.text, ['web', 'db', 'cache']);
      const noCondition = block.replace('      - db\n      - cache', '      db:\n        restart: true\n      cache:\n        condition: service_started');
      const d = applyFix('compose', noCondition, 'depends-on-healthy', 'wait-for-healthy');
      assert.ok(d.text.includes('      db:\n        condition: service_healthy\n        restart: true\n'), d.text);
      assertValid(d.text, ['web', 'db', 'cache']);
    });
  });

  it('binds published ports to 127.0.0.1 as a suggestion, in every syntax', () => {
    const text = 'services:\n  db:\n    image: postgres:16\n    ports:\n      - 5432\n      - "0.0.0.0:6379:6379"\n      - target: 3306\n        published: 3306\n';
    const seen: string[] = [];
    for (const f of lint({ text, kind: 'compose', host: noFiles }).filter((x) => x.code === 'no-public-admin-port')) {
      const [fix] = fixesFor(f, text, 'compose', { ignore: false });
      assert.equal(fix.safety, 'review');
      const after = applyEdits(text, fix.edits);
      assertValid(after, ['db']);
      assert.ok(!lint({ text: after, kind: 'compose', host: noFiles }).some((x) => x.code === 'no-public-admin-port' && x.range.start.line === f.range.start.line && x.range.start.character === f.range.start.character));
      seen.push(after.split('\n').slice(4).join('|'));
    }
    assert.deepEqual(seen, [
      '      - "127.0.0.1::5432"|      - "0.0.0.0:6379:6379"|      - target: 3306|        published: 3306|',
      '      - 5432|      - "127.0.0.1:6379:6379"|      - target: 3306|        published: 3306|',
      '      - 5432|      - "0.0.0.0:6379:6379"|      - host_ip: 127.0.0.1|        target: 3306|        published: 3306|',
    ]);
  });

  it('writes CRLF where the file has CRLF', () => {
    const text = 'services:\r\n  web:\r\n    image: nginx:1.27\r\n';
    const { text: after } = applyFix('compose', text, 'require-restart-policy', 'add-restart-policy');
    assert.equal(after, 'services:\r\n  web:\r\n    restart: unless-stopped\r\n    image: nginx:1.27\r\n');
  });
});
