import * as assert from 'node:assert/strict';
import { prepareLint } from '../../../src/diagnostics/engine';
import { byCode, df, lintText } from './helpers';

const words = (text: string, code: string) => {
  const lines = text.split('\n');
  return byCode(lintText(text), code).map((f) => lines[f.range.start.line].slice(f.range.start.character, f.range.end.character));
};

describe('package rules read their arguments', () => {
  before(() => prepareLint());

  it('apk: options with values are not the sub-command or a package', () => {
    assert.deepEqual(words(df('FROM alpine:3', 'RUN apk --keys-dir /keys --repositories-file /r add --no-cache curl'), 'apk-pin-versions'), ['curl']);
    assert.deepEqual(words(df('FROM alpine:3', 'RUN apk --root /rootfs add --no-cache --initdb busybox'), 'apk-pin-versions'), ['busybox']);
    assert.deepEqual(words(df('FROM alpine:3', 'RUN apk -X http://mirror/main add --no-cache -t .deps gcc=13.2.1-r0'), 'apk-pin-versions'), []);
  });

  it('apk add --no-network floats nothing and downloads no index', () => {
    const text = df('FROM alpine:3', 'RUN apk add --no-network --allow-untrusted /tmp/pkgs/*.apk mypkg');
    assert.deepEqual(words(text, 'apk-pin-versions'), []);
    assert.deepEqual(words(text, 'apk-no-cache'), []);
  });

  it('apk-no-cache accepts removing the index in the same RUN', () => {
    assert.deepEqual(words(df('FROM alpine:3', 'RUN apk update && apk add curl=8.5.0-r0 && rm -rf /var/cache/apk/*'), 'apk-no-cache'), []);
  });

  it('packages held in a variable are left alone by every manager', () => {
    assert.deepEqual(words(df('FROM alpine:3', 'RUN apk add --no-cache $runDeps "${BUILD_DEPS}"'), 'apk-pin-versions'), []);
    assert.deepEqual(words(df('FROM debian:12', 'RUN apt-get install -y --no-install-recommends $PKGS'), 'apt-pin-versions'), []);
    assert.deepEqual(words(df('FROM fedora:40', 'RUN dnf install -y $deps && dnf clean all'), 'dnf-pin-versions'), []);
    assert.deepEqual(words(df('FROM python:3', 'RUN pip install --no-cache-dir $REQS'), 'pip-pin-versions'), []);
    assert.deepEqual(words(df('FROM node:20', 'RUN npm install -g $TOOLS'), 'npm-pin-versions'), []);
    assert.deepEqual(words(df('FROM ruby:3', 'RUN gem install $GEMS'), 'gem-pin-versions'), []);
  });

  it('apt-get -s only simulates: nothing is installed', () => {
    const text = df('FROM debian:12', 'RUN apt-get update && apt-get install -s curl && rm -rf /var/lib/apt/lists/*');
    for (const code of ['apt-pin-versions', 'apt-assume-yes', 'apt-no-install-recommends']) assert.deepEqual(words(text, code), [], code);
  });

  it('apt-get dist-clean removes the lists', () => {
    assert.deepEqual(words(df('FROM debian:13', 'RUN apt-get update && apt-get install -y --no-install-recommends curl=8.14.1-2 && apt-get dist-clean'), 'apt-clean-lists'), []);
  });

  it('apt-update-alone: an update with no install in the same RUN', () => {
    assert.deepEqual(words(df('FROM debian:12', 'RUN apt-get update', 'RUN apt-get install -y --no-install-recommends curl=8.5.0-1'), 'apt-update-alone'), ['apt-get update']);
    assert.deepEqual(words(df('FROM debian:12', 'RUN apt-get update && apt-get install -y curl'), 'apt-update-alone'), []);
    assert.deepEqual(words(df('FROM debian:12', 'RUN apt update && apt --yes install curl'), 'apt-update-alone'), []);
    assert.deepEqual(words(df('FROM debian:12', 'RUN apt-get update', 'RUN apt-get install -y curl'), 'apt-clean-lists'), [], 'one finding for one mistake');
    for (const work of ['xargs -rt apt-get install -y < deps.txt', 'xx-apt-get install -y gcc', 'install-packages curl', 'apt-get purge -y imagemagick']) {
      const text = df('FROM debian:12', `RUN apt-get update && ${work}`);
      assert.deepEqual(words(text, 'apt-update-alone'), [], work);
      assert.deepEqual(words(text, 'apt-clean-lists'), ['apt-get update'], `${work}: the lists stay in the layer`);
    }
  });

  it('go run file.go runs a local file; go install inside a module takes go.mod\'s version', () => {
    assert.deepEqual(words(df('FROM golang:1.22', 'RUN go run main.go --flag x'), 'go-pin-versions'), []);
    assert.deepEqual(words(df('FROM golang:1.22', 'COPY go.mod go.sum ./', 'RUN go install github.com/a/tool'), 'go-pin-versions'), []);
    assert.deepEqual(words(df('FROM golang:1.22', 'RUN --mount=type=bind,source=go.mod,target=go.mod go install github.com/a/tool'), 'go-pin-versions'), []);
    assert.deepEqual(words(df('FROM golang:1.22', 'RUN go install github.com/a/tool'), 'go-pin-versions'), ['github.com/a/tool']);
    assert.deepEqual(words(df('FROM golang:1.22', 'COPY go.mod ./', 'RUN go install github.com/a/tool@latest'), 'go-pin-versions'), ['github.com/a/tool@latest'], 'an explicit @latest still floats');
    assert.deepEqual(words(df('FROM golang:1.22', 'RUN go install -ldflags "-s -w" -o /out ./cmd/app'), 'go-pin-versions'), []);
  });

  it('gem install --local installs files already here', () => {
    assert.deepEqual(words(df('FROM ruby:3', 'RUN gem install --local ./pkg/app.gem rake'), 'gem-pin-versions'), []);
  });

  it('COPY --from a named build context is neither an untagged image nor an unknown stage taken for an image', () => {
    const text = df('FROM alpine:3', 'COPY --from=templates /a /b', 'COPY --from=gloursdocker/docker / /');
    assert.deepEqual(words(text, 'no-latest-tag'), ['gloursdocker/docker']);
    assert.deepEqual(words(text, 'copy-from-known-stage'), ['--from=templates']);
    assert.match(byCode(lintText(text), 'copy-from-known-stage')[0].message, /named build context/);
  });

  it('DL3067 not on scratch stages, nor from a scratch stage or an image alias', () => {
    assert.deepEqual(words(df('FROM alpine:3 AS build', 'RUN make', 'FROM scratch', 'COPY --from=build / /'), 'no-copy-whole-filesystem'), []);
    assert.deepEqual(words(df('FROM scratch AS out', 'COPY x /', 'FROM alpine:3', 'COPY --from=out / /'), 'no-copy-whole-filesystem'), []);
    assert.deepEqual(words(df('FROM tonistiigi/xx:1.6 AS xx', 'FROM alpine:3', 'COPY --from=xx / /'), 'no-copy-whole-filesystem'), []);
    assert.deepEqual(words(df('FROM alpine:3 AS build', 'RUN make', 'FROM alpine:3', 'COPY --from=build / /'), 'no-copy-whole-filesystem'), ['/']);
  });

  it('require-pipefail: not for a pipe whose status only becomes text for an argument', () => {
    assert.deepEqual(words(df('FROM alpine:3', 'RUN tar czf "/out/x-$(echo $P | sed s,/,-,g).tgz" x'), 'require-pipefail'), []);
    assert.equal(words(df('FROM alpine:3', 'RUN V=$(curl -fsS http://x | jq -r .v) && echo $V'), 'require-pipefail').length, 1, 'an assignment carries the status');
    assert.equal(words(df('FROM alpine:3', 'RUN curl -fsS http://x | sh'), 'require-pipefail').length, 1);
  });
});

