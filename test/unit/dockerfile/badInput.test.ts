import * as assert from 'node:assert/strict';
import { lintDockerfile } from '../../../src/diagnostics/dockerfile';
import { defaultConfig } from '../../../src/diagnostics/config';
import { CORE_DOCKERFILE_RULES, DOCKERFILE_RULES } from '../../../src/diagnostics/dockerfile/rules';
import type { DockerfileRule } from '../../../src/diagnostics/dockerfile/context';
import { byCode, df, lintText } from './helpers';
import { createContext } from '../../../src/diagnostics/dockerfile/context';
import { applyIgnores } from '../../../src/diagnostics/dockerfile/ignores';
import type { Finding } from '../../../src/diagnostics/types';

/** The syntax, course and BuildKit rules (the shell-script and package-manager rules have their own bad-input tests). */
const CORE_RULES = CORE_DOCKERFILE_RULES;

/** Runs `fn` and fails if it uses more than `ms` of CPU (a hang guard, not a benchmark; CPU time, so a busy machine does not fail it). */
function within<T>(ms: number, fn: () => T): T {
  const t0 = process.cpuUsage();
  const out = fn();
  const used = process.cpuUsage(t0);
  const took = (used.user + used.system) / 1000;
  assert.ok(took < ms, `took ${took.toFixed(0)} ms of CPU`);
  return out;
}

describe('Dockerfile linting of bad input', () => {
  it('an empty or blank file gets a clear "no FROM" finding', () => {
    for (const text of ['', '\n\n', '# only a comment\n']) assert.equal(byCode(lintText(text), 'no-from').length, 1, JSON.stringify(text));
  });

  it('binary garbage is reported, not linted', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, k) => (k * 7919) % 256)).toString('latin1');
    const fs = lintText(bytes);
    assert.equal(fs.length, 1);
    assert.equal(fs[0].code, 'not-a-text-file');
  });

  it('invalid UTF-8 decoded to replacement characters still lints', () => {
    const text = new TextDecoder('utf-8').decode(Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xff, 0xfe, 0x0a, 0x52, 0x55, 0x4e, 0x20, 0xc3, 0x28, 0x0a]));
    const fs = lintText(text);
    assert.ok(fs.length > 0);
    assert.ok(!fs.some((f) => f.code === 'internal-error'), JSON.stringify(fs));
  });

  it('a 10,000-line continuation is one instruction and lints quickly', () => {
    const text = 'FROM alpine:3\nRUN echo start \\\n' + Array.from({ length: 10000 }, (_, k) => `  && echo ${k} \\`).join('\n') + '\n  && echo end\n';
    const fs = within(5000, () => lintText(text));
    assert.ok(!fs.some((f) => f.code === 'internal-error'));
  });

  it('a 10 MB Dockerfile goes through the scanner, stage model, core rules and ignore comments in linear time', () => {
    const block = 'FROM alpine:3.19 AS s\nRUN apk add --no-cache curl && echo ok\nCOPY a /b/\nENV A=1\n# dockwise-ignore chain-run\n';
    const text = block.repeat(Math.ceil((10 * 1024 * 1024) / block.length));
    const out = within(100000, () => {
      const ctx = createContext(text, '/p/Dockerfile', defaultConfig(), { readFile: () => undefined });
      const found: Finding[] = [];
      for (const rule of CORE_RULES) rule.check(ctx, (f) => found.push(f));
      return applyIgnores(ctx, found);
    });
    assert.ok(out.length > 0);
  }).timeout(200000);

  it('an unterminated heredoc and other odd shapes get findings, not exceptions', () => {
    for (const text of [df('FROM alpine:3', 'RUN <<EOF'), df('FROM alpine:3', 'COPY <<', 'x'), df('FROM'), df('FROM alpine:3 AS'), df('\\'), df('FROM alpine:3', 'RUN \\'),
      df('# escape=`', 'FROM alpine:3', 'RUN a `'), df('FROM ${', 'ENV A=${'), df('FROM alpine:3', 'EXPOSE ::::'), df('FROM alpine:3', 'ARG =', 'ENV =')]) {
      const fs = lintText(text);
      assert.ok(!fs.some((f) => f.code === 'internal-error'), `${text}: ${JSON.stringify(fs.filter((f) => f.code === 'internal-error'))}`);
    }
  });

  it('a rule that throws becomes an internal-error finding and the other rules still report', () => {
    const rules = DOCKERFILE_RULES as DockerfileRule[];
    const broken: DockerfileRule = { codes: ['broken-rule'], check: () => { throw new Error('boom'); } };
    rules.unshift(broken);
    try {
      const fs = lintDockerfile({ text: df('FROM node:latest'), config: defaultConfig(), host: { readFile: () => undefined } });
      const err = byCode(fs, 'internal-error');
      assert.equal(err.length, 1);
      assert.match(err[0].message, /broken-rule.*boom/);
      assert.equal(byCode(fs, 'no-latest-tag').length, 1);
    } finally {
      rules.splice(rules.indexOf(broken), 1);
    }
  });
});
