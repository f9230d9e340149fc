import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import '../../../src/diagnostics/engine';
import { allRules } from '../../../src/diagnostics/registry';

describe('compose: rule docs', () => {
  it('every compose rule has its page, named after its code, and a lesson', () => {
    const rules = allRules('compose');
    assert.ok(rules.length >= 20);
    for (const r of rules) {
      const page = path.resolve(__dirname, '../../../docs/rules/compose', `${r.code}.md`);
      assert.ok(existsSync(page), `missing ${page}`);
      assert.match(readFileSync(page, 'utf8'), new RegExp('^# `' + r.code + '`'));
      if (r.code !== 'not-a-text-file' && r.code !== 'internal-error') assert.match(r.lesson ?? '', /^dockwise\.todoApp#(compose|security)$/, r.code);
    }
  });
});
