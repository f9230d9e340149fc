import * as assert from 'node:assert/strict';
import { LESSONS } from '../../../src/diagnostics/dockerfile/rules/lessons';
import { ruleByName } from '../../../src/diagnostics/registry';
import { at, byCode, df, lintText } from './helpers';

const latest = (text: string) => byCode(lintText(text), 'no-latest-tag');

describe('no-latest-tag', () => {
  it('flags an untagged FROM image as DL3006 on the image name', () => {
    const [f, ...rest] = latest(df('FROM ubuntu', 'USER app'));
    assert.equal(rest.length, 0);
    assert.deepEqual(f.aliases, ['DL3006']);
    assert.equal(at(f), '1:6-1:12');
    assert.match(f.message, /no tag/);
  });

  it('flags :latest as DL3007', () => {
    const [f] = latest(df('FROM node:latest AS build'));
    assert.deepEqual(f.aliases, ['DL3007']);
    assert.equal(at(f), '1:6-1:17');
  });

  it('stays silent for tags, digests, scratch and earlier stages of any case', () => {
    assert.deepEqual(latest(df('FROM node:20-alpine AS Build', 'FROM build', 'FROM BUILD', 'FROM scratch', 'FROM alpine@sha256:' + 'a'.repeat(64))), []);
  });

  it('does not count a later stage name as a stage reference in FROM', () => {
    assert.equal(latest(df('FROM base', 'FROM alpine:3.19 AS base')).length, 1);
  });

  it('resolves ARG defaults declared before FROM', () => {
    assert.deepEqual(latest(df('ARG V=20.11', 'FROM node:${V}-alpine')), []);
    assert.deepEqual(latest(df('ARG IMAGE=node:20', 'FROM $IMAGE')), []);
    const [f] = latest(df('ARG IMAGE=node', 'FROM ${IMAGE}'));
    assert.deepEqual(f.aliases, ['DL3006']);
    assert.equal(at(f), '2:6-2:14');
    assert.equal(latest(df('ARG TAG=latest', 'FROM node:$TAG'))[0].aliases[0], 'DL3007');
  });

  it('treats an image that is wholly a variable with no default as unknown, not wrong', () => {
    assert.deepEqual(latest(df('ARG IMAGE', 'FROM $IMAGE')), []);
    assert.deepEqual(latest(df('FROM ${BASE}')), []);
    assert.deepEqual(latest(df('ARG TAG', 'FROM node:${TAG}')), []);
  });

  it('still sees a missing tag after a variable registry', () => {
    assert.equal(latest(df('ARG REGISTRY', 'FROM ${REGISTRY}/team/app'))[0].aliases[0], 'DL3006');
  });

  it('does not take a registry port for a tag', () => {
    const [f] = latest(df('FROM host:5000/team/app'));
    assert.deepEqual(f.aliases, ['DL3006']);
    assert.deepEqual(latest(df('FROM host:5000/team/app:1.2')), []);
  });

  it('checks COPY --from images and RUN --mount from images, on the value', () => {
    const fs = latest(df('FROM alpine:3.19 AS build', 'COPY --from=library/composer /usr/bin/composer /usr/bin/', 'COPY --from=BUILD /a /b', 'COPY --from=0 /a /b',
      'RUN --mount=type=bind,from=nginx:latest,target=/x ls'));
    assert.deepEqual(fs.map(at), ['2:13-2:29', '5:28-5:40']);
    assert.deepEqual(fs.map((f) => f.aliases[0]), ['DL3006', 'DL3007']);
  });

  it('does not take a bare COPY --from name that is no stage for an untagged image: it may be a named build context', () => {
    assert.deepEqual(latest(df('FROM alpine:3.19', 'COPY --from=templates /a /b', 'RUN --mount=from=src,target=/src make')), []);
  });

  it('leaves a name Docker refuses (a template placeholder) to invalid-image-reference', () => {
    const fs = lintText(df('FROM REPLACE-ME', 'RUN echo'));
    assert.deepEqual(byCode(fs, 'no-latest-tag'), []);
    assert.equal(byCode(fs, 'invalid-image-reference').length, 1);
  });

  it('says what variables give', () => {
    assert.match(latest(df('ARG BASE=quay.io/jupyter/base-notebook', 'FROM $BASE'))[0].message, /"\$BASE" \(quay\.io\/jupyter\/base-notebook\) has no tag/);
  });

  it('has a lesson the course can link to', () => {
    assert.equal(ruleByName('dockerfile', 'DL3007')?.lesson, LESSONS['no-latest-tag']);
  });
});

