import * as assert from 'node:assert/strict';
import { applyImageFacts, baseImages } from '../../../src/diagnostics/imageFacts';
import { byCode, df, lintText } from './helpers';

describe('undefined-var settled by what the daemon knows about the base image', () => {
  const text = df('ARG GO=1.22', 'FROM golang:${GO} AS build', 'LABEL v=$GOLANG_VERSION', 'FROM build', 'WORKDIR $GOPATH/src', 'FROM scratch', 'COPY --from=build /x /x');

  it('asks about every image a stage is built on', () => {
    assert.deepEqual(baseImages(text), ['golang:1.22']);
  });

  it('without facts the finding says "may be", as a hint', () => {
    const fs = byCode(lintText(text), 'undefined-var');
    assert.deepEqual(fs.map((f) => [f.data?.variable, f.severity]), [['GOLANG_VERSION', 'hint'], ['GOPATH', 'hint']]);
  });

  it('drops the finding when the image sets the variable, and says why', () => {
    const fs = lintText(text);
    const { findings, silenced } = applyImageFacts(fs, text, { 'golang:1.22': { user: '', healthcheck: false, env: ['PATH=/usr/local/go/bin:/usr/bin', 'GOLANG_VERSION=1.22.5', 'GOPATH=/go'] } });
    assert.deepEqual(byCode(findings, 'undefined-var'), []);
    assert.deepEqual(silenced.map((s) => [s.line, s.code]), [[2, 'undefined-var'], [4, 'undefined-var']]);
    assert.match(silenced[0].reason, /golang:1\.22 sets GOLANG_VERSION/);
  });

  it('makes it a warning when the image does not set it', () => {
    const fs = lintText(text);
    const { findings } = applyImageFacts(fs, text, { 'golang:1.22': { user: '', healthcheck: false, env: ['PATH=/usr/bin', 'GOPATH=/go'] } });
    const [f] = byCode(findings, 'undefined-var');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /golang:1\.22 does not set it either/);
  });

  it('leaves the finding alone when the daemon does not have the image', () => {
    const fs = lintText(text);
    assert.deepEqual(applyImageFacts(fs, text, {}).findings, fs);
  });
});

describe('no-root-user and require-healthcheck settled by the daemon for an application base image', () => {
  const text = df('FROM myorg/app-base:2.1', 'EXPOSE 8080', 'CMD ["./server"]');

  it('without facts, the file cannot tell the base image\'s user: no-root-user stays silent', () => {
    assert.deepEqual(byCode(lintText(text), 'no-root-user'), []);
  });

  it('the daemon saying the base runs as root adds the finding', () => {
    const { findings } = applyImageFacts(lintText(text), text, { 'myorg/app-base:2.1': { user: '', healthcheck: false } });
    const [f] = byCode(findings, 'no-root-user');
    assert.match(f.message, /myorg\/app-base:2\.1 runs as root \(the local Docker daemon says so\)/);
  });

  it('the daemon saying it runs as a user keeps it silent, and says why', () => {
    const { findings, silenced } = applyImageFacts(lintText(text), text, { 'myorg/app-base:2.1': { user: 'app', healthcheck: true } });
    assert.deepEqual(byCode(findings, 'no-root-user'), []);
    assert.deepEqual(byCode(findings, 'require-healthcheck'), []);
    assert.deepEqual(silenced.map((s) => s.code), ['no-root-user', 'require-healthcheck']);
  });
});
