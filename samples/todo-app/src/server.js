// The todo app: a page to add, tick and delete items (/), a JSON API (/api/items) and a health route (/health).
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const db = require('./db');

const PORT = Number(process.env.PORT || 3000);
const MAX_BODY_BYTES = 16 * 1024;
const STATIC_DIR = path.join(__dirname, 'static');
const STATIC_TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const startedAt = new Date().toISOString();

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

async function readJson(req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'The request body is too large');
    chunks.push(chunk);
  }
  try {
    return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
  } catch {
    throw new HttpError(400, 'The request body is not JSON');
  }
}

function itemName(value) {
  if (typeof value !== 'string' || !value.trim()) throw new HttpError(400, 'An item needs a "name"');
  if (value.length > 255) throw new HttpError(400, 'An item\'s name is at most 255 characters');
  return value.trim();
}

function serveStatic(res, urlPath) {
  const file = urlPath === '/' ? 'index.html' : urlPath.slice(1);
  if (!/^[a-z]+\.(html|js|css)$/.test(file)) return false;
  let body;
  try {
    body = fs.readFileSync(path.join(STATIC_DIR, file));
  } catch {
    return false;
  }
  res.writeHead(200, { 'content-type': STATIC_TYPES[path.extname(file)] });
  res.end(body);
  return true;
}

function createServer(store) {
  return http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const itemId = /^\/api\/items\/([\w-]{1,64})$/.exec(url.pathname)?.[1];
    try {
      if (url.pathname === '/health' && req.method === 'GET') {
        const report = await health(store);
        return send(res, report.status === 'ok' ? 200 : 503, report);
      }
      if (url.pathname === '/api/items' && req.method === 'GET') return send(res, 200, await store.list());
      if (url.pathname === '/api/items' && req.method === 'POST') {
        const body = await readJson(req);
        const item = { id: crypto.randomUUID(), name: itemName(body.name), completed: false, createdAt: new Date().toISOString() };
        await store.add(item);
        return send(res, 201, item);
      }
      if (itemId && req.method === 'PUT') {
        const body = await readJson(req);
        const item = await store.get(itemId);
        if (!item) throw new HttpError(404, 'No such item');
        const next = { name: body.name === undefined ? item.name : itemName(body.name), completed: body.completed === undefined ? item.completed : body.completed === true };
        await store.update(itemId, next);
        return send(res, 200, { ...item, ...next });
      }
      if (itemId && req.method === 'DELETE') {
        if (!(await store.remove(itemId))) throw new HttpError(404, 'No such item');
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'GET' && serveStatic(res, url.pathname)) return;
      throw new HttpError(404, 'Not found');
    } catch (e) {
      const status = e.status ?? 500;
      if (status === 500) console.error(`${req.method} ${url.pathname}: ${e.stack ?? e}`);
      send(res, status, { error: e.message });
    }
  });
}

/** What /health reports: whether the database answers, which one it is, and a summary of the items it holds. */
async function health(store) {
  let report;
  try {
    report = await store.health();
  } catch (e) {
    report = { db: { type: store.type, ok: false, error: e.message } };
  }
  return { app: 'todo-app', status: report.db.ok ? 'ok' : 'unavailable', startedAt, ...report };
}

function main() {
  let store;
  try {
    store = db.open();
  } catch (e) {
    console.error(`Cannot open the database: ${e.message}`);
    process.exit(1);
  }
  const server = createServer(store);
  server.listen(PORT, () => console.log(`The todo app listens on port ${PORT}`));

  // `docker stop` sends SIGTERM: finish the requests in flight, close the database, exit 0.
  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: shutting down`);
    server.close();
    server.closeIdleConnections();
    store.close().then(
      () => process.exit(0),
      (e) => {
        console.error(`Closing the database failed: ${e.message}`);
        process.exit(1);
      },
    );
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (require.main === module) main();

module.exports = { createServer, health };
