import * as assert from 'node:assert/strict';
import { buildModel } from '../../../src/diagnostics/dockerfile/model';
import { execForm, parseDockerfile, wordRange } from '../../../src/diagnostics/dockerfile/parse';
import { df } from './helpers';

describe('Dockerfile scanner and stage model', () => {
  it('joins continuation lines, skips comments inside them and records empty continuation lines', () => {
    const p = parseDockerfile(df('FROM alpine:3', 'RUN apk add \\', '  # a comment', '', '    curl \\', '    git'));
    const run = p.instructions[1];
    assert.equal(run.keyword, 'RUN');
    assert.equal(run.line, 1);
    assert.equal(run.endLine, 5);
    assert.deepEqual(run.args.map((w) => w.raw), ['apk', 'add', 'curl', 'git']);
    assert.deepEqual(run.emptyContinuationLines, [3]);
    const git = run.args[3];
    assert.deepEqual(wordRange(run, git.start, git.end), { start: { line: 5, character: 4 }, end: { line: 5, character: 7 } });
  });

  it('honours the escape directive and parser directives', () => {
    const p = parseDockerfile(df('# escape=`', '# syntax=docker/dockerfile:1', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN dir `', '  C:\\'));
    assert.equal(p.escape, '`');
    assert.deepEqual(p.directives.map((d) => d.name), ['escape', 'syntax']);
    assert.equal(p.instructions.length, 2);
    assert.equal(p.instructions[1].endLine, 4);
  });

  it('reads heredocs, chomped and quoted, and marks an unterminated one', () => {
    const p = parseDockerfile(df('FROM alpine:3', 'RUN <<-"EOF" bash', '\techo hi', '\tEOF', 'COPY <<A <<B /x/', 'a', 'A', 'b', 'B', 'CMD ["x"]'));
    assert.deepEqual(p.instructions.map((i) => i.keyword), ['FROM', 'RUN', 'COPY', 'CMD']);
    assert.deepEqual(p.instructions[2].heredocs.map((h) => [h.name, h.startLine, h.endLine]), [['A', 5, 6], ['B', 7, 8]]);
    const u = parseDockerfile(df('FROM alpine:3', 'RUN <<EOF', 'echo', 'CMD ["x"]'));
    assert.equal(u.instructions.length, 2);
    assert.equal(u.instructions[1].heredocs[0].terminated, false);
  });

  it('handles CRLF, a BOM and flags', () => {
    const p = parseDockerfile('\ufeffFROM --platform=$BUILDPLATFORM golang:1.22 AS build\r\nCOPY --link --chmod=755 a /b/\r\n');
    const [from, copy] = p.instructions;
    assert.equal(from.keyword, 'FROM');
    assert.deepEqual(from.flags.map((f) => [f.name, f.value]), [['platform', '$BUILDPLATFORM']]);
    assert.deepEqual(copy.flags.map((f) => [f.name, f.value]), [['link', null], ['chmod', '755']]);
    assert.deepEqual(copy.args.map((w) => w.raw), ['a', '/b/']);
  });

  it('tells exec form from shell form', () => {
    const p = parseDockerfile(df('CMD ["node", "a.js"]', "CMD ['node']", 'CMD node a.js'));
    assert.deepEqual(p.instructions.map((i) => execForm(i) !== undefined), [true, false, false]);
  });

  it('models stages, parents (case-insensitive), global ARGs and scopes', () => {
    const p = parseDockerfile(df('ARG BASE=alpine:3', 'FROM ${BASE} AS Build', 'ENV A=1', 'ARG B=2', 'FROM build AS next', 'RUN x', 'FROM scratch'));
    const m = buildModel(p);
    assert.equal(m.stages.length, 3);
    assert.equal(m.stages[0].name, 'build');
    assert.equal(m.stages[1].parent, 0);
    assert.equal(m.stages[2].parent, undefined);
    assert.equal(m.finalStage, m.stages[2]);
    assert.deepEqual(m.globalArgs.map((a) => [a.key, a.value]), [['BASE', 'alpine:3']]);
    const run = p.instructions[5];
    assert.equal(m.expand('$A-$B', run).value, '1-2', 'a child stage inherits ENV and ARG');
  });

  it('reads an escaped escape character at the end of a line as a backslash, not a continuation', () => {
    const p = parseDockerfile(df('FROM alpine:3', 'RUN echo \\\\', 'CMD ["sh"]'));
    assert.deepEqual(p.instructions.map((i) => i.keyword), ['FROM', 'RUN', 'CMD']);
    assert.equal(p.instructions[1].text.trim(), 'echo \\\\');
    assert.deepEqual(parseDockerfile(df('FROM alpine:3', 'RUN echo a \\', '  b')).instructions.map((i) => i.keyword), ['FROM', 'RUN'], 'one backslash still continues');
  });

  it('reads # check= and # syntax= after a #! line, but not # escape=', () => {
    const p = parseDockerfile(df('#!/usr/bin/env -S docker build . -f', '# syntax=docker/dockerfile:1', '# check=skip=JSONArgsRecommended', 'FROM alpine:3'));
    assert.deepEqual(p.directives.map((d) => [d.name, d.line]), [['syntax', 1], ['check', 2]]);
    assert.equal(parseDockerfile(df('#!/bin/sh', '# escape=`', 'FROM alpine:3')).escape, '\\');
    assert.deepEqual(parseDockerfile(df('# syntax=x', '# foo=bar', '# check=skip=all', 'FROM a')).directives.map((d) => d.name), ['syntax'], 'an unknown directive ends them');
  });

  it('expands quoted words in FROM as BuildKit\'s lexer does, and resolves FROM base-${V} to the stage', () => {
    const m = buildModel(parseDockerfile(df('ARG TAG=3.20', 'ARG V=dev', 'FROM alpine:"${TAG}" AS base-dev', 'WORKDIR /app', "FROM base-'${V}'", 'FROM base-${V}')));
    assert.equal(m.stages[0].image, 'alpine:3.20');
    assert.equal(m.stages[1].image, 'base-${V}', 'nothing expands inside single quotes');
    assert.equal(m.stages[1].parent, undefined);
    assert.equal(m.stages[2].parent, 0);
    assert.equal(m.stages[2].root, 'alpine:3.20');
  });
});
