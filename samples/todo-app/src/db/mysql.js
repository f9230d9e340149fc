// Items in MySQL. The database may start after the app (or restart under it), so the app waits for it, retrying,
// instead of exiting: until MySQL answers, the API says so with a 503 and /health reports what went wrong.
const mysql = require('mysql2/promise');
const { summary } = require('./sqlite');

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5000;
const QUERY_TIMEOUT_MS = 3000;

class NotReady extends Error {
  constructor(message) {
    super(message);
    this.status = 503;
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function open(config) {
  const target = `${config.host}:${config.port}`;
  const pool = mysql.createPool({
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    connectTimeout: QUERY_TIMEOUT_MS,
    connectionLimit: 5,
    charset: 'utf8mb4',
  });
  let ready = false;
  let closed = false;
  let lastError = 'not connected yet';
  let attempts = 0;
  let retryTimer;
  let wake = () => {};

  async function connect() {
    while (!closed && !ready) {
      attempts += 1;
      try {
        await withTimeout(
          pool.query(`CREATE TABLE IF NOT EXISTS todo_items (
            id VARCHAR(36) PRIMARY KEY,
            name VARCHAR(255) NOT NULL,
            completed BOOLEAN NOT NULL DEFAULT FALSE,
            created_at BIGINT NOT NULL
          ) DEFAULT CHARSET utf8mb4`),
          QUERY_TIMEOUT_MS,
          `MySQL at ${target}`,
        );
        ready = true;
        console.log(`Connected to MySQL at ${target}, database ${config.database}`);
      } catch (e) {
        lastError = `${e.code ? `${e.code}: ` : ''}${e.message}`;
        const wait = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(attempts - 1, 4));
        console.log(`Waiting for MySQL at ${target} (attempt ${attempts}): ${lastError}; retrying in ${wait / 1000} s`);
        await new Promise((resolve) => {
          wake = resolve;
          retryTimer = setTimeout(resolve, wait);
        });
      }
    }
  }
  const connecting = connect();

  async function query(sql, params) {
    if (!ready) throw new NotReady(`Waiting for MySQL at ${target} (attempt ${attempts}): ${lastError}`);
    const [rows] = await withTimeout(pool.query(sql, params), QUERY_TIMEOUT_MS, `MySQL at ${target}`);
    return rows;
  }

  const row = (r) => r && { id: r.id, name: r.name, completed: !!r.completed, createdAt: new Date(Number(r.created_at)).toISOString() };

  return {
    type: 'mysql',
    async list() {
      return (await query('SELECT * FROM todo_items ORDER BY created_at, id')).map(row);
    },
    async get(id) {
      return row((await query('SELECT * FROM todo_items WHERE id = ?', [id]))[0]);
    },
    async add(item) {
      await query('INSERT INTO todo_items (id, name, completed, created_at) VALUES (?, ?, ?, ?)', [item.id, item.name, item.completed, Date.parse(item.createdAt)]);
    },
    async update(id, { name, completed }) {
      await query('UPDATE todo_items SET name = ?, completed = ? WHERE id = ?', [name, completed, id]);
    },
    async remove(id) {
      return (await query('DELETE FROM todo_items WHERE id = ?', [id])).affectedRows > 0;
    },
    async health() {
      const db = { type: 'mysql', ok: false, host: config.host, port: config.port, database: config.database };
      if (!ready) return { db: { ...db, error: `Waiting for MySQL at ${target} (attempt ${attempts}): ${lastError}` } };
      let conn;
      try {
        conn = await withTimeout(pool.getConnection(), QUERY_TIMEOUT_MS, `MySQL at ${target}`);
        // Where the connection went: the server's address, and the host name the server reports (a container's
        // host name is its short id), so "which MySQL did the app reach" has an answer.
        const address = conn.connection.stream.remoteAddress;
        const [[server]] = await withTimeout(conn.query('SELECT @@hostname AS hostname, VERSION() AS version'), QUERY_TIMEOUT_MS, `MySQL at ${target}`);
        const [[counts]] = await withTimeout(
          conn.query('SELECT COUNT(*) AS count, MIN(created_at) AS oldest, MAX(created_at) AS newest FROM todo_items'),
          QUERY_TIMEOUT_MS,
          `MySQL at ${target}`,
        );
        return {
          db: { ...db, ok: true, address, serverHostname: server.hostname, serverVersion: server.version },
          items: summary(counts),
        };
      } catch (e) {
        return { db: { ...db, error: `${e.code ? `${e.code}: ` : ''}${e.message}` } };
      } finally {
        conn?.release();
      }
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      wake();
      await connecting;
      await pool.end();
    },
  };
}

module.exports = { open, NotReady };
