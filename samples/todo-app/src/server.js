// A todo list over HTTP: GET /todos, POST /todos {"title"}, GET /healthz. Data lives in PostgreSQL.
const http = require('node:http');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const port = Number(process.env.PORT || 3000);

async function migrate() {
  await pool.query('CREATE TABLE IF NOT EXISTS todos (id SERIAL PRIMARY KEY, title TEXT NOT NULL, done BOOLEAN DEFAULT false)');
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.url === '/healthz') {
      await pool.query('SELECT 1');
      return send(res, 200, { ok: true });
    }
    if (req.url === '/todos' && req.method === 'GET') {
      const { rows } = await pool.query('SELECT id, title, done FROM todos ORDER BY id');
      return send(res, 200, rows);
    }
    if (req.url === '/todos' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const { title } = JSON.parse(body || '{}');
      if (!title) return send(res, 400, { error: 'title is required' });
      const { rows } = await pool.query('INSERT INTO todos (title) VALUES ($1) RETURNING id, title, done', [title]);
      return send(res, 201, rows[0]);
    }
    send(res, 404, { error: 'not found' });
  } catch (e) {
    send(res, 500, { error: e.message });
  }
});

migrate()
  .then(() => server.listen(port, () => console.log(`todo app listening on ${port}`)))
  .catch((e) => {
    console.error('cannot reach the database:', e.message);
    process.exit(1);
  });