describe('Windows images get no POSIX shell rules and no numeric-UID rule', () => {
  before(() => prepareLint());

  it('a Windows base image runs RUN with cmd, and USER names no numeric id', () => {
    const text = df('FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN curl -fsS http://x | findstr y && cd C:\\app', 'USER ContainerUser');
    const fs = lintText(text);
    for (const code of ['require-pipefail', 'use-workdir', 'numeric-user-id']) assert.deepEqual(byCode(fs, code), [], code);
  });

  it('SHELL powershell does the same for a stage', () => {
    const fs = lintText(df('FROM base:1', 'SHELL ["powershell", "-Command"]', 'RUN iwr http://x | iex; cd C:\\x'));
    assert.deepEqual(byCode(fs, 'require-pipefail'), []);
    assert.deepEqual(byCode(fs, 'use-workdir'), []);
  });
});

describe('heredoc bodies run their #! interpreter', () => {
  before(() => prepareLint());

  it('no shell rules on a Python heredoc', () => {
    const text = df('FROM python:3.12', 'RUN <<EOF', '#!/usr/bin/env python3', 'import subprocess', "subprocess.run(['apt-get', 'install', 'curl'])", 'print("a" | "b")', 'EOF');
    const fs = lintText(text);
    assert.deepEqual(fs.filter((f) => ['apt-pin-versions', 'require-pipefail', 'use-workdir'].includes(f.code)), []);
  });

  it('a #!/bin/bash heredoc is still read as shell', () => {
    const fs = lintText(df('FROM debian:12', 'RUN <<EOF', '#!/bin/bash', 'apt-get install -y curl', 'EOF'));
    assert.equal(byCode(fs, 'apt-pin-versions').length, 1);
  });
});

