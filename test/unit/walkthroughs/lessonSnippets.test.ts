/**
 * Every Dockerfile and compose snippet of the lessons is real: it parses, and Dockwise's own rules find no error or
 * warning in it, unless the block says which mistakes it shows on purpose; then those are exactly what they find.
 * The lessons' versions of the sample's files are the sample's files. (test/daemon/courseSnippets.test.ts builds them.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintAsync } from '../../../src/diagnostics/engine';
import type { Finding } from '../../../src/diagnostics/types';
import { COURSE_DOCKERFILE_CODES } from '../../../src/walkthroughs/dockerfileCheck';
import { SNIPPETS } from '../../../src/walkthroughs/course';
import { fencedBlocks, LessonSnippet, lessonSnippets, REPO, where } from '../../support/lessonSnippets';
import { STAND_IN_TAGS } from '../../support/standIns';

const SAMPLE = path.join(REPO, 'samples', 'todo-app');
const FIXED_FIXTURE = path.join(REPO, 'test', 'fixtures', 'course', 'fixed.Dockerfile');
const serious = (f: Finding) => f.severity === 'error' || f.severity === 'warning';
const codes = (fs: Finding[]) => [...new Set(fs.map((f) => f.code))].sort();

const snippets = lessonSnippets();
const byFile = (file: string, kind: LessonSnippet['kind']) => snippets.filter((s) => s.file === file && s.kind === kind && !s.fragment);

/** The sample as the course leaves it: its folder with the lesson's .dockerignore and fixed Dockerfile. */
function fixedSampleCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-lesson-'));
  fs.cpSync(SAMPLE, dir, { recursive: true });
  const ignore = fencedBlocks(fs.readFileSync(path.join(REPO, 'media', 'todoApp', 'copyAdd.md'), 'utf8')).find((b) => b.info === 'text');
  assert.ok(ignore, 'the COPY vs ADD lesson shows a .dockerignore');
  fs.writeFileSync(path.join(dir, '.dockerignore'), ignore.text);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), fs.readFileSync(FIXED_FIXTURE, 'utf8'));
  return dir;
}

async function lintSnippet(s: LessonSnippet, dir: string): Promise<Finding[]> {
  if (s.kind === 'compose') return lintAsync({ text: s.text, kind: 'compose', filePath: path.join(dir, 'compose.yaml') });
  if (!s.fragment) return lintAsync({ text: s.text, kind: 'dockerfile', filePath: path.join(dir, 'Dockerfile') });
  // A fragment is linted after the lines every lesson Dockerfile starts with; what is found about the whole file
  // (reported on those lines) is not the fragment's.
  const head = 'FROM node:22-bookworm-slim\nWORKDIR /app\n';
  const n = head.split('\n').length - 1;
  const findings = await lintAsync({ text: head + s.text, kind: 'dockerfile', filePath: path.join(dir, 'Dockerfile') });
  const shift = (p: Finding['range']['start']) => ({ ...p, line: p.line - n });
  return findings.filter((f) => f.range.start.line >= n).map((f) => ({ ...f, range: { start: shift(f.range.start), end: shift(f.range.end) } }));
}

