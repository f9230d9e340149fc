// Items in a SQLite file, with Node's built-in driver (Node 22.13 or later): nothing to install.
const fs = require('node:fs');
const path = require('node:path');

const DEFAULT_LOCATION = '/etc/todos/todo.db';

function open(location = process.env.SQLITE_DB_LOCATION || DEFAULT_LOCATION) {
  const { DatabaseSync } = require('node:sqlite');
  try {
    fs.mkdirSync(path.dirname(location), { recursive: true });
    fs.accessSync(path.dirname(location), fs.constants.W_OK);
  } catch (e) {
    const user = require('node:os').userInfo().username;
    throw new Error(
      `${e.message}. The app runs as user ${user}, who cannot write to ${path.dirname(location)}: ` +
        `create that folder for ${user} in the Dockerfile (RUN mkdir -p ${path.dirname(location)} && chown ${user} ${path.dirname(location)}, before USER), ` +
        'or set SQLITE_DB_LOCATION to a file in a folder the user can write.',
    );
  }
  const db = new DatabaseSync(location);
  db.exec(`CREATE TABLE IF NOT EXISTS todo_items (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    completed INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  )`);
  console.log(`Using the SQLite database at ${location}`);

  const row = (r) => r && { id: r.id, name: r.name, completed: r.completed === 1, createdAt: new Date(Number(r.created_at)).toISOString() };

  return {
    type: 'sqlite',
    async list() {
      return db.prepare('SELECT * FROM todo_items ORDER BY created_at, id').all().map(row);
    },
    async get(id) {
      return row(db.prepare('SELECT * FROM todo_items WHERE id = ?').get(id));
    },
    async add(item) {
      db.prepare('INSERT INTO todo_items (id, name, completed, created_at) VALUES (?, ?, ?, ?)').run(item.id, item.name, item.completed ? 1 : 0, Date.parse(item.createdAt));
    },
    async update(id, { name, completed }) {
      db.prepare('UPDATE todo_items SET name = ?, completed = ? WHERE id = ?').run(name, completed ? 1 : 0, id);
    },
    async remove(id) {
      return db.prepare('DELETE FROM todo_items WHERE id = ?').run(id).changes > 0;
    },
    async health() {
      const r = db.prepare('SELECT COUNT(*) AS count, MIN(created_at) AS oldest, MAX(created_at) AS newest FROM todo_items').get();
      return { db: { type: 'sqlite', ok: true, file: location }, items: summary(r) };
    },
    async close() {
      db.close();
    },
  };
}

function summary(r) {
  const iso = (ms) => (ms == null ? null : new Date(Number(ms)).toISOString());
  return { count: Number(r.count), oldestCreatedAt: iso(r.oldest), newestCreatedAt: iso(r.newest) };
}

module.exports = { open, summary, DEFAULT_LOCATION };
