import * as assert from 'node:assert/strict';
import { applyImageFacts, finalBase } from '../../../src/diagnostics/imageFacts';
import { lintWithContext } from '../../../src/diagnostics/engine';

/** Fails when `fn` uses more than `ms` of CPU: a guard against quadratic work (minutes here), not a benchmark. */
function within<T>(ms: number, fn: () => T): T {
  const t0 = process.cpuUsage();
  const out = fn();
  const used = process.cpuUsage(t0);
  assert.ok((used.user + used.system) / 1000 < ms, `took ${((used.user + used.system) / 1000).toFixed(0)} ms of CPU`);
  return out;
}

describe('image facts on large files', () => {
  it('finds the final base image of 30,000 stages in one pass', () => {
    const text = 'FROM node:22 AS s0\n' + Array.from({ length: 30000 }, (_, k) => `FROM s${k} AS s${k + 1}\nRUN echo ${k}\n`).join('');
    const base = within(10000, () => finalBase(text));
    assert.equal(base?.image, 'node:22');
    assert.equal(base?.fromLine, 60001 - 2);
  });

  it('reuses the lint\'s parse, and follows a stage named through a build argument', () => {
    // A service (it listens and runs a server), whose user and healthcheck are the base image's to settle.
    const text = 'ARG BASE=build\nFROM myorg/app-base:2.1 AS build\nFROM ${BASE}\nEXPOSE 8080\nCMD ["./server"]\n';
    const { findings, dockerfile } = lintWithContext({ text, kind: 'dockerfile', host: { readFile: () => undefined } });
    assert.equal(finalBase(dockerfile!)?.image, 'myorg/app-base:2.1');
    const { silenced } = applyImageFacts(findings, dockerfile!, { 'myorg/app-base:2.1': { user: 'app', healthcheck: true } });
    assert.deepEqual(silenced.map((s) => [s.line, s.code]).sort(), [[2, 'no-root-user'], [2, 'require-healthcheck']]);
  });
});
