import { defineRule, finding } from '../../registry';
import type { DockerfileRule } from '../context';
import type { Instruction } from '../parse';
import { LESSONS } from './lessons';

export const CHAIN_RUN = defineRule({
  code: 'chain-run',
  kind: 'dockerfile',
  aliases: ['DL3059'],
  severity: 'info',
  title: 'Consecutive RUN instructions could be one layer',
  lesson: LESSONS['chain-run'],
});

const flagKey = (ins: Instruction) => ins.flags.map((f) => f.word.raw).sort().join(' ');

export const chainRun: DockerfileRule = {
  codes: [CHAIN_RUN.code],
  check(ctx, report) {
    // Runs of consecutive RUNs in one stage with the same flags; comments and blank lines are not instructions,
    // so they do not break a run.
    let run: Instruction[] = [];
    const flush = () => {
      if (run.length > 1) {
        const saved = run.length - 1;
        const first = run[0].line + 1;
        for (let k = 1; k < run.length; k++) {
          const ins = run[k];
          report(finding(CHAIN_RUN, ins.keywordRange,
            `This is RUN ${k + 1} of ${run.length} in a row (from line ${first}). Each RUN adds a layer, and files deleted in a later layer still take space in the earlier one. Joining the ${run.length} RUNs with && into one RUN would save ${saved} layer${saved === 1 ? '' : 's'}.`,
            { data: { first: run[0].line, count: run.length, saved } }));
        }
      }
      run = [];
    };
    for (const ins of ctx.instructions) {
      if (ins.keyword === 'RUN' && run.length && run[0].stage === ins.stage && flagKey(run[0]) === flagKey(ins)) run.push(ins);
      else {
        flush();
        if (ins.keyword === 'RUN') run = [ins];
      }
    }
    flush();
  },
};
