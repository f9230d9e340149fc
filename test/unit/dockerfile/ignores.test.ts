import * as assert from 'node:assert/strict';
import { byCode, df, lintText } from './helpers';

const has = (text: string, code: string, opts = {}) => byCode(lintText(text, opts), code).length;

describe('ignore comments in Dockerfiles', () => {
  const base = ['FROM node:latest', 'USER node', 'HEALTHCHECK NONE'];

  it('dockwise-ignore on the line above ignores that instruction only, by code or alias', () => {
    assert.equal(has(df('# dockwise-ignore no-latest-tag', ...base), 'no-latest-tag'), 0);
    assert.equal(has(df('# dockwise-ignore DL3007', ...base), 'no-latest-tag'), 0);
    assert.equal(has(df('# dockwise-ignore DL3006', ...base), 'no-latest-tag'), 1, 'DL3006 is not a name of a :latest finding');
    assert.equal(has(df('# dockwise-ignore no-latest-tag', 'FROM alpine:3 AS a', 'FROM node:latest', 'USER node'), 'no-latest-tag'), 1);
  });

  it('dockwise-ignore-file ignores the code anywhere', () => {
    assert.equal(has(df('FROM node:latest AS a', '# dockwise-ignore-file no-latest-tag', 'FROM ubuntu', 'USER x'), 'no-latest-tag'), 0);
  });

  it('hadolint ignore= and global ignore= work, unless disableIgnorePragma', () => {
    const text = df('FROM alpine:3', 'USER x', '# hadolint ignore=DL3059,DL3008', 'RUN a', '# hadolint ignore=DL3059', 'RUN b', 'RUN c');
    assert.equal(has(text, 'chain-run'), 1);
    assert.equal(has(df('# hadolint global ignore=DL3059', 'FROM alpine:3', 'RUN a', 'RUN b'), 'chain-run'), 0);
    assert.equal(has(text, 'chain-run', { config: { disableIgnorePragma: true } }), 2);
  });

  it('check=skip= as a directive skips BuildKit checks by name for the whole file; skip=all only BuildKit checks', () => {
    assert.equal(has(df('# check=skip=StageNameCasing', 'FROM alpine:3 AS Build'), 'stage-name-casing'), 0);
    const all = lintText(df('# check=skip=all', 'FROM node:latest AS Build', 'MAINTAINER me'));
    assert.equal(byCode(all, 'stage-name-casing').length + byCode(all, 'maintainer-deprecated').length, 0);
    assert.equal(byCode(all, 'no-latest-tag').length, 1);
  });

  it('check=skip= as a comment right above an instruction applies to it', () => {
    assert.equal(has(df('FROM alpine:3 AS a', '# check=skip=StageNameCasing', 'FROM alpine:3 AS Build'), 'stage-name-casing'), 0);
  });

  it('check=error=true makes BuildKit check findings errors, and a broken check directive is reported', () => {
    const [f] = byCode(lintText(df('# check=error=true', 'FROM alpine:3 AS Build')), 'stage-name-casing');
    assert.equal(f.severity, 'error');
    assert.equal(has(df('# check=bogus', 'FROM alpine:3'), 'invalid-check-directive'), 1);
  });

  it('works for findings of any Dockerfile rule, including validate and package-manager rules', () => {
    assert.equal(has(df('FROM alpine:3', '# dockwise-ignore unknown-instruction', 'FROMM x'), 'unknown-instruction'), 0);
    assert.equal(has(df('FROM alpine:3', 'FROMM x'), 'unknown-instruction'), 1);
  });
});
