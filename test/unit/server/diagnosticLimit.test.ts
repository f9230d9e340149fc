import * as assert from 'node:assert/strict';
import { EDITOR_MAX_PER_FILE, findingsToShow, hiddenFindingsMessage } from '../../../src/server/diagnosticLimit';
import { Finding, range, Severity } from '../../../src/diagnostics/types';

const at = (line: number, severity: Severity): Finding => ({ code: `c${line}`, severity, message: 'm', range: range(line, 0, line, 1), aliases: [] });

describe('the findings an editor is sent', () => {
  it('sends every finding when they fit', () => {
    const all = [at(0, 'hint'), at(1, 'error')];
    assert.deepEqual(findingsToShow(all, 3), { shown: all, hidden: 0 });
  });

  it('keeps the most severe first, as VS Code does, in file order, with room for the note', () => {
    // 3 hints, 2 warnings, 2 errors, 1 info; room for 4 (5 minus the note).
    const all = [at(0, 'hint'), at(1, 'warning'), at(2, 'error'), at(3, 'hint'), at(4, 'info'), at(5, 'warning'), at(6, 'error'), at(7, 'hint')];
    const { shown, hidden } = findingsToShow(all, 5);
    assert.deepEqual(shown.map((f) => f.range.start.line), [1, 2, 5, 6]);
    assert.equal(hidden, 4);
    // Part of a severity: its first findings in the file.
    assert.deepEqual(findingsToShow(all, 4).shown.map((f) => f.range.start.line), [1, 2, 6]);
  });

  it('uses VS Code\'s own limit, and says how to see the rest', () => {
    assert.equal(EDITOR_MAX_PER_FILE, 1000);
    const all = Array.from({ length: 2500 }, (_, i) => at(i, 'warning'));
    const { shown, hidden } = findingsToShow(all);
    assert.equal(shown.length + 1, EDITOR_MAX_PER_FILE);
    assert.equal(hidden, 1501);
    assert.equal(hiddenFindingsMessage(hidden, all.length, 'Dockerfile'),
      '1,501 more of this file\'s 2,500 findings are not shown: an editor shows at most 1,000 per file, the most severe first. `dockwise lint Dockerfile` lists them all.');
  });
});
