import * as assert from 'node:assert/strict';
import { lint, prepareLint } from '../../../src/diagnostics/engine';
import { defaultConfig } from '../../../src/diagnostics/config';
import { createContext } from '../../../src/diagnostics/dockerfile/context';
import { FIX_DEFINITIONS, fixAll, fixesFor } from '../../../src/diagnostics/fixes';
import type { FileKind } from '../../../src/diagnostics/types';
import { fixAllOf, keyOf, noFiles } from './helpers';

/** A Dockerfile and a compose file where every rule with a fix fires, safe ones and suggestions alike. */
const DOCKERFILE = [
  'FROM node:22-bookworm-slim AS build',
  'WORKDIR /app',
  'ADD . /app',
  'RUN apt-get update',
  'RUN apt-get install curl=7.88.1-10+deb12u8',
  'RUN npm ci',
  'RUN npm run build # compile',
  'FROM node:latest',
  'COPY --from=build /app /app',
  'EXPOSE 3000',
  'CMD node /app/server.js',
  '',
].join('\n');
const COMPOSE = [
  'version: "3.8"',
  'services:',
  '  web:',
  '    image: nginx',
  '    depends_on: [db]',
  '  db:',
  '    image: postgres:16',
  '    ports: ["5432:5432"]',
  '    environment:',
  '      POSTGRES_PASSWORD: hunter2',
  '    healthcheck:',
  '      test: ["CMD", "pg_isready"]',
  '',
].join('\n');

describe('fix all and the safety classes', () => {
  before(() => prepareLint());

  it('every fix definition declares its safety class, and every suggestion its risk', () => {
    assert.ok(FIX_DEFINITIONS.length >= 15);
    const ids = new Set<string>();
    for (const d of FIX_DEFINITIONS) {
      assert.ok(['safe', 'review'].includes(d.safety), d.id);
      if (d.safety === 'review') assert.ok(d.risk && d.risk.length > 20, `${d.id} says what it may change`);
      assert.ok(!ids.has(`${d.kind}:${d.id}`), `${d.id} is unique`);
      ids.add(`${d.kind}:${d.id}`);
    }
  });

  for (const [kind, text] of [['dockerfile', DOCKERFILE], ['compose', COMPOSE]] as Array<[FileKind, string]>) {
    it(`${kind}: suggestions carry their risk in the title, only a safe fix is preferred, and ignore comments are never safe`, () => {
      let review = 0;
      for (const f of lint({ text, kind, host: noFiles })) {
        const fixes = fixesFor(f, text, kind, { request: { host: noFiles } });
        assert.ok(fixes.filter((x) => x.preferred).length <= 1, keyOf(f));
        for (const fix of fixes) {
          assert.equal(fix.safe, fix.safety === 'safe');
          if (fix.preferred) assert.equal(fix.safety, 'safe', fix.title);
          if (fix.safety === 'review') {
            review++;
            assert.match(fix.title, / — \S/, fix.title);
          }
          if (fix.title.startsWith('Ignore')) assert.equal(fix.safety, 'silence');
        }
      }
      assert.ok(review >= 4, `suggestions offered: ${review}`);
    });

    it(`${kind}: fix all applies the safe fixes only, and a second run changes nothing`, () => {
      const fixed = fixAllOf(kind, text);
      assert.deepEqual(fixed.remaining.map(keyOf), lint({ text: fixed.text, kind, host: noFiles }).map(keyOf), 'remaining is the final lint');
      // What it changed is exactly what the safe fixes of the findings it started from change.
      const safeIds = new Set(FIX_DEFINITIONS.filter((d) => d.safety === 'safe').map((d) => d.id));
      for (const f of fixed.remaining) {
        for (const fix of fixesFor(f, fixed.text, kind, { ignore: false, request: { host: noFiles } })) assert.ok(!safeIds.has(fix.id) || !fix.safe, `left a safe fix: ${fix.title}`);
      }
      assert.ok(fixed.applied > 0);
    });
  }

  it('changes the Dockerfile only where a fix keeps what it does', () => {
    assert.equal(fixAllOf('dockerfile', DOCKERFILE).text, [
      'FROM node:22-bookworm-slim AS build',
      'WORKDIR /app',
      'COPY . /app',
      // A builder stage: its layers never ship (only /app is copied out), so its RUNs stay apart.
      'RUN apt-get update',
      'RUN apt-get install -y curl=7.88.1-10+deb12u8',
      'RUN npm ci',
      'RUN npm run build # compile',
      'FROM node:latest',
      'COPY --from=build /app /app',
      'EXPOSE 3000',
      'CMD node /app/server.js',
      '',
    ].join('\n'));
    assert.equal(fixAllOf('compose', COMPOSE).text, COMPOSE.replace('version: "3.8"\n', ''));
  });

  it('fixes one rule when asked for it, and nothing else', () => {
    const only = fixAll({ text: DOCKERFILE, kind: 'dockerfile', host: noFiles }, { codes: ['DL3014'] });
    assert.equal(only.text, DOCKERFILE.replace('install curl', 'install -y curl'));
  });

  it('starts from the findings and the parse it is given, so a caller that just linted does not lint or parse twice', () => {
    const findings = lint({ text: DOCKERFILE, kind: 'dockerfile', host: noFiles });
    const dockerfile = createContext(DOCKERFILE, undefined, defaultConfig(), noFiles);
    const fromGiven = fixAll({ text: DOCKERFILE, kind: 'dockerfile', host: noFiles }, { findings, dockerfile });
    assert.equal(fromGiven.text, fixAllOf('dockerfile', DOCKERFILE).text);
    assert.ok(fromGiven.passes <= 2, `passes: ${fromGiven.passes}`);
  });
});
