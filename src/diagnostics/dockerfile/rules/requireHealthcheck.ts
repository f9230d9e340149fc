import { defineRule, finding } from '../../registry';
import type { DockerfileRule } from '../context';
import { imageRoles } from '../imageRole';
import { LESSONS } from './lessons';

export const REQUIRE_HEALTHCHECK = defineRule({
  code: 'require-healthcheck',
  kind: 'dockerfile',
  aliases: ['DL3057'],
  severity: 'info',
  title: 'A service that listens on a port should declare a HEALTHCHECK',
  lesson: LESSONS['require-healthcheck'],
});

/**
 * Only for a service that listens (EXPOSE, or a server base image): that is what a HEALTHCHECK can probe. Base,
 * export and tooling images (imageRole.ts) and workers with no port are left alone. A HEALTHCHECK in the final
 * stage or a stage it is built FROM counts (HEALTHCHECK NONE too: a choice); the editor also counts one the base
 * image declares, when the daemon has it (imageFacts.ts).
 */
export const requireHealthcheck: DockerfileRule = {
  codes: [REQUIRE_HEALTHCHECK.code],
  check(ctx, report) {
    const final = ctx.model.finalStage;
    const roles = imageRoles(ctx);
    if (!final || roles.final?.kind !== 'service' || !roles.final.listens) return;
    if (roles.finalChain.some((st) => st.instructions.some((i) => i.keyword === 'HEALTHCHECK'))) return;
    const r = final.imageWord ? ctx.rangeOf(final.from, final.imageWord) : final.from.keywordRange;
    report(finding(REQUIRE_HEALTHCHECK, r,
      'The final stage has no HEALTHCHECK, so Docker can only tell whether the process is running, not whether it still answers. Add one that probes the app, such as HEALTHCHECK CMD wget -qO- http://localhost:3000/health || exit 1, or write HEALTHCHECK NONE to say you chose not to.',
    ));
  },
};
