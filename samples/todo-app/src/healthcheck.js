// A probe for HEALTHCHECK and `docker exec`: asks the running app's /health, prints the answer, and exits 0 when the
// app and its database answer, 1 otherwise. Node images have no curl or wget, so the probe is Node too.
const http = require('node:http');

const port = Number(process.env.PORT || 3000);
const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 4000 }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => (body += chunk));
  res.on('end', () => {
    console.log(body);
    process.exit(res.statusCode === 200 ? 0 : 1);
  });
});
req.on('timeout', () => req.destroy(new Error(`no answer on port ${port} within 4 s`)));
req.on('error', (e) => {
  console.log(JSON.stringify({ status: 'unreachable', error: e.message }));
  process.exit(1);
});
