import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import '../../../src/diagnostics/engine';
import '../../../src/diagnostics/imageFacts';
import '../../../src/diagnostics/shellcheck';
import { allRules } from '../../../src/diagnostics/registry';

describe('Dockerfile: rule docs', () => {
  it('every Dockerfile rule has its page, named after its code', () => {
    const rules = allRules('dockerfile');
    assert.ok(rules.length >= 80, `${rules.length} rules`);
    for (const r of rules) {
      const page = path.resolve(__dirname, '../../../docs/rules', `${r.code}.md`);
      assert.ok(existsSync(page), `missing ${page}`);
      assert.match(readFileSync(page, 'utf8'), new RegExp('^# `?' + r.code + '`?\\n'), page);
    }
  });
});
