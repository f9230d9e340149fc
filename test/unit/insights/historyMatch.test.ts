import * as assert from 'node:assert/strict';
import { formatSize, matchHistory, normaliseHistory } from '../../../src/insights/historyMatch';

const DOCKERFILE = [
  'FROM node:22-alpine AS build',
  'RUN npm ci',
  'FROM node:22-alpine',
  'ARG VERSION=1',
  'WORKDIR /app',
  'COPY --chown=node package.json ./',
  'RUN apk add --no-cache curl \\',
  '    && npm ci --omit=dev',
  'EXPOSE 3000',
  'CMD ["node", "server.js"]',
].join('\n');

describe('matching image history to Dockerfile lines', () => {
  it('reads the classic builder and BuildKit forms of a step', () => {
    assert.equal(normaliseHistory('/bin/sh -c #(nop)  CMD ["node" "server.js"]'), 'CMD ["node" "server.js"]');
    assert.equal(normaliseHistory('/bin/sh -c apt-get update'), 'RUN apt-get update');
    assert.equal(normaliseHistory('|1 VERSION=1 /bin/sh -c npm ci'), 'RUN npm ci');
    assert.equal(normaliseHistory('RUN /bin/sh -c npm ci # buildkit'), 'RUN npm ci');
    assert.equal(normaliseHistory('/bin/sh -c #(nop) COPY file:9f1c2a in ./ '), 'COPY ./');
  });

  it('maps the final stage from the newest step back, skipping ARG when the builder recorded none', () => {
    const history = [
      { CreatedBy: 'CMD ["node" "server.js"]', Size: 0 },
      { CreatedBy: 'EXPOSE map[3000/tcp:{}]', Size: 0 },
      { CreatedBy: 'RUN /bin/sh -c apk add --no-cache curl     && npm ci --omit=dev # buildkit', Size: 52_000_000 },
      { CreatedBy: 'COPY package.json ./ # buildkit', Size: 1200 },
      { CreatedBy: 'WORKDIR /app', Size: 0 },
      { CreatedBy: '/bin/sh -c #(nop)  CMD ["node"]', Size: 0 },
    ];
    const { layers, matched, steps } = matchHistory(DOCKERFILE, history);
    assert.equal(steps, 6);
    assert.equal(matched, 5);
    assert.deepEqual(
      layers.map((l) => [l.line, l.keyword, l.size, l.empty]),
      [
        [4, 'WORKDIR', 0, true],
        [5, 'COPY', 1200, false],
        [6, 'RUN', 52_000_000, false],
        [8, 'EXPOSE', 0, true],
        [9, 'CMD', 0, true],
      ],
    );
  });

  it('matches nothing for an image built from another Dockerfile', () => {
    const history = [{ CreatedBy: '/bin/sh -c #(nop)  CMD ["python" "app.py"]', Size: 0 }, { CreatedBy: '/bin/sh -c pip install flask', Size: 9_000_000 }];
    assert.equal(matchHistory(DOCKERFILE, history).matched, 0);
  });

  it('formats sizes the way docker does', () => {
    assert.equal(formatSize(6), '6 B');
    assert.equal(formatSize(3_000_000), '3.0 MB');
    assert.equal(formatSize(162_400_000), '162 MB');
  });
});
