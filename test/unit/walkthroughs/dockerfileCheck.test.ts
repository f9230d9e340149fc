import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkCourseDockerfile, COURSE_DOCKERFILE_CODES } from '../../../src/walkthroughs/dockerfileCheck';

const root = path.join(__dirname, '..', '..', '..');

/** The Dockerfile a learner ends the Dockerfile step with (shared with the integration suite). */
const FIXED = fs.readFileSync(path.join(root, 'test', 'fixtures', 'course', 'fixed.Dockerfile'), 'utf8');

describe('the Dockerfile step\'s check', () => {
  it('does not pass the sample as shipped: it still has course findings', () => {
    const file = path.join(root, 'samples', 'todo-app', 'Dockerfile');
    const r = checkCourseDockerfile(fs.readFileSync(file, 'utf8'), file);
    assert.equal(r.passed, false);
    assert.ok(r.remaining.some((f) => f.code === 'no-latest-tag'));
    assert.ok(r.remaining.every((f) => (COURSE_DOCKERFILE_CODES as readonly string[]).includes(f.code)));
  });

  it('passes a Dockerfile with a pinned base, chained RUN, HEALTHCHECK and non-root USER', () => {
    const r = checkCourseDockerfile(FIXED, path.join(root, 'samples', 'todo-app', 'Dockerfile'));
    assert.deepEqual(r.remaining, []);
    assert.equal(r.passed, true);
  });

  it('does not pass an empty, binary or FROM-less file', () => {
    assert.equal(checkCourseDockerfile('').passed, false);
    assert.equal(checkCourseDockerfile('# nothing here\n').passed, false);
    assert.equal(checkCourseDockerfile('\u0000\u0001ELF\u0000FROM x:1').passed, false);
  });
});
