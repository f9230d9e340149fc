import * as assert from 'node:assert/strict';
import { lint, prepareLint } from '../../../src/diagnostics/engine';

describe('shell rules on very long RUN instructions', () => {
  before(() => prepareLint());

  // A hang guard, not a benchmark: before subshell detection became one sweep, 2,000 lines took ~30 s.
  it('a 10,000-line && chain is parsed and linted without stalling', function () {
    this.timeout(20_000);
    const text = 'FROM alpine:3.20\nRUN apk add curl \\\n' + Array.from({ length: 10_000 }, (_, k) => `  && echo ${k} \\`).join('\n') + '\n  && (cd /tmp && echo inside)\n';
    const findings = lint({ text, kind: 'dockerfile' });
    assert.ok(!findings.some((f) => f.code === 'internal-error'));
    assert.ok(findings.some((f) => f.aliases.includes('DL3018')), 'the apk rules still read the script');
  });
});
