import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage } from '../../src/docker/build';
import { startTestDaemon, TestDaemon } from '../support/testDaemon';

describe('building an image through the daemon API', function () {
  this.timeout(120_000);
  let d: TestDaemon;
  let dir: string;

  before(async () => {
    d = await startTestDaemon();
  });

  after(async () => {
    await d?.stop();
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-build-'));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
  };

  it('builds the context as .dockerignore leaves it, tags the image and reports every line', async () => {
    write({
      'app.Dockerfile': `FROM ${d.seeded.busyboxImage}\nCOPY . /ctx\nRUN ls -a /ctx | sort | tr '\\n' ' ' && echo\nCMD ["sh"]\n`,
      '.dockerignore': 'secret.env\nnode_modules\n',
      'secret.env': 'PASSWORD=hunter2',
      'node_modules/dep.js': 'x',
      'app.js': 'console.log(1)',
    });
    const lines: string[] = [];
    const out = await buildImage(d.docker, { contextDir: dir, dockerfilePath: path.join(dir, 'app.Dockerfile'), tag: 'dockwise-test/built:1.0', onLine: (l) => lines.push(l) });
    assert.ok(out.ok, JSON.stringify(out));
    assert.equal(out.steps, 4);
    assert.equal(out.context.files, 3);
    const listing = lines.find((l) => l.includes('app.Dockerfile'));
    assert.equal(listing?.trim(), '. .. .dockerignore app.Dockerfile app.js', lines.join('\n'));
    const img = await d.docker.getImage('dockwise-test/built:1.0').inspect();
    assert.equal(img.Id, out.imageId);
  });

  it('names the step that failed and what it printed last', async () => {
    write({ Dockerfile: `FROM ${d.seeded.busyboxImage}\nRUN echo fine\nRUN echo "about to fail" && sleep 0.5 && echo "on stderr" >&2 && exit 3\nCMD ["sh"]\n` });
    const out = await buildImage(d.docker, { contextDir: dir, dockerfilePath: path.join(dir, 'Dockerfile'), tag: 'dockwise-test/broken:1.0' });
    assert.equal(out.ok, false);
    if (out.ok) return;
    assert.equal(out.cancelled, false);
    assert.deepEqual(out.step, { index: 3, total: 4, instruction: 'RUN echo "about to fail" && sleep 0.5 && echo "on stderr" >&2 && exit 3' });
    assert.match(out.error, /returned a non-zero code: 3/);
    // stderr arrives in terminal colours; the lines keep only the text.
    assert.deepEqual(out.lastLines, ['about to fail', 'on stderr']);
    await assert.rejects(d.docker.getImage('dockwise-test/broken:1.0').inspect(), 'no image is tagged');
  });

  it('stops a build when cancelled, leaving no container behind', async () => {
    write({ Dockerfile: `FROM ${d.seeded.busyboxImage}\nRUN sleep 60\n` });
    const abort = new AbortController();
    const started = Date.now();
    const pending = buildImage(d.docker, {
      contextDir: dir,
      dockerfilePath: path.join(dir, 'Dockerfile'),
      tag: 'dockwise-test/slow:1.0',
      signal: abort.signal,
      onStep: (s) => s.index === 2 && setTimeout(() => abort.abort(), 1000),
    });
    const out = await pending;
    assert.equal(out.ok, false);
    assert.equal(!out.ok && out.cancelled, true);
    assert.ok(Date.now() - started < 30_000, 'well before the 60 s step would have ended');
    // The daemon removes the build's container once it notices the client left.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const running = await d.docker.listContainers({ all: true, filters: JSON.stringify({ status: ['running', 'created'] }) });
      const leftovers = running.filter((c) => /sleep 60/.test(c.Command));
      if (!leftovers.length) break;
      if (Date.now() > deadline) assert.fail(`a build container is left: ${leftovers.map((c) => c.Id).join(', ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it('reports a Dockerfile the builder cannot parse with the line it names', async () => {
    write({ Dockerfile: `FROM ${d.seeded.busyboxImage}\nNOPE this\n` });
    const out = await buildImage(d.docker, { contextDir: dir, dockerfilePath: path.join(dir, 'Dockerfile'), tag: 'dockwise-test/unparsable:1.0' });
    assert.equal(out.ok, false);
    assert.match(!out.ok ? out.error : '', /line 2/i);
  });
});
