import { defineRule, finding } from '../../registry';
import type { DockerfileRule } from '../context';
import { imageRoles, isWindows, stageChain } from '../imageRole';
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

/**
 * Consecutive RUNs that each run one command (or one pipe), with the same flags, in a stage whose layers ship.
 * As hadolint's DL3059: a RUN that already chains commands with && or ; shows the author chose where the layers
 * split (often to keep a slow step cached), so it neither fires nor joins a run. Comments and blank lines are
 * not instructions, so they do not break a run. A builder stage's layers never reach the image (imageRole.ts).
 */
export const chainRun: DockerfileRule = {
  codes: [CHAIN_RUN.code],
  check(ctx, report) {
    const roles = imageRoles(ctx).stages;
    let run: Instruction[] = [];
    const flush = () => {
      if (run.length > 1) {
        const saved = run.length - 1;
        const first = run[0].line + 1;
        for (let k = 1; k < run.length; k++) {
          const ins = run[k];
          const how = ins.stage >= 0 && isWindows(ctx, stageChain(ctx, ctx.stages[ins.stage])) ? 'into one RUN (with && in cmd, ; in PowerShell)' : 'with && into one RUN';
          report(finding(CHAIN_RUN, ins.keywordRange,
            `This is RUN ${k + 1} of ${run.length} in a row (from line ${first}), each running one command. Each RUN adds a layer, and files deleted in a later layer still take space in the earlier one. Joining the ${run.length} RUNs ${how} would save ${saved} layer${saved === 1 ? '' : 's'}.`,
            { data: { first: run[0].line, count: run.length, saved } }));
        }
      }
      run = [];
    };
    for (const ins of ctx.instructions) {
      const joins = ins.keyword === 'RUN' && (ins.stage < 0 || roles[ins.stage]?.ships) && runsOneCommand(ins);
      if (joins && run.length && run[0].stage === ins.stage && flagKey(run[0]) === flagKey(ins)) run.push(ins);
      else {
        flush();
        if (joins) run = [ins];
      }
    }
    flush();
  },
};

/**
 * True when a RUN runs one command or one pipe: no `&&`, `||`, `;`, `&` or line break outside quotes, and no
 * heredoc script. A scan of the text, so this rule needs no shell parser.
 */
export function runsOneCommand(ins: Instruction): boolean {
  if (ins.heredocs.length) return false;
  const t = ins.args.length ? ins.text.slice(ins.args[0].start) : '';
  let quote = 0;
  for (let k = 0; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (quote) {
      if (c === quote) quote = 0;
      else if (c === 92 /* \\ */ && quote === 34) k++;
      continue;
    }
    if (c === 34 || c === 39) quote = c;
    else if (c === 92) k++;
    else if (c === 59 /* ; */ || c === 10) return false;
    else if (c === 124 /* | */ && t.charCodeAt(k + 1) === 124) return false;
    else if (c === 38 /* & */) {
      // `2>&1`, `&>file` and `>&2` redirect; anything else chains or backgrounds.
      const prev = t.charCodeAt(k - 1);
      if (prev !== 62 && prev !== 60 && t.charCodeAt(k + 1) !== 62) return false;
    }
  }
  return true;
}
