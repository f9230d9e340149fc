import * as assert from 'node:assert/strict';
import { lint, prepareLint } from '../../../src/diagnostics/engine';
import { applyEdits, fixAll, fixesFor } from '../../../src/diagnostics/fixes';
import type { FileKind, Finding } from '../../../src/diagnostics/types';

const keyOf = (f: Finding) => `${f.code}@${f.range.start.line}`;

/**
 * Applies the preferred fix of the first finding named `name`, asserts the whole text after it, and that the fix
 * removed that finding without bringing any finding that was not there before.
 */
function applyPreferred(kind: FileKind, text: string, name: string, expected: string, filePath?: string): void {
  const before = lint({ text, kind, filePath });
  const finding = before.find((f) => f.code === name || f.aliases.includes(name));
  assert.ok(finding, `expected a ${name} finding, got ${before.map(keyOf).join(', ')}`);
  const fixes = fixesFor(finding, text, kind);
  const fix = fixes.find((f) => f.preferred) ?? fixes[0];
  assert.ok(fix && !fix.title.startsWith('Ignore'), `expected a fix for ${name}, got ${fixes.map((f) => f.title).join(' | ')}`);
  const after = applyEdits(text, fix.edits);
  assert.equal(after, expected);
  const afterFindings = lint({ text: after, kind, filePath });
  assert.ok(!afterFindings.some((f) => f.code === finding.code && (f.aliases.includes(name) || f.code === name) && f.range.start.line === finding.range.start.line),
    `the fix left ${name} in place: ${afterFindings.map(keyOf).join(', ')}`);
  const codesBefore = new Set(before.map((f) => f.code));
  const added = afterFindings.filter((f) => !codesBefore.has(f.code));
  assert.deepEqual(added.map(keyOf), [], 'the fix brought new findings');
}

