import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { defaultConfig, LintConfig } from '../../../src/diagnostics/config';
import { forgetLints, lint, lintWithContext, prepareLint, rememberLints } from '../../../src/diagnostics/engine';
import type { LintHost } from '../../../src/diagnostics/host';
import type { SeveritySetting } from '../../../src/diagnostics/types';

const noFiles: LintHost = { readFile: () => undefined };
const DOCKERFILE = 'FROM node:latest\nRUN echo a\nRUN echo b\nRUN echo c\nADD x.txt /x\n';

describe('the lint engine', () => {
  before(() => prepareLint());

  it('registers the compose rules on request, before any compose file is linted (the rule pages list them)', () => {
    // A fresh process: in this one other tests have linted compose files already.
    const script = `const e = require('./src/diagnostics/engine'); const r = require('./src/diagnostics/registry');
      const before = r.allRules('compose').length; e.registerAllRules();
      console.log(JSON.stringify([before, r.allRules('compose').length, !!r.ruleByName('compose', 'no-docker-socket')]));`;
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: path.resolve(__dirname, '../../..'), encoding: 'utf8' });
    const [before, after, found] = JSON.parse(out.trim().split('\n').pop()!) as [number, number, boolean];
    assert.ok(before < 5, `${before} compose rules before any compose lint: loading them is lazy`);
    assert.ok(after > 20, `${after} compose rules`);
    assert.equal(found, true);
  });

  it('reads a config with 60,000 rules once per lint, not once per finding', () => {
    const rules: Record<string, SeveritySetting> = {};
    for (let i = 0; i < 60000; i++) rules[`custom-rule-${i}`] = 'off';
    rules['no-latest-tag'] = 'error';
    let enumerations = 0;
    const counted = new Proxy(rules, { ownKeys: (t) => (enumerations++, Reflect.ownKeys(t)) });
    const text = DOCKERFILE.repeat(80);
    const findings = lint({ text, kind: 'dockerfile', config: { rules: counted }, host: noFiles });
    assert.ok(findings.length > 100, `${findings.length} findings`);
    assert.equal(findings.find((f) => f.code === 'no-latest-tag')?.severity, 'error');
    // One for the severities, one for the experimental BuildKit check that asks whether it is configured.
    assert.ok(enumerations <= 2, `the rule table was enumerated ${enumerations} times for ${findings.length} findings`);
  });

  it('lints the beginning of a Dockerfile too large to lint whole, and says so', () => {
    const block = 'FROM alpine:3.20 AS s\nRUN apk add curl\nCOPY a /b/\n';
    const text = block.repeat(100) + 'RUN <<EOF\necho never closed\n';
    const { findings, lintedChars } = lintWithContext({ text, kind: 'dockerfile', host: noFiles, maxBytes: 1000 });
    const partial = findings.filter((f) => f.code === 'linted-partially');
    assert.equal(partial.length, 1);
    assert.match(partial[0].message, /^Linted partially: .* only lines 1–\d+ /);
    const lastLine = Number(/lines 1–(\d+)/.exec(partial[0].message)![1]);
    assert.ok(lintedChars! <= 1000 && lintedChars! > 900, `${lintedChars}`);
    assert.equal(text.slice(0, lintedChars).split('\n').length - 1, lastLine);
    assert.ok(findings.every((f) => f.range.start.line < lastLine), 'nothing reported past the linted part');
    // The cut falls before an instruction, never inside one.
    assert.match(text.slice(lintedChars!), /^(FROM|RUN|COPY) /);
    assert.ok(findings.some((f) => f.code === 'apk-no-cache'));
  });

  it('remembers recent results only when asked, and forgets them on request', () => {
    let reads = 0;
    const host: LintHost = { readFile: () => (reads++, undefined) };
    const config: LintConfig = defaultConfig();
    const req = { text: 'FROM alpine:3.20\nCOPY . /app\n', kind: 'dockerfile' as const, filePath: '/p/Dockerfile', config, host };
    lint(req);
    const once = reads;
    assert.ok(once > 0, 'linting a COPY reads .dockerignore');
    lint(req);
    assert.equal(reads, 2 * once, 'not remembered by default');
    rememberLints(2);
    try {
      const first = lint(req);
      lint({ ...req, text: req.text + '\n' });
      const again = lint({ ...req });
      assert.equal(reads, 4 * once, 'the same request a second time is answered from memory');
      assert.deepEqual(again, first);
      again.pop();
      assert.deepEqual(lint(req), first, 'callers get their own copy of the findings list');
      lint({ ...req, config: defaultConfig() });
      assert.equal(reads, 5 * once, 'another config object is another request');
      forgetLints();
      lint(req);
      assert.equal(reads, 6 * once);
    } finally {
      rememberLints(0);
    }
  });
});