describe('no-root-user', () => {
  const root = (text: string) => byCode(lintText(text), 'no-root-user');

  it('flags a final USER root on the user, with DL3002', () => {
    const [f] = root(df('FROM alpine:3.19', 'USER root'));
    assert.equal(at(f), '2:6-2:10');
    assert.deepEqual(f.aliases, ['DL3002']);
  });

  it('flags 0 and 0:group', () => {
    assert.equal(root(df('FROM alpine:3.19', 'USER 0')).length, 1);
    assert.equal(root(df('FROM alpine:3.19', 'USER 0:0')).length, 1);
    assert.equal(root(df('FROM alpine:3.19', 'USER root:root')).length, 1);
  });

  it('flags a final stage that never sets a user on its FROM, without DL3002', () => {
    const [f] = root(df('FROM node:20 AS build', 'USER node', 'FROM alpine:3.19', 'EXPOSE 8080', 'CMD ["./server"]'));
    assert.equal(at(f), '3:6-3:17');
    assert.deepEqual(f.aliases, []);
  });

  it('judges only the final stage: a root builder is fine', () => {
    assert.deepEqual(root(df('FROM node:20 AS build', 'USER root', 'FROM node:20-slim', 'USER node')), []);
  });

  it('accepts switching to root to install and back', () => {
    assert.deepEqual(root(df('FROM node:20', 'USER root', 'RUN apt-get update', 'USER node')), []);
  });

  it('inherits the user of the stage the final stage is built FROM', () => {
    assert.deepEqual(root(df('FROM node:20 AS base', 'USER node', 'FROM base', 'RUN echo')), []);
    const [f] = root(df('FROM node:20 AS base', 'USER root', 'FROM BASE', 'CMD ["x"]'));
    assert.equal(at(f), '2:6-2:10');
    assert.deepEqual(f.aliases, ['DL3002']);
  });

  it('resolves the user through ARG and ENV, and stays silent when it cannot', () => {
    assert.equal(root(df('FROM alpine:3.19', 'ARG U=root', 'USER $U')).length, 1);
    assert.deepEqual(root(df('FROM alpine:3.19', 'ARG U', 'USER ${U}')), []);
    assert.deepEqual(root(df('FROM alpine:3.19', 'ENV U=app', 'USER $U')), []);
  });
});

describe('chain-run', () => {
  const chain = (text: string) => byCode(lintText(text), 'chain-run');

  it('leaves RUNs that already chain commands alone, as hadolint does: the author chose the layers', () => {
    assert.deepEqual(chain(df('FROM alpine:3.19', 'RUN apk add curl && curl -o /x http://x', 'RUN echo done')), []);
    assert.deepEqual(chain(df('FROM alpine:3.19', 'RUN a; b', 'RUN c', 'RUN d')).map(at), ['4:1-4:4']);
    assert.equal(chain(df('FROM alpine:3.19', 'RUN curl -fsS http://x | sh', 'RUN make 2>&1 > log')).length, 1, 'a pipe and a redirect are one command');
  });

  it('fires on the second and later RUN of a run, saying how many layers chaining saves', () => {
    const fs = chain(df('FROM alpine:3.19', 'RUN apk add curl', '# a comment', '', 'RUN apk add git', 'RUN echo done'));
    assert.deepEqual(fs.map(at), ['5:1-5:4', '6:1-6:4']);
    assert.ok(fs.every((f) => /save 2 layers/.test(f.message)), fs[0].message);
    assert.deepEqual(fs[0].aliases, ['DL3059']);
  });

  it('says "1 layer" for a pair', () => {
    assert.match(chain(df('FROM alpine:3.19', 'RUN a', 'RUN b'))[0].message, /save 1 layer\b/);
  });

  it('is broken by any other instruction and by a new stage', () => {
    assert.deepEqual(chain(df('FROM alpine:3.19', 'RUN a', 'WORKDIR /x', 'RUN b', 'FROM alpine:3.19', 'RUN c')), []);
  });

  it('does not chain RUNs with different flags', () => {
    assert.deepEqual(chain(df('FROM alpine:3.19', 'RUN --mount=type=cache,target=/c a', 'RUN b')), []);
  });
});

describe('require-healthcheck', () => {
  const hc = (text: string) => byCode(lintText(text), 'require-healthcheck');

  it('fires on the final FROM when the final stage has none, with DL3057', () => {
    const [f] = hc(df('FROM node:20 AS build', 'HEALTHCHECK CMD true', 'FROM nginx:1.25'));
    assert.equal(at(f), '3:6-3:16');
    assert.deepEqual(f.aliases, ['DL3057']);
  });

  it('accepts HEALTHCHECK NONE and a HEALTHCHECK in the final stage', () => {
    assert.deepEqual(hc(df('FROM nginx:1.25', 'HEALTHCHECK NONE')), []);
    assert.deepEqual(hc(df('FROM nginx:1.25', 'HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1')), []);
  });

  it('counts a HEALTHCHECK inherited from the stage the final stage builds on', () => {
    assert.deepEqual(hc(df('FROM nginx:1.25 AS base', 'HEALTHCHECK CMD true', 'FROM base')), []);
  });

  it('is on by default in Dockwise although hadolint leaves DL3057 off', () => {
    assert.equal(ruleByName('dockerfile', 'require-healthcheck')?.offByDefault, undefined);
  });
});