describe('more wrong-finding patterns from real files', () => {
  before(() => prepareLint());

  it('SecretsUsedInArgOrEnv: a GPG fingerprint and a path to a mounted secret are no secrets', () => {
    assert.deepEqual(words(df('FROM python:3', 'ENV GPG_KEY 7169605F62C751356D054A26A821E680E5FA6305'), 'secrets-used-in-arg-or-env'), []);
    assert.deepEqual(words(df('FROM python:3', 'ENV GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/key.json'), 'secrets-used-in-arg-or-env'), []);
    assert.deepEqual(words(df('FROM python:3', 'ENV DB_PASSWORD=hunter2'), 'secrets-used-in-arg-or-env'), ['DB_PASSWORD']);
  });

  it('COPY with several sources into . needs no slash: . is a directory', () => {
    const fs = lintText(df('FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json .'));
    assert.deepEqual(byCode(fs, 'copy-destination-not-directory'), []);
    assert.deepEqual(byCode(fs, 'copy-dest-slash'), []);
  });

  it('copy-relative-needs-workdir: a FROM scratch stage works in /, always', () => {
    assert.deepEqual(words(df('FROM golang:1.22 AS build', 'RUN go build -o /out/app', 'FROM scratch', 'COPY --from=build /out/app app'), 'copy-relative-needs-workdir'), []);
    assert.deepEqual(words(df('FROM alpine:3', 'COPY app app'), 'copy-relative-needs-workdir'), ['app']);
  });

  it('UndefinedArgInFrom leaves a template placeholder to invalid-syntax', () => {
    const fs = lintText(df('FROM mcr.microsoft.com/devcontainers/cpp:2-${templateOption:imageVariant}'));
    assert.deepEqual(byCode(fs, 'undefined-arg-in-from'), []);
  });
});

describe('FROM base-${V} resolves to the stage for WORKDIR and user inheritance', () => {
  const text = (tail: string[]) => df('ARG V=dev', 'FROM alpine:3 AS base-dev', 'WORKDIR /app', 'USER 1000', 'FROM base-${V}', ...tail);

  it('inherits WORKDIR: a relative COPY destination is fine', () => {
    assert.deepEqual(words(text(['COPY app.js app.js', 'EXPOSE 80', 'CMD ["node", "app.js"]']), 'copy-relative-needs-workdir'), []);
  });

  it('inherits USER: the service is not root', () => {
    assert.deepEqual(words(text(['EXPOSE 80', 'CMD ["node", "app.js"]']), 'no-root-user'), []);
  });
});