describe('the lessons\' Dockerfile and compose snippets', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = fixedSampleCopy()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are found: the Dockerfile, build cache, CMD, multi-stage and compose lessons all have some', () => {
    const files = new Set(snippets.map((s) => s.file));
    for (const f of ['dockerfile.md', 'buildCache.md', 'cmdEntrypoint.md', 'multiStage.md', 'compose.md']) assert.ok(files.has(`media/todoApp/${f}`), f);
    assert.ok(snippets.filter((s) => s.kind === 'dockerfile' && !s.fragment).length >= 3);
    assert.ok(snippets.filter((s) => s.kind === 'compose').length >= 2);
  });

  it('mark themselves only with words the convention knows, and fragments are never compose files', () => {
    for (const s of snippets) {
      assert.deepEqual(s.unknown, [], where(s));
      assert.ok(!(s.kind === 'compose' && s.fragment), `${where(s)}: a compose snippet is a whole file`);
      assert.ok(!(s.fragment && s.mistakes.length), `${where(s)}: a fragment shows no mistakes`);
    }
  });

  it('have no error or warning of Dockwise\'s rules, and none of the course\'s Dockerfile findings', async () => {
    for (const s of snippets.filter((x) => !x.mistakes.length)) {
      const findings = await lintSnippet(s, dir);
      assert.deepEqual(findings.filter(serious).map((f) => `${f.code} (line ${f.range.start.line + 1}): ${f.message}`), [], where(s));
      if (s.kind === 'dockerfile') assert.deepEqual(findings.filter((f) => (COURSE_DOCKERFILE_CODES as readonly string[]).includes(f.code)).map((f) => f.code), [], where(s));
    }
  });

  it('that show mistakes on purpose show exactly the ones they name, and still parse', async () => {
    const marked = snippets.filter((s) => s.mistakes.length);
    assert.ok(marked.length >= 2);
    for (const s of marked) {
      const findings = await lintSnippet(s, dir);
      assert.deepEqual(codes(findings.filter(serious)), [...s.mistakes].sort(), where(s));
      assert.ok(!findings.some((f) => /syntax|schema|parse/.test(f.code)), `${where(s)} parses`);
    }
  });

  it('never put a "# comment" after an instruction, where it is an argument', () => {
    for (const s of snippets.filter((x) => x.kind === 'dockerfile')) {
      s.text.split('\n').forEach((line, i) => {
        if (/^\s*(#|RUN\b|$)/i.test(line)) return; // a comment line; or RUN, where the shell reads # as a comment
        assert.doesNotMatch(line, /\s#/, `${s.file}:${s.line + 1 + i}: ${line}`);
      });
    }
  });

  it('show the sample\'s first Dockerfile, compose file and .dockerignore as they are, and the fixed Dockerfile the tests use', () => {
    const [first, fixed] = byFile('media/todoApp/dockerfile.md', 'dockerfile');
    assert.deepEqual(first.mistakes.length > 0, true, 'the first Dockerfile is shown as a mistake');
    assert.equal(first.text, fs.readFileSync(path.join(SAMPLE, 'Dockerfile'), 'utf8'));
    assert.equal(fixed.mistakes.length, 0);
    assert.equal(fixed.text, fs.readFileSync(FIXED_FIXTURE, 'utf8'));
    const [firstCompose, fixedCompose] = byFile('media/todoApp/compose.md', 'compose');
    assert.ok(firstCompose.mistakes.length > 0);
    assert.equal(firstCompose.text, fs.readFileSync(path.join(SAMPLE, 'compose.yaml'), 'utf8'));
    assert.equal(fixedCompose.mistakes.length, 0);
    const ignore = fencedBlocks(fs.readFileSync(path.join(REPO, 'media', 'todoApp', 'copyAdd.md'), 'utf8')).find((b) => b.info === 'text');
    assert.equal(ignore?.text, fs.readFileSync(path.join(SAMPLE, '.dockerignore'), 'utf8'), 'the lesson shows the sample\'s .dockerignore');
    assert.match(fixedCompose.text, /^services:\n {2}app:\n[\s\S]*^ {2}mysql:\n/m, 'services app and mysql');
  });

  it('name only images the test setup has stand-ins for, as do the sample and the terminal commands', () => {
    const standIns = new Set(Object.values(STAND_IN_TAGS).flat());
    const images: [string, string][] = [];
    for (const s of snippets.filter((x) => !x.fragment)) {
      const stages = new Set<string>();
      for (const m of s.text.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/gim)) {
        if (!stages.has(m[1])) images.push([where(s), m[1]]);
        if (m[2]) stages.add(m[2]);
      }
      for (const m of s.text.matchAll(/^\s*image:\s*["']?([^\s"']+)/gm)) images.push([where(s), m[1]]);
    }
    for (const [id, cmd] of Object.entries(SNIPPETS)) {
      for (const m of cmd.matchAll(/\s((?:[a-z0-9.-]+(?::\d+)?\/)?[a-z][a-z0-9-]*:[\w.-]+)(?=\s|$)/g)) images.push([`SNIPPETS.${id}`, m[1]]);
    }
    images.push(['samples/todo-app/Dockerfile', /^FROM\s+(\S+)/m.exec(fs.readFileSync(path.join(SAMPLE, 'Dockerfile'), 'utf8'))![1]]);
    images.push(['samples/todo-app/compose.yaml', /image:\s*(\S+)/.exec(fs.readFileSync(path.join(SAMPLE, 'compose.yaml'), 'utf8'))![1]]);
    assert.ok(images.length >= 8);
    const learnersOwn = /^(localhost:\d+\/)?todo-app:/;
    for (const [from, image] of images) assert.ok(standIns.has(image) || learnersOwn.test(image), `${from} names ${image}, which has no stand-in`);
  });
});
