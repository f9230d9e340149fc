import * as assert from 'node:assert/strict';
import { at, lintCompose, only, yaml } from './helpers';

const tags = (text: string) => only(lintCompose(text), 'no-latest-tag');
const svc = (...lines: string[]) => yaml('services:', '  web:', ...lines.map((l) => '    ' + l));

describe('compose: no-latest-tag', () => {
  it('fires on an untagged image, at the value', () => {
    const fs = tags(svc('image: nginx'));
    assert.equal(fs.length, 1);
    assert.equal(at(fs[0]), '3:12-3:17');
    assert.equal(fs[0].severity, 'warning');
    assert.match(fs[0].message, /no tag/);
  });

  it('fires on :latest and other channel tags', () => {
    assert.equal(tags(svc('image: postgres:latest')).length, 1);
    assert.equal(tags(svc('image: "traefik:stable"')).length, 1);
  });

  it('treats a registry port as part of the name, not a tag', () => {
    assert.equal(tags(svc('image: localhost:5000/app')).length, 1);
    assert.equal(tags(svc('image: localhost:5000/app:2.1')).length, 0);
  });

  it('stays silent on pinned versions and digests', () => {
    assert.deepEqual(tags(svc('image: nginx:1.27-alpine')), []);
    assert.deepEqual(tags(svc('image: nginx@sha256:' + 'a'.repeat(64))), []);
  });

  it('reads ${VAR:-default} as its default, and trusts a variable with no default', () => {
    const fs = tags(svc('image: ${WEB_IMAGE:-nginx:latest}'));
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /the default of/);
    assert.deepEqual(tags(svc('image: ${WEB_IMAGE:-nginx:1.27}')), []);
    assert.deepEqual(tags(svc('image: ${WEB_IMAGE}')), []);
    assert.deepEqual(tags(svc('image: registry.example.com/app:${TAG:-1.4.2}')), []);
  });

  it('has nothing to say about build-only services', () => {
    assert.deepEqual(tags(svc('build: .')), []);
  });

  it('follows merge keys and reports at the merge in the service', () => {
    const fs = tags(yaml('x-base: &base', '  image: redis', 'services:', '  cache:', '    <<: *base', '  cache2:', '    <<: *base', '    image: redis:7'));
    assert.deepEqual(fs.map(at), ['5:9-5:14']);
  });
});