describe('quick fixes: Dockerfile', () => {
  // The package-manager rules read RUN bodies with the shell parser.
  before(() => prepareLint());

  it('uses COPY for an ADD of local files', () => {
    applyPreferred(
      'dockerfile',
      'FROM node:22-alpine\nWORKDIR /app\nADD . /app\nHEALTHCHECK NONE\nUSER 1000\n',
      'DL3020',
      'FROM node:22-alpine\nWORKDIR /app\nCOPY . /app\nHEALTHCHECK NONE\nUSER 1000\n',
    );
  });

  it('adds -y to apt-get install, keeping the continuation lines as they were', () => {
    applyPreferred(
      'dockerfile',
      'FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\nUSER 1000\n',
      'DL3014',
      'FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\nUSER 1000\n',
    );
  });

  it('adds --no-install-recommends to apt-get install', () => {
    applyPreferred(
      'dockerfile',
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\nUSER 1000\n',
      'DL3015',
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install --no-install-recommends -y curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\nUSER 1000\n',
    );
  });

  it('removes the apt lists in the same RUN that installs', () => {
    applyPreferred(
      'dockerfile',
      'FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\nHEALTHCHECK NONE\nUSER 1000\n',
      'DL3009',
      'FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\nUSER 1000\n',
    );
  });

  it('pins a floating base image to a suggested version', () => {
    applyPreferred('dockerfile', 'FROM node:latest\nHEALTHCHECK NONE\nUSER 1000\n', 'no-latest-tag', 'FROM node:22-bookworm-slim\nHEALTHCHECK NONE\nUSER 1000\n');
  });

  it('keeps a registry port when pinning an untagged image and offers nothing for unknown images', () => {
    const text = 'FROM registry.local:5000/team/app\nHEALTHCHECK NONE\nUSER app\n';
    const f = lint({ text, kind: 'dockerfile' }).find((x) => x.code === 'no-latest-tag');
    assert.ok(f);
    assert.deepEqual(fixesFor(f, text, 'dockerfile', { ignore: false }), []);
  });

  it('suggests versions only for official images, not for namesakes in other namespaces', () => {
    const text = 'FROM team/busybox\nHEALTHCHECK NONE\nUSER 1000\n';
    const f = lint({ text, kind: 'dockerfile' }).find((x) => x.code === 'no-latest-tag');
    assert.ok(f);
    assert.deepEqual(fixesFor(f, text, 'dockerfile', { ignore: false }), []);
    const official = 'FROM docker.io/library/busybox\nHEALTHCHECK NONE\nUSER 1000\n';
    const g = lint({ text: official, kind: 'dockerfile' }).find((x) => x.code === 'no-latest-tag');
    assert.ok(g);
    assert.equal(fixesFor(g, official, 'dockerfile', { ignore: false })[0]?.title, 'Pin to docker.io/library/busybox:1.37');
  });

  it('chains consecutive RUNs into one, keeping the comments between them above it', () => {
    applyPreferred(
      'dockerfile',
      'FROM debian:bookworm-slim\nRUN echo one\n# two comes next\nRUN echo two\nRUN echo three \\\n  && echo four\nHEALTHCHECK NONE\nUSER nobody\n',
      'chain-run',
      'FROM debian:bookworm-slim\n# two comes next\nRUN echo one \\\n    && echo two \\\n    && echo three \\\n  && echo four\nHEALTHCHECK NONE\nUSER nobody\n',
    );
  });

  it('does not chain RUNs that carry flags such as --mount', () => {
    const text = 'FROM debian:bookworm-slim\nRUN echo one\nRUN --mount=type=cache,target=/root/.cache echo two\nHEALTHCHECK NONE\nUSER nobody\n';
    const f = lint({ text, kind: 'dockerfile' }).find((x) => x.code === 'chain-run');
    if (f) assert.deepEqual(fixesFor(f, text, 'dockerfile', { ignore: false }), []);
  });

  it('adds the node user that node images ship, before CMD', () => {
    applyPreferred(
      'dockerfile',
      'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nHEALTHCHECK NONE\nCMD ["node", "server.js"]\n',
      'no-root-user',
      'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nHEALTHCHECK NONE\n# uid 1000 is the "node" user that node images ship\nUSER 1000:1000\nCMD ["node", "server.js"]\n',
    );
  });

  it('creates a system user on Debian-based images', () => {
    applyPreferred(
      'dockerfile',
      'FROM python:3.13-slim\nCOPY app.py /app.py\nHEALTHCHECK NONE\nCMD ["python", "/app.py"]\n',
      'no-root-user',
      'FROM python:3.13-slim\nCOPY app.py /app.py\nHEALTHCHECK NONE\nRUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-log-init app\nUSER 10001:10001\nCMD ["python", "/app.py"]\n',
    );
  });

  it('adds a HEALTHCHECK that probes the EXPOSEd port', () => {
    applyPreferred(
      'dockerfile',
      'FROM nginx:1.27-alpine\nEXPOSE 8080\nUSER nginx\nCMD ["nginx", "-g", "daemon off;"]\n',
      'require-healthcheck',
      'FROM nginx:1.27-alpine\nEXPOSE 8080\nUSER nginx\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["wget", "-q", "--spider", "http://localhost:8080/"]\nCMD ["nginx", "-g", "daemon off;"]\n',
    );
  });

  it('turns a shell-form CMD of plain words into the exec form', () => {
    applyPreferred(
      'dockerfile',
      'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER 1000\nCMD node src/server.js\n',
      'JSONArgsRecommended',
      'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER 1000\nCMD ["node", "src/server.js"]\n',
    );
  });

  it('inserts ignore comments above the instruction and after parser directives', () => {
    const text = '# syntax=docker/dockerfile:1\nFROM node:latest\nHEALTHCHECK NONE\nUSER 1000\n';
    const f = lint({ text, kind: 'dockerfile' }).find((x) => x.code === 'no-latest-tag')!;
    const [here, file] = fixesFor(f, text, 'dockerfile').filter((x) => x.title.startsWith('Ignore'));
    const ignoredHere = applyEdits(text, here.edits);
    assert.equal(ignoredHere, '# syntax=docker/dockerfile:1\n# dockwise-ignore no-latest-tag\nFROM node:latest\nHEALTHCHECK NONE\nUSER 1000\n');
    assert.ok(!lint({ text: ignoredHere, kind: 'dockerfile' }).some((x) => x.code === 'no-latest-tag'));
    const ignoredFile = applyEdits(text, file.edits);
    assert.equal(ignoredFile, '# syntax=docker/dockerfile:1\n# dockwise-ignore-file no-latest-tag\nFROM node:latest\nHEALTHCHECK NONE\nUSER 1000\n');
    assert.ok(!lint({ text: ignoredFile, kind: 'dockerfile' }).some((x) => x.code === 'no-latest-tag'));
  });
});

