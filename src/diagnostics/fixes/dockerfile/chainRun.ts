import type { RunBody } from '../../dockerfile/shell/model';
import type { Finding } from '../../types';
import type { DockerfileFixContext } from '../context';
import { runsOneCommand } from '../../dockerfile/rules/chainRun';
import type { FixDefinition } from '../types';
import { flagKey, joinRuns, notJoinable, runAt, RunEdit } from './runs';

/**
 * The consecutive RUNs around the finding that can be joined (same stage, same flags, shell form, a POSIX shell),
 * and the join. Several findings of one run of RUNs share it.
 */
function chain(fx: DockerfileFixContext, finding: Finding): { runs: RunBody[]; join: RunEdit } | undefined {
  const run = runAt(fx, finding.range.start.line);
  if (!run) return undefined;
  const window = windows(fx).get(run);
  if (!window || window.length < 2) return undefined;
  return fx.memo(`chain:${window[0].step.instruction.line}`, () => {
    const join = joinRuns(fx, window);
    return join ? { runs: window, join } : undefined;
  });
}

/**
 * Every RUN's window of joinable neighbours, in one pass over the instructions. Only RUNs that run one command
 * take part, as in the rule: a RUN that already chains commands marks where its author chose to split the layers.
 */
function windows(fx: DockerfileFixContext): Map<RunBody, RunBody[]> {
  return fx.memo('chain-windows', () => {
    const out = new Map<RunBody, RunBody[]>();
    let current: RunBody[] = [];
    for (const ins of fx.df.instructions) {
      const r = ins.keyword === 'RUN' ? runAt(fx, ins.line) : undefined;
      const ok = r && r.step.instruction === ins && runsOneCommand(ins) && !notJoinable(fx, r);
      const prev = current[current.length - 1];
      if (ok && prev && prev.step.instruction.stage === ins.stage && flagKey(prev) === flagKey(r)) current.push(r);
      else current = ok ? [r] : [];
      if (ok) out.set(r, current);
    }
    return out;
  });
}

export const chainRunSafe: FixDefinition<DockerfileFixContext> = {
  id: 'chain-run',
  kind: 'dockerfile',
  rules: ['chain-run', 'DL3059'],
  safety: 'safe',
  propose(fx, finding) {
    const c = chain(fx, finding);
    if (!c || c.join.stateful) return [];
    return [{ title: `Chain ${c.runs.length} RUN instructions into one layer`, edits: [c.join.edit] }];
  },
};

export const chainRunShellState: FixDefinition<DockerfileFixContext> = {
  id: 'chain-run-shell-state',
  kind: 'dockerfile',
  rules: ['chain-run', 'DL3059'],
  safety: 'review',
  risk: 'later commands then run in the directory and shell state the earlier ones leave',
  propose(fx, finding) {
    const c = chain(fx, finding);
    if (!c?.join.stateful) return [];
    return [{
      title: `Chain ${c.runs.length} RUN instructions into one layer`,
      edits: [c.join.edit],
      risk: `later commands then run in the shell state the earlier ones leave (${c.join.stateful})`,
    }];
  },
};
