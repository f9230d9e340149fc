import * as assert from 'node:assert/strict';
import '../../../src/diagnostics/engine'; // registers every rule, so their lesson links can be checked
import { allRules } from '../../../src/diagnostics/registry';
import { allStepKeys } from '../../../src/walkthroughs/course';
import { LESSONS, lessonName, openWalkthroughArgs, qualifiedStepId, resolveLesson } from '../../../src/walkthroughs/lessons';

describe('lessons: "learn why" targets', () => {
  it('has an entry per step, including the ones rules point to', () => {
    assert.equal(LESSONS.size, allStepKeys().length);
    for (const name of ['dockwise.todoApp#dockerfile', 'dockwise.todoApp#security', 'dockwise.todoApp#compose', 'dockwise.todoApp#layers',
      'dockwise.todoApp#storage', 'dockwise.todoApp#networking', 'dockwise.vmKiller#architecture']) {
      assert.ok(LESSONS.has(name), name);
    }
  });

  it('resolves every lesson a registered rule names', () => {
    const rules = allRules().filter((r) => r.lesson);
    assert.ok(rules.length > 0, 'at least one rule links a lesson');
    for (const r of rules) assert.ok(resolveLesson(r.lesson!), `${r.kind}/${r.code} → ${r.lesson}`);
  });

  it('builds the arguments workbench.action.openWalkthrough expects', () => {
    const target = resolveLesson('dockwise.todoApp#security')!;
    assert.deepEqual(openWalkthroughArgs(target), { category: 'dockwise.dockwise#todoApp', step: 'security' });
    assert.equal(qualifiedStepId(target), 'dockwise.dockwise#todoApp#security');
    assert.equal(lessonName('vmKiller', 'architecture'), 'dockwise.vmKiller#architecture');
  });

  it('accepts the qualified step id and a bare walkthrough, and rejects the rest', () => {
    assert.deepEqual(resolveLesson('dockwise.dockwise#todoApp#compose'), { walkthrough: 'todoApp', step: 'compose' });
    assert.deepEqual(resolveLesson('dockwise.wrapUp'), { walkthrough: 'wrapUp', step: 'recap' });
    assert.deepEqual(resolveLesson('dockwise.todoApp#healthcheck'), { walkthrough: 'todoApp', step: 'troubleshooting' }, 'alias');
    assert.deepEqual(resolveLesson('dockwise.todoApp#multistage'), { walkthrough: 'todoApp', step: 'multiStage' }, 'any case');
    assert.equal(resolveLesson('__proto__'), undefined);
    for (const bad of ['', 'todoApp#security', 'dockwise.todoApp#nope', 'dockwise.nope', 'x'.repeat(10_000), 42 as unknown as string]) {
      assert.equal(resolveLesson(bad), undefined, String(bad).slice(0, 40));
    }
  });
});
