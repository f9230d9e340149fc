import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../../src/diagnostics/engine';
import { allRules, finding } from '../../../src/diagnostics/registry';
import { BUILDKIT_CHECKS } from '../../../src/diagnostics/dockerfile/rules/buildkit/meta';
import { formatSarif } from '../../../src/cli/formats';
import { parseRulePageUriPath, rulePagePath, rulePageUriPath, webDocsHref, webPages } from '../../../src/language/ruleDocs';

const root = path.resolve(__dirname, '../../..');

describe('rule pages and their web addresses', () => {
  it('has a page in docs/rules for every rule, and the package ships that folder', () => {
    const rules = allRules();
    assert.ok(rules.length > 100, `${rules.length} rules`);
    for (const r of rules) assert.ok(existsSync(path.join(root, rulePagePath(r.kind, r.code))), `no page for ${r.kind} rule ${r.code}`);
    const ignore = readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!docs/rules/**'), '.vscodeignore lets docs/rules/ into the .vsix');
  });

  it('gives a web address only where one exists: BuildKit checks, hadolint DL rules, ShellCheck codes', () => {
    assert.equal(webDocsHref(['StageNameCasing']), 'https://docs.docker.com/go/dockerfile/rule/stage-name-casing/');
    assert.equal(webDocsHref(['JSONArgsRecommended', 'DL3025']), 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/');
    assert.equal(webDocsHref(['DL3008']), 'https://github.com/hadolint/hadolint/wiki/DL3008');
    assert.equal(webDocsHref(['SC2086']), 'https://www.shellcheck.net/wiki/SC2086');
    assert.equal(webDocsHref([]), undefined);
    assert.equal(webDocsHref(['DL9999']), undefined, 'no such hadolint rule');
    // BuildKit's ruleset gives every check a docs URL except InvalidBaseImagePlatform.
    assert.deepEqual(BUILDKIT_CHECKS.filter((c) => !webPages([c]).length), ['InvalidBaseImagePlatform']);
    // Every DL code a rule answers to has a wiki page (hadolint's README links one for each rule it has).
    const dl = allRules().flatMap((r) => r.aliases.filter((a) => /^DL\d{4}$/.test(a)));
    assert.deepEqual(dl.filter((a) => !webDocsHref([a])), []);
  });

  it('never links a finding or a SARIF rule to a page that does not exist', () => {
    const text = 'FROM debian\nMAINTAINER me\nRUN apt-get install curl\nRUN cd /x\n';
    const findings = lint({ text, kind: 'dockerfile' });
    assert.ok(findings.length >= 4);
    for (const f of findings) {
      assert.doesNotMatch(f.href ?? '', /github\.com\/dockwise/, f.code);
      if (f.href) assert.equal(f.href, webDocsHref(f.aliases), f.code);
    }
    const byCode = new Map(findings.map((f) => [f.code, f]));
    assert.equal(byCode.get('maintainer-deprecated')?.href, 'https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/');
    assert.equal(byCode.get('chain-run')?.href, 'https://github.com/hadolint/hadolint/wiki/DL3059');
    const own = allRules('dockerfile').find((r) => r.aliases.length === 0);
    assert.ok(own);
    assert.equal('href' in finding(own, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, 'm'), false, 'a rule of its own has no web page');
    const sarif = JSON.parse(formatSarif(findings.map((f) => ({ ...f, file: '/x/Dockerfile', line: 1, column: 1, endLine: 1, endColumn: 2 })), '0.0.0'));
    for (const r of sarif.runs[0].tool.driver.rules) assert.doesNotMatch(String(r.helpUri), /github\.com\/dockwise/);
  });

  it('names rule pages by kind and code, and refuses anything else', () => {
    assert.equal(rulePageUriPath('compose', 'no-docker-socket'), '/compose/no-docker-socket');
    assert.deepEqual(parseRulePageUriPath('/dockerfile/no-root-user'), { kind: 'dockerfile', code: 'no-root-user' });
    for (const bad of ['/dockerfile/../../package.json', '/dockerfile/a/b', '/other/x', '/dockerfile/', 'dockerfile/x', '/compose/x.md']) {
      assert.equal(parseRulePageUriPath(bad), undefined, bad);
    }
  });
});