describe('quick fixes: compose', () => {
  it('removes the obsolete version field and the blank line after it', () => {
    applyPreferred('compose', 'version: "3.8"\n\nservices:\n  web:\n    image: nginx:1.27\n', 'no-version-field', 'services:\n  web:\n    image: nginx:1.27\n');
  });

  it('binds a published database port to 127.0.0.1', () => {
    applyPreferred(
      'compose',
      'services:\n  db:\n    image: postgres:17\n    ports:\n      - "5432:5432"\n',
      'no-public-admin-port',
      'services:\n  db:\n    image: postgres:17\n    ports:\n      - "127.0.0.1:5432:5432"\n',
    );
  });

  it('adds a restart policy as the first key of the service', () => {
    applyPreferred(
      'compose',
      'services:\n  web:\n    image: nginx:1.27\n',
      'require-restart-policy',
      'services:\n  web:\n    restart: unless-stopped\n    image: nginx:1.27\n',
    );
  });

  it('moves a plain-text password into a required variable', () => {
    applyPreferred(
      'compose',
      'services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: secret\n',
      'no-plaintext-secret',
      'services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in the environment or an .env file}"\n',
    );
  });

  it('adds a pg_isready healthcheck to a postgres service', () => {
    applyPreferred(
      'compose',
      'services:\n  db:\n    image: postgres:17\n',
      'require-healthcheck',
      'services:\n  db:\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER:-postgres}"]\n      interval: 10s\n      timeout: 5s\n      retries: 5\n    image: postgres:17\n',
    );
  });

  it('waits for a dependency with a healthcheck to be healthy', () => {
    const hc = '    healthcheck:\n      test: ["CMD", "true"]\n';
    applyPreferred(
      'compose',
      `services:\n  web:\n    image: nginx:1.27\n    depends_on:\n      - db\n      - cache\n  db:\n    image: postgres:17\n${hc}  cache:\n    image: redis:7.4\n`,
      'depends-on-healthy',
      `services:\n  web:\n    image: nginx:1.27\n    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n        condition: service_started\n  db:\n    image: postgres:17\n${hc}  cache:\n    image: redis:7.4\n`,
    );
  });

  it('pins a floating service image', () => {
    applyPreferred('compose', 'services:\n  db:\n    image: "postgres:latest"\n', 'no-latest-tag', 'services:\n  db:\n    image: "postgres:17-alpine"\n');
  });
});

describe('fix all', () => {
  // With the shell parser loaded, so the RUN-body rules take part as they do in the CLI and the editor.
  before(() => prepareLint());

  it('leaves the sample todo app Dockerfile with no error or warning findings', () => {
    const text = [
      'FROM node:latest',
      'WORKDIR /app',
      'ADD . /app',
      'RUN apt-get update',
      'RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8',
      'RUN npm install',
      'EXPOSE 3000',
      'CMD node src/server.js',
      '',
    ].join('\n');
    const { text: fixed, remaining } = fixAll({ text, kind: 'dockerfile' });
    assert.deepEqual(remaining.filter((f) => f.severity === 'error' || f.severity === 'warning').map(keyOf), []);
    assert.match(fixed, /^FROM node:22-bookworm-slim$/m);
    assert.match(fixed, /^USER 1000:1000$/m);
    assert.match(fixed, /^HEALTHCHECK /m);
  });

  it('never changes a file that has nothing to fix', () => {
    const text = 'services:\n  web:\n    image: nginx:1.27\n    restart: unless-stopped\n';
    assert.equal(fixAll({ text, kind: 'compose' }, { codes: ['no-version-field'] }).text, text);
  });
});
