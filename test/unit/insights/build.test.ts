import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tarStream from 'tar-stream';
import { BuildStreamReader, ContextScan, packContext, scanContext } from '../../../src/docker/build';
import { contextAdvice, defaultTag, parseErrorLine, stepRange, tagProblem } from '../../../src/insights/buildReport';

const roots: string[] = [];

function tree(files: Record<string, string | { link: string }>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-ctx-'));
  roots.push(root);
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(root, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(p, content);
    else fs.symlinkSync(content.link, p);
  }
  return root;
}

async function tarNames(scan: ContextScan): Promise<Map<string, { type: string; uid: number; linkname?: string | null }>> {
  const extract = tarStream.extract();
  const names = new Map<string, { type: string; uid: number; linkname?: string | null }>();
  extract.on('entry', (header, stream, next) => {
    names.set(header.name.replace(/\/$/, ''), { type: header.type ?? 'file', uid: header.uid ?? -1, linkname: header.linkname });
    stream.on('end', next);
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    packContext(scan).pipe(extract);
  });
  return names;
}

describe('building from the editor', () => {
  after(() => {
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });

  describe('the build context', () => {
    it('leaves out what .dockerignore excludes, brings back ! patterns, and always sends the Dockerfile and .dockerignore', async () => {
      const root = tree({
        Dockerfile: 'FROM busybox\nCOPY . /app\n',
        '.dockerignore': '# build output and secrets\nnode_modules\n*.log\n!keep.log\nsecret*\nDockerfile\n.dockerignore\n!node_modules/keep.js\n',
        'app.js': 'console.log(1)\n',
        'keep.log': 'k',
        'debug.log': 'd',
        'secret.env': 'PASSWORD=x',
        'node_modules/dep/index.js': 'x'.repeat(1000),
        'node_modules/keep.js': 'kept',
        'src/a.js': 'a',
        'src/deep/b.log': 'sub-folder logs are not matched by *.log',
      });
      const scan = await scanContext(root, path.join(root, 'Dockerfile'));
      assert.equal(scan.dockerfile, 'Dockerfile');
      assert.equal(scan.ignoreFile, '.dockerignore');
      const names = await tarNames(scan);
      const files = [...names].filter(([, v]) => v.type === 'file').map(([k]) => k).sort();
      assert.deepEqual(files, ['.dockerignore', 'Dockerfile', 'app.js', 'keep.log', 'node_modules/keep.js', 'src/a.js', 'src/deep/b.log']);
      assert.equal(scan.files, files.length);
      assert.equal(scan.bytes, files.reduce((n, f) => n + fs.statSync(path.join(root, f)).size, 0));
      assert.ok([...names.values()].every((v) => v.uid === 0), 'owned by root, as the docker CLI sends it');
    });

    it('prefers <Dockerfile>.dockerignore beside the Dockerfile, and sends a Dockerfile in a sub-folder by its relative path', async () => {
      const root = tree({ 'docker/app.Dockerfile': 'FROM busybox\n', 'docker/app.Dockerfile.dockerignore': 'big\n', '.dockerignore': 'small\n', big: 'b', small: 's' });
      const scan = await scanContext(root, path.join(root, 'docker', 'app.Dockerfile'));
      assert.equal(scan.dockerfile, 'docker/app.Dockerfile');
      assert.equal(scan.ignoreFile, 'docker/app.Dockerfile.dockerignore');
      assert.ok(scan.entries.has('small') && !scan.entries.has('big'));
      await assert.rejects(scanContext(path.join(root, 'docker'), path.join(root, 'Dockerfile')), /outside the build context/);
    });

    it('sends symbolic links as links, never what they point to', async () => {
      const outside = tree({ 'secret.txt': 'not yours' });
      const root = tree({ Dockerfile: 'FROM busybox\n', 'link.txt': { link: path.join(outside, 'secret.txt') }, 'dirlink': { link: outside } });
      const scan = await scanContext(root, path.join(root, 'Dockerfile'));
      const names = await tarNames(scan);
      assert.equal(names.get('link.txt')?.type, 'symlink');
      assert.equal(names.get('dirlink')?.type, 'symlink');
      assert.ok(![...names.keys()].some((n) => n.includes('secret')), [...names.keys()].join(', '));
    });

    it('teaches when the context holds folders an image rarely needs, or is large', async () => {
      const root = tree({ Dockerfile: 'FROM busybox\n', 'node_modules/x/index.js': 'x'.repeat(5000), '.git/HEAD': 'ref', 'app.js': 'a' });
      const advice = contextAdvice(await scanContext(root, path.join(root, 'Dockerfile')));
      assert.match(advice.summary, /^5\.\d kB in 4 files \(no \.dockerignore\)$/);
      assert.match(advice.warning ?? '', /holds node_modules\/ \(5\.0 kB\), \.git\/ \(3 B\).*Add them to \.dockerignore/);
      fs.writeFileSync(path.join(root, '.dockerignore'), 'node_modules\n.git\n');
      const clean = contextAdvice(await scanContext(root, path.join(root, 'Dockerfile')));
      assert.equal(clean.warning, undefined);
      assert.match(clean.summary, /\(\.dockerignore applied\)$/);
      const big: ContextScan = { root, dockerfile: 'Dockerfile', files: 2, bytes: 250e6, entries: new Set(), topLevel: [{ name: 'data', bytes: 249e6, directory: true }, { name: 'Dockerfile', bytes: 20, directory: false }] };
      assert.match(contextAdvice(big).warning ?? '', /250 MB \(largest: data\/ 249 MB, Dockerfile 20 B\)/);
    });
  });

  describe('the build stream', () => {
    it('follows steps across chunks that split lines, and keeps what the failing step printed last', () => {
      const lines: string[] = [];
      const steps: number[] = [];
      const r = new BuildStreamReader({ onLine: (l) => lines.push(l), onStep: (s) => steps.push(s.index) });
      r.accept({ stream: 'Step 1/3 : FROM busybox\n' });
      r.accept({ stream: ' ---> 1234\nStep 2/3 : RUN echo one && ' });
      r.accept({ stream: 'echo two\n ---> Running in abc\n' });
      r.accept({ stream: 'about to fail\nprogress 10%\rprogress 100%\n' });
      r.accept({ errorDetail: { code: 3, message: "The command '/bin/sh -c echo one && echo two' returned a non-zero code: 3" }, error: 'x' });
      r.flush();
      assert.deepEqual(steps, [1, 2]);
      assert.deepEqual(r.step, { index: 2, total: 3, instruction: 'RUN echo one && echo two' });
      assert.deepEqual(r.lastLines, ['about to fail', 'progress 100%']);
      assert.match(r.error ?? '', /returned a non-zero code: 3/);
      assert.ok(lines.includes('Step 2/3 : RUN echo one && echo two'));
      assert.equal(r.imageId, undefined);
    });

    it('logs a base image pull by its steps, not by every progress update', () => {
      const lines: string[] = [];
      const r = new BuildStreamReader({ onLine: (l) => lines.push(l) });
      r.accept({ stream: 'Step 1/2 : FROM alpine:3.20\n' });
      r.accept({ status: 'Pulling from library/alpine', id: '3.20' });
      for (let k = 1; k <= 50; k++) r.accept({ status: 'Downloading', id: 'a1b2', progress: `[=> ] ${k}MB/50MB`, progressDetail: { current: k, total: 50 } });
      r.accept({ status: 'Pull complete', id: 'a1b2', progressDetail: {} });
      assert.deepEqual(lines, ['Step 1/2 : FROM alpine:3.20', '3.20: Pulling from library/alpine', 'a1b2: Pull complete']);
    });

    it('takes the image ID from the aux message of a passing build', () => {
      const r = new BuildStreamReader();
      r.accept({ stream: 'Step 1/1 : FROM busybox\n' });
      r.accept({ aux: { ID: 'sha256:abc' } });
      r.accept({ stream: 'Successfully built abc\n' });
      assert.equal(r.imageId, 'sha256:abc');
      assert.equal(r.error, undefined);
    });
  });

  describe('the failed line', () => {
    it('counts steps as the classic builder does: ARGs before FROM and every stage', () => {
      const text = 'ARG BASE=busybox\n# a comment\nFROM ${BASE} AS build\nRUN echo \\\n  two-line\nFROM busybox\nCOPY --from=build /x /x\nRUN exit 3\n';
      assert.equal(stepRange(text, { index: 1, instruction: 'ARG BASE=busybox' })?.start.line, 0);
      assert.equal(stepRange(text, { index: 3, instruction: 'RUN echo   two-line' })?.start.line, 3);
      assert.equal(stepRange(text, { index: 3, instruction: 'RUN echo   two-line' })?.end.line, 4);
      assert.equal(stepRange(text, { index: 6, instruction: 'RUN exit 3' })?.start.line, 7);
    });

    it('never puts a failure on an instruction of another kind when the file changed since', () => {
      const text = 'FROM busybox\nRUN exit 3\n';
      assert.equal(stepRange(text, { index: 1, instruction: 'RUN exit 3' })?.start.line, 1, 'found by its text');
      assert.equal(stepRange(text, { index: 2, instruction: 'COPY a /a' }), undefined);
    });

    it('reads the line of a parse error the builder reports before any step', () => {
      assert.equal(parseErrorLine('dockerfile parse error line 3: unknown instruction: FOO'), 2);
      assert.equal(parseErrorLine('Dockerfile parse error on line 7: ...'), 6);
      assert.equal(parseErrorLine('no such image'), undefined);
    });
  });

  describe('the tag', () => {
    it('offers the folder name, with the Dockerfile variant', () => {
      assert.equal(defaultTag('/home/me/Todo App/Dockerfile'), 'todo-app:latest');
      assert.equal(defaultTag('/home/me/todo-app/Dockerfile.dev'), 'todo-app-dev:latest');
      assert.equal(defaultTag('/home/me/svc/api.Dockerfile'), 'svc-api:latest');
      assert.equal(defaultTag('C:\\work\\__Web__\\Dockerfile'), 'web:latest');
      assert.equal(tagProblem(defaultTag('/x/ü/Dockerfile')), undefined);
    });

    it('accepts what Docker accepts and says what is wrong otherwise', () => {
      for (const ok of ['app', 'app:1.0', 'team/app:v1_2-rc.3', 'localhost:5000/app:1', 'registry.example.com/a/b:latest', 'a__b', 'a-b--c']) assert.equal(tagProblem(ok), undefined, ok);
      for (const bad of ['', 'App:1', 'app:', 'app:-x', '-app', 'app@sha256:abc', 'a b', 'app;rm -rf /', 'app:1:2', '$(id)']) assert.ok(tagProblem(bad), bad);
    });
  });
});
