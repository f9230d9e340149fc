import * as assert from 'node:assert/strict';
import { ruleByName } from '../../../src/diagnostics/registry';
import { BUILDKIT_CHECKS } from '../../../src/diagnostics/dockerfile/rules/buildkit/meta';
import { at, byCode, df, lintText } from './helpers';

const codes = (text: string, code: string, opts = {}) => byCode(lintText(text, opts), code);

describe('BuildKit checks', () => {
  it('registers every BuildKit check with its name as an alias', () => {
    for (const name of BUILDKIT_CHECKS) assert.ok(ruleByName('dockerfile', name), name);
  });

  it('StageNameCasing: flags a mixed-case stage name on the name', () => {
    const [f] = codes(df('FROM alpine:3 AS Build', 'FROM alpine:3 AS ok'), 'stage-name-casing');
    assert.equal(at(f), '1:18-1:23');
    assert.deepEqual(f.aliases, ['StageNameCasing']);
  });

  it('FromAsCasing: flags "as" that does not match FROM, not a consistent pair', () => {
    assert.equal(at(codes(df('FROM alpine:3 as build'), 'from-as-casing')[0]), '1:15-1:17');
    assert.deepEqual(codes(df('from alpine:3 as build', 'FROM alpine:3 AS b2'), 'from-as-casing'), []);
  });

  it('ConsistentInstructionCasing: flags instructions against the majority casing', () => {
    const fs = codes(df('FROM alpine:3', 'RUN a', 'run b', 'CMD ["x"]'), 'consistent-instruction-casing');
    assert.deepEqual(fs.map(at), ['3:1-3:4']);
    assert.deepEqual(codes(df('from alpine:3', 'run a', 'cmd ["x"]'), 'consistent-instruction-casing'), []);
  });

  it('DuplicateStageName: flags the second use, case-insensitively, with DL3024 as an error', () => {
    const [f, ...rest] = codes(df('FROM alpine:3 AS build', 'FROM alpine:3 AS BUILD'), 'duplicate-stage-name');
    assert.equal(rest.length, 0);
    assert.equal(at(f), '2:18-2:23');
    assert.deepEqual(f.aliases, ['DuplicateStageName', 'DL3024']);
    assert.equal(f.severity, 'error');
  });

  it('ReservedStageName: flags scratch and context as names', () => {
    assert.equal(codes(df('FROM alpine:3 AS scratch', 'FROM alpine:3 AS context', 'FROM alpine:3 AS app'), 'reserved-stage-name').length, 2);
  });

  it('ExposeProtoCasing and ExposeInvalidFormat: flag the port word', () => {
    const text = df('FROM alpine:3', 'EXPOSE 80/TCP 8080:80 127.0.0.1:53:53/udp 443/tcp');
    assert.deepEqual(codes(text, 'expose-proto-casing').map(at), ['2:8-2:14']);
    assert.deepEqual(codes(text, 'expose-invalid-format').map(at), ['2:15-2:22', '2:23-2:42']);
  });

  it('UndefinedArgInFrom: flags the variable, suggests a near name, ignores predefined platform ARGs', () => {
    const [f] = codes(df('ARG VERSION=1', 'FROM alpine:${VERSON}'), 'undefined-arg-in-from');
    assert.equal(at(f), '2:13-2:22');
    assert.match(f.message, /did you mean VERSION/);
    assert.deepEqual(codes(df('FROM --platform=$BUILDPLATFORM golang:1.22 AS b', 'ARG V=1', 'FROM alpine:3'), 'undefined-arg-in-from'), []);
    assert.deepEqual(codes(df('ARG V', 'FROM alpine:${V:-3}'), 'undefined-arg-in-from'), []);
  });

  it('InvalidDefaultArgInFrom: flags a FROM that is empty with the defaults', () => {
    assert.equal(codes(df('ARG IMAGE', 'FROM $IMAGE'), 'invalid-default-arg-in-from').length, 1);
    assert.equal(codes(df('ARG TAG', 'FROM alpine:${TAG}'), 'invalid-default-arg-in-from').length, 1);
    assert.deepEqual(codes(df('ARG TAG=3.19', 'FROM alpine:${TAG}'), 'invalid-default-arg-in-from'), []);
  });

  it('RedundantTargetPlatform and FromPlatformFlagConstDisallowed: flag the flag', () => {
    assert.equal(at(codes(df('FROM --platform=$TARGETPLATFORM alpine:3'), 'redundant-target-platform')[0]), '1:6-1:32');
    assert.equal(at(codes(df('FROM --platform=linux/amd64 alpine:3'), 'from-platform-flag-const-disallowed')[0]), '1:6-1:28');
    assert.deepEqual(codes(df('FROM --platform=linux/amd64 alpine:3 AS build-amd64'), 'from-platform-flag-const-disallowed'), []);
    assert.deepEqual(codes(df('FROM --platform=$BUILDPLATFORM alpine:3'), 'from-platform-flag-const-disallowed'), []);
  });

  it('InvalidBaseImagePlatform: only with a host that knows the image', () => {
    const host = { readFile: () => undefined, imagePlatform: () => ({ os: 'linux', architecture: 'arm64' }), targetPlatform: () => ({ os: 'linux', architecture: 'amd64' }) };
    assert.equal(codes(df('FROM alpine:3'), 'invalid-base-image-platform', { host }).length, 1);
    assert.deepEqual(codes(df('FROM alpine:3'), 'invalid-base-image-platform'), []);
  });

  it('NoEmptyContinuation: flags the instruction on its last line, where BuildKit reports it, naming the empty line', () => {
    const [f] = codes(df('FROM alpine:3', 'RUN a \\', '', '  && b'), 'no-empty-continuation');
    assert.equal(f.range.start.line, 3);
    assert.match(f.message, /line 3/);
    assert.deepEqual(codes('FROM alpine:3\nRUN a \\\n', 'no-empty-continuation'), [], 'a final newline is not an empty line');
  });

  it('JSONArgsRecommended: flags shell-form CMD/ENTRYPOINT with DL3025, not exec form or after SHELL', () => {
    const [f] = codes(df('FROM alpine:3', 'CMD node server.js'), 'json-args-recommended');
    assert.equal(at(f), '2:5-2:19');
    assert.deepEqual(f.aliases, ['JSONArgsRecommended', 'DL3025']);
    assert.deepEqual(codes(df('FROM alpine:3', 'CMD ["node", "server.js"]'), 'json-args-recommended'), []);
    assert.deepEqual(codes(df('FROM alpine:3', 'SHELL ["/bin/bash", "-c"]', 'CMD node server.js'), 'json-args-recommended'), []);
  });

  it('MaintainerDeprecated: flags MAINTAINER with DL4000 as an error', () => {
    const [f] = codes(df('FROM alpine:3', 'MAINTAINER me'), 'maintainer-deprecated');
    assert.equal(at(f), '2:1-2:11');
    assert.equal(f.severity, 'error');
  });

  it('WorkdirRelativePath: flags the first relative WORKDIR of a stage chain only', () => {
    const [f, ...rest] = codes(df('FROM alpine:3 AS a', 'WORKDIR app', 'WORKDIR sub', 'FROM a', 'WORKDIR x'), 'workdir-relative-path');
    assert.equal(rest.length, 0);
    assert.equal(at(f), '2:9-2:12');
    assert.deepEqual(codes(df('FROM alpine:3', 'WORKDIR /app', 'WORKDIR src', 'ARG D=/x', 'FROM alpine:3', 'WORKDIR C:\\app'), 'workdir-relative-path'), []);
  });

  it('MultipleInstructionsDisallowed: flags the earlier CMD/ENTRYPOINT/HEALTHCHECK with the matching DL code', () => {
    const fs = codes(df('FROM alpine:3', 'CMD ["a"]', 'ENTRYPOINT ["b"]', 'HEALTHCHECK NONE', 'CMD ["c"]', 'ENTRYPOINT ["d"]', 'HEALTHCHECK NONE', 'FROM alpine:3', 'CMD ["e"]'), 'multiple-instructions-disallowed');
    assert.deepEqual(fs.map((f) => [at(f), f.aliases[1], f.severity]), [
      ['2:1-2:4', 'DL4003', 'warning'], ['3:1-3:11', 'DL4004', 'error'], ['4:1-4:12', 'DL3012', 'error']]);
  });

  it('LegacyKeyValueFormat: flags ENV/LABEL key value', () => {
    assert.equal(at(codes(df('FROM alpine:3', 'ENV PORT 3000'), 'legacy-key-value-format')[0]), '2:5-2:9');
    assert.deepEqual(codes(df('FROM alpine:3', 'ENV PORT=3000 HOST="a b"', 'LABEL a=b'), 'legacy-key-value-format'), []);
  });

  it('SecretsUsedInArgOrEnv: flags secret-looking keys, not allowed ones', () => {
    const fs = codes(df('FROM alpine:3', 'ARG GITHUB_TOKEN', 'ENV DB_PASSWORD=x PUBLIC_KEY=y API_KEY_FILE=/run/k AUTH=1'), 'secrets-used-in-arg-or-env');
    assert.deepEqual(fs.map(at), ['2:5-2:17', '3:5-3:16', '3:52-3:56']);
  });

  it('CopyIgnoredFile: reads .dockerignore beside the Dockerfile', () => {
    const files = { '/project/.dockerignore': 'node_modules\n*.log\nsecrets/\n' };
    const fs = codes(df('FROM alpine:3', 'COPY node_modules/x /app/', 'COPY src /app/src', 'COPY secrets/key.pem /k', 'COPY --from=build /node_modules /x'), 'copy-ignored-file', { files });
    assert.deepEqual(fs.map(at), ['2:6-2:20', '4:6-4:21']);
    assert.deepEqual(codes(df('FROM alpine:3', 'COPY node_modules /x'), 'copy-ignored-file', { files: { '/project/.dockerignore': 'node_modules\n!node_modules/keep\n' } }), []);
    assert.deepEqual(codes(df('FROM alpine:3', 'COPY node_modules /x'), 'copy-ignored-file'), []);
  });

  it('UndefinedVar: flags undeclared variables in expanded instructions with a suggestion', () => {
    const [f] = codes(df('FROM scratch', 'ARG APP_DIR=/app', 'WORKDIR $APP_DIRR'), 'undefined-var');
    assert.equal(at(f), '3:9-3:18');
    assert.match(f.message, /did you mean \$APP_DIR/);
    assert.deepEqual(codes(df('FROM scratch', 'ENV A=1', 'WORKDIR /x/$A', 'RUN echo $NOT_CHECKED_BY_BUILDKIT'), 'undefined-var'), []);
  });

  it('UndefinedVar: knows global ARGs must be redeclared in a stage, and stages inherit ARG and ENV', () => {
    assert.equal(codes(df('ARG V=1', 'FROM scratch', 'LABEL v=$V'), 'undefined-var').length, 1);
    assert.deepEqual(codes(df('ARG V=1', 'FROM scratch', 'ARG V', 'LABEL v=$V'), 'undefined-var'), []);
    assert.deepEqual(codes(df('FROM node:20 AS a', 'ENV X=1', 'FROM a', 'WORKDIR /$X'), 'undefined-var'), []);
    assert.deepEqual(codes(df('FROM node:20 AS a', 'ARG X', 'ARG Y=2', 'FROM a', 'WORKDIR /$X/$Y'), 'undefined-var'), [], 'ARGs with or without a default');
    const [other] = codes(df('FROM node:20 AS a', 'ARG X=1', 'FROM node:20', 'WORKDIR /$X'), 'undefined-var');
    assert.equal(other.severity, 'warning', 'declared in another stage: meant to be declared here too');
    assert.match(other.message, /declared in stage "a", which this stage is not built on/);
    assert.deepEqual(codes(df('FROM alpine:3 AS a', 'ARG X=1', 'FROM alpine:3', 'WORKDIR /$X'), 'undefined-var').map((f) => f.severity), ['warning'], 'the OS images set PATH only');
    assert.deepEqual(codes(df('FROM scratch', 'ARG V="${templateOption:v}"'), 'undefined-var'), [], 'a template placeholder is a syntax error, not a variable');
  });

  it('UndefinedVar: PATH is always set, even on scratch', () => {
    assert.deepEqual(codes(df('FROM scratch', 'ENV PATH=/app/bin:$PATH'), 'undefined-var'), []);
    assert.deepEqual(codes(df('FROM node:20', 'ENV PATH=/app/bin:${PATH}'), 'undefined-var'), []);
  });

  it('UndefinedVar: a variable the base image may set is a "may be" hint, without guessing by its name', () => {
    const [home] = codes(df('FROM node:20', 'WORKDIR $HOME/app'), 'undefined-var');
    assert.equal(home.severity, 'hint');
    assert.match(home.message, /may be empty.*node:20/);
    assert.deepEqual(home.data, { variable: 'HOME', maybe: true, baseImage: 'node:20' });
    const [version] = codes(df('FROM golang:1.22', 'LABEL go=$GOLANG_VERSION'), 'undefined-var');
    assert.equal(version.severity, 'hint', 'no *_VERSION guess: the image may or may not set it');
    const [sure] = codes(df('FROM scratch', 'LABEL v=$APP_VERSION'), 'undefined-var');
    assert.equal(sure.severity, 'warning', 'scratch sets nothing');
    assert.match(sure.message, /is not declared/);
    const [typo] = codes(df('FROM node:20', 'ARG APP_DIR=/app', 'WORKDIR $APP_DIRR'), 'undefined-var');
    assert.equal(typo.severity, 'warning', 'one typo away from a declared name');
  });

  it('UndefinedVar: what the file shows turns a "may be" into a warning', () => {
    const sev = (text: string) => codes(text, 'undefined-var').map((f) => [f.severity, f.message.replace(/^.*\((.*)\)\. Declare.*$/, '$1')]);
    assert.deepEqual(sev(df('FROM node:20', 'ENV A=/x B=$A/y')), [['warning', 'it is set in this same ENV, which reads every value before it sets any: split the ENV in two']]);
    assert.deepEqual(sev(df('FROM node:20', 'ARG V=${V}')), [['warning', '"ARG V=${V}" reads V before any ARG declares it: without --build-arg V it is empty, as with "ARG V" alone']]);
    assert.equal(sev(df('FROM node:20', 'ENV LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/opt/lib'))[0][0], 'hint', 'extending the value it had is no mistake');
    assert.equal(sev(df('ARG V=1', 'FROM node:20', 'LABEL v=$V'))[0][0], 'warning');
    assert.match(sev(df('FROM node:20', 'COPY $SRC /app', 'ARG SRC=.'))[0][1], /declared on line 3, after this use/);
    assert.equal(sev(df('FROM node:20', 'WORKDIR $HOME/app'))[0][0], 'hint', 'nothing shows HOME was meant to be declared');
  });

  it('UndefinedVar: a default in ${X:-d} does not declare X (BuildKit reports it)', () => {
    const [f] = codes(df('FROM scratch', 'LABEL v=${APP_VERSION:-dev}'), 'undefined-var');
    assert.match(f.message, /default in the expansion always applies/);
  });

  it('UndefinedVar: reported on the instruction\'s first line, as BuildKit does, ending on the variable', () => {
    const [f] = codes(df('FROM scratch', 'ENV A=1 \\', '    B=$MISSING'), 'undefined-var');
    assert.equal(at(f), '2:1-3:15');
  });

  it('InvalidDefinitionDescription: experimental, on with check=experimental', () => {
    const text = df('# check=experimental=InvalidDefinitionDescription', '# the version', 'ARG VERSION=1', '# build: compiles', 'FROM alpine:3 AS build', '# VERSION is fine', 'ARG VERSION');
    const fs = codes(text, 'invalid-definition-description');
    // On the instruction, as BuildKit reports it; the message names the comment's line.
    assert.deepEqual(fs.map(at), ['3:1-3:14', '5:1-5:23']);
    assert.match(fs[0].message, /line 2/);
    assert.deepEqual(codes(text.replace('# check=experimental=InvalidDefinitionDescription\n', ''), 'invalid-definition-description'), []);
  });
});
