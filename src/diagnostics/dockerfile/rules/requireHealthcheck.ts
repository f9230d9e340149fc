import { defineRule, finding } from '../../registry';
import type { DockerfileRule } from '../context';
import type { Stage } from '../model';
import { LESSONS } from './lessons';

export const REQUIRE_HEALTHCHECK = defineRule({
  code: 'require-healthcheck',
  kind: 'dockerfile',
  aliases: ['DL3057'],
  severity: 'info',
  title: 'The final image should declare a HEALTHCHECK',
  lesson: LESSONS['require-healthcheck'],
});

export const requireHealthcheck: DockerfileRule = {
  codes: [REQUIRE_HEALTHCHECK.code],
  check(ctx, report) {
    const final = ctx.model.finalStage;
    if (!final) return;
    // A HEALTHCHECK in the final stage or in a stage it is built FROM counts (HEALTHCHECK NONE too: a choice).
    const seen = new Set<number>();
    for (let st: Stage | undefined = final; st && !seen.has(st.index); st = st.parent !== undefined ? ctx.stages[st.parent] : undefined) {
      seen.add(st.index);
      if (st.instructions.some((i) => i.keyword === 'HEALTHCHECK')) return;
    }
    const r = final.imageWord ? ctx.rangeOf(final.from, final.imageWord) : final.from.keywordRange;
    report(finding(REQUIRE_HEALTHCHECK, r,
      'The final stage has no HEALTHCHECK, so Docker can only tell whether the process is running, not whether it still answers. Add one that probes the app, such as HEALTHCHECK CMD wget -qO- http://localhost:3000/health || exit 1, or write HEALTHCHECK NONE to say you chose not to.',
    ));
  },
};
