/**
 * The sample todo app itself, run with Node 22 on this machine: its page and API, SQLite persistence across restarts,
 * the health route, a clean exit on SIGTERM, clear errors for bad configuration, and MySQL that answers late.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, http, runAppToExit, sampleCopy, startApp, startHostMariadb, waitFor } from '../../support/sampleApp';

describe('The sample todo app', function () {
  this.timeout(90_000);
  let dir: string;
  let data: string;

  before(() => {
    dir = sampleCopy();
    data = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-data-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(data, { recursive: true, force: true });
  });

  describe('with SQLite', () => {
    it('serves a page to add, tick and delete items', async () => {
      const app = await startApp(dir, { SQLITE_DB_LOCATION: path.join(data, 'page.db') });
      try {
        const page = await http('GET', app.url('/'));
        assert.equal(page.status, 200);
        assert.match(page.type, /text\/html/);
        assert.match(page.body, /<form id="add">/);
        assert.match(page.body, /<script src="app.js">/);
        const script = await http('GET', app.url('/app.js'));
        assert.equal(script.status, 200);
        assert.match(script.type, /javascript/);
        for (const call of ["'POST', '/api/items'", "'PUT', `/api/items/${item.id}`", "'DELETE', `/api/items/${item.id}`"]) assert.ok(script.body.includes(call), call);
        assert.equal((await http('GET', app.url('/style.css'))).status, 200);
        assert.equal((await http('GET', app.url('/../package.json'))).status, 404);
      } finally {
        await app.stop();
      }
    });

    it('adds, lists, ticks, renames and deletes items through the JSON API', async () => {
      const app = await startApp(dir, { SQLITE_DB_LOCATION: path.join(data, 'api.db') });
      try {
        assert.deepEqual((await http('GET', app.url('/api/items'))).body, []);
        const added = await http('POST', app.url('/api/items'), { name: '  Buy milk ' });
        assert.equal(added.status, 201);
        assert.equal(added.body.name, 'Buy milk');
        assert.equal(added.body.completed, false);
        assert.match(added.body.id, /^[0-9a-f-]{36}$/);
        assert.ok(Math.abs(Date.parse(added.body.createdAt) - Date.now()) < 10_000);
        await http('POST', app.url('/api/items'), { name: 'Water the plants' });

        const ticked = await http('PUT', app.url(`/api/items/${added.body.id}`), { completed: true });
        assert.equal(ticked.status, 200);
        assert.equal(ticked.body.completed, true);
        assert.equal((await http('PUT', app.url(`/api/items/${added.body.id}`), { name: 'Buy oat milk' })).body.name, 'Buy oat milk');
        const list = (await http('GET', app.url('/api/items'))).body;
        assert.deepEqual(list.map((i: { name: string; completed: boolean }) => [i.name, i.completed]), [['Buy oat milk', true], ['Water the plants', false]]);

        assert.equal((await http('DELETE', app.url(`/api/items/${added.body.id}`))).status, 204);
        assert.equal((await http('DELETE', app.url(`/api/items/${added.body.id}`))).status, 404);
        assert.equal((await http('PUT', app.url('/api/items/nope'), { completed: true })).status, 404);
        assert.deepEqual((await http('GET', app.url('/api/items'))).body.map((i: { name: string }) => i.name), ['Water the plants']);
      } finally {
        await app.stop();
      }
    });

    it('answers bad requests with 400 and a message, not a crash', async () => {
      const app = await startApp(dir, { SQLITE_DB_LOCATION: path.join(data, 'bad.db') });
      try {
        for (const body of [{}, { name: '' }, { name: '   ' }, { name: 42 }, { name: 'x'.repeat(256) }]) {
          const r = await http('POST', app.url('/api/items'), body);
          assert.equal(r.status, 400, JSON.stringify(body));
          assert.match(r.body.error, /name/);
        }
        const notJson = await http('POST', app.url('/api/items'), '{"name": ');
        assert.equal(notJson.status, 400);
        assert.match(notJson.body.error, /not JSON/);
        const huge = await http('POST', app.url('/api/items'), JSON.stringify({ name: 'x'.repeat(20_000) }));
        assert.equal(huge.status, 413);
        assert.equal((await http('GET', app.url('/health'))).status, 200, 'still up');
      } finally {
        await app.stop();
      }
    });

    it('keeps its items in the SQLite file across a restart, and its health route says so', async () => {
      const file = path.join(data, 'nested', 'todo.db');
      const first = await startApp(dir, { SQLITE_DB_LOCATION: file });
      const added = (await http('POST', first.url('/api/items'), { name: 'Survive a restart' })).body;
      assert.equal(await first.stop(), 0, 'SIGTERM ends it cleanly');
      assert.ok(fs.existsSync(file), 'the folder was created and the file written');

      const second = await startApp(dir, { SQLITE_DB_LOCATION: file });
      try {
        const items = (await http('GET', second.url('/api/items'))).body;
        assert.deepEqual(items.map((i: { id: string }) => i.id), [added.id]);
        const health = await http('GET', second.url('/health'));
        assert.equal(health.status, 200);
        assert.equal(health.body.app, 'todo-app');
        assert.equal(health.body.status, 'ok');
        assert.deepEqual(health.body.db, { type: 'sqlite', ok: true, file });
        assert.deepEqual(health.body.items, { count: 1, oldestCreatedAt: added.createdAt, newestCreatedAt: added.createdAt });
        assert.ok(Date.parse(health.body.startedAt) > Date.parse(added.createdAt), 'the item is older than the running process');
      } finally {
        await second.stop();
      }
    });

    it('stops within a second of SIGTERM, exiting 0', async () => {
      const app = await startApp(dir, { SQLITE_DB_LOCATION: path.join(data, 'stop.db') });
      const started = Date.now();
      assert.equal(await app.stop(), 0);
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
      assert.match(app.output(), /SIGTERM received: shutting down/);
    });

    it('uses /etc/todos/todo.db unless told otherwise', () => {
      const source = fs.readFileSync(path.join(dir, 'src', 'db', 'sqlite.js'), 'utf8');
      assert.match(source, /const DEFAULT_LOCATION = '\/etc\/todos\/todo\.db';/);
      assert.match(source, /process\.env\.SQLITE_DB_LOCATION \|\| DEFAULT_LOCATION/);
    });
  });

  describe('with MySQL', () => {
    it('refuses a half-configured MySQL with the variables that are missing', async () => {
      const r = await runAppToExit(dir, { MYSQL_HOST: 'mysql', MYSQL_USER: 'todo' });
      assert.equal(r.code, 1);
      assert.match(r.output, /missing: MYSQL_PASSWORD, MYSQL_DB/);
      const unreadable = await runAppToExit(dir, { MYSQL_HOST: 'mysql', MYSQL_USER: 'todo', MYSQL_PASSWORD_FILE: path.join(data, 'nope.txt'), MYSQL_DB: 'todos' });
      assert.equal(unreadable.code, 1);
      assert.match(unreadable.output, /Cannot read MYSQL_PASSWORD_FILE .*nope\.txt/);
    });

    it('waits for a MySQL that starts after it, then stores items there (password from a file)', async () => {
      const port = await freePort();
      const passwordFile = path.join(data, 'db_password.txt');
      fs.writeFileSync(passwordFile, 'to-do pass\'word\n');
      const app = await startApp(dir, { MYSQL_HOST: '127.0.0.1', MYSQL_PORT: String(port), MYSQL_USER: 'todo', MYSQL_PASSWORD_FILE: passwordFile, MYSQL_DB: 'todos' });
      let mysql: Awaited<ReturnType<typeof startHostMariadb>> | undefined;
      try {
        const waiting = await http('GET', app.url('/health'));
        assert.equal(waiting.status, 503);
        assert.equal(waiting.body.status, 'unavailable');
        assert.equal(waiting.body.db.type, 'mysql');
        assert.equal(waiting.body.db.ok, false);
        assert.match(waiting.body.db.error, new RegExp(`^Waiting for MySQL at 127\\.0\\.0\\.1:${port} \\(attempt \\d+\\): ECONNREFUSED`));
        const early = await http('POST', app.url('/api/items'), { name: 'Too early' });
        assert.equal(early.status, 503);
        assert.match(early.body.error, /Waiting for MySQL/);
        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(app.output().match(/Waiting for MySQL/g)?.length! >= 2, true, 'it retried');
        assert.equal(await Promise.race([app.exited, new Promise((r) => setTimeout(() => r('running'), 10))]), 'running', 'it did not exit');

        mysql = await startHostMariadb(port, { database: 'todos', user: 'todo', password: 'to-do pass\'word' });
        const healthy = await waitFor('the app to reach MySQL', async () => {
          const h = await http('GET', app.url('/health'));
          return h.status === 200 ? h.body : undefined;
        }, 30_000);
        assert.equal(healthy.db.type, 'mysql');
        assert.equal(healthy.db.host, '127.0.0.1');
        assert.equal(healthy.db.database, 'todos');
        assert.equal(healthy.db.address, '127.0.0.1');
        assert.equal(healthy.db.serverHostname, require('node:os').hostname());
        assert.match(healthy.db.serverVersion, /MariaDB/);
        assert.equal(healthy.items.count, 0);

        const added = await http('POST', app.url('/api/items'), { name: 'Stored in MySQL' });
        assert.equal(added.status, 201);
        await http('PUT', app.url(`/api/items/${added.body.id}`), { completed: true });
        assert.deepEqual((await http('GET', app.url('/api/items'))).body, [{ ...added.body, completed: true }]);
        assert.equal((await http('GET', app.url('/health'))).body.items.oldestCreatedAt, added.body.createdAt);
        assert.match(app.output(), new RegExp(`Connected to MySQL at 127\\.0\\.0\\.1:${port}, database todos`));
        assert.equal(await app.stop(), 0);
      } finally {
        await app.stop();
        await mysql?.stop();
      }
    });
  });
});
