import { defineRule, finding } from '../../registry';
import type { DockerfileContext, DockerfileRule } from '../context';
import { imageRoles } from '../imageRole';
import type { Stage } from '../model';
import type { Instruction } from '../parse';
import { UNKNOWN } from '../variables';
import { LESSONS } from './lessons';

export const NO_ROOT_USER = defineRule({
  code: 'no-root-user',
  kind: 'dockerfile',
  aliases: ['DL3002'],
  severity: 'warning',
  title: 'The image should not run as root',
  lesson: LESSONS['no-root-user'],
});

/** The last USER that applies to a stage: its own, else the one of the stage it is built FROM. */
export function effectiveUser(ctx: DockerfileContext, stage: Stage): Instruction | undefined {
  const seen = new Set<number>();
  for (let st: Stage | undefined = stage; st && !seen.has(st.index); st = st.parent !== undefined ? ctx.stages[st.parent] : undefined) {
    seen.add(st.index);
    for (let k = st.instructions.length - 1; k >= 0; k--) if (st.instructions[k].keyword === 'USER') return st.instructions[k];
  }
  return undefined;
}

/**
 * The final image runs as root: an explicit last `USER root` (hadolint's DL3002) in any image, or no USER at all
 * in a service built on an image that runs as root by default (see imageRole.ts: base, export and tooling images
 * are left to whoever runs or builds on them). Neither when running as root is the image's business: the
 * entrypoint drops root (gosu, su-exec, setpriv…), the daemon hands work to unprivileged workers (nginx, Apache,
 * php-fpm), or the program needs root (dockerd); nor when the base image's tag says it runs as non-root. The
 * editor also silences the missing-USER finding when the daemon says the base image's user is not root.
 */
export const noRootUser: DockerfileRule = {
  codes: [NO_ROOT_USER.code],
  check(ctx, report) {
    const final = ctx.model.finalStage;
    const image = imageRoles(ctx).final;
    // A devcontainer, CI or test image runs as whoever the tool that starts it says (remoteUser, the CI job).
    if (!final || !image || image.dropsPrivileges || image.kind === 'tooling') return;
    const user = effectiveUser(ctx, final);
    if (!user) {
      // Only where the base image is known to run as root (an OS, a runtime, scratch): an application's image
      // sets its own user, which the editor learns from the daemon.
      if (image.kind !== 'service' || image.rootIsItsBusiness || image.nonRootBase || image.windows || !image.rootByDefault) return;
      const r = final.imageWord ? ctx.rangeOf(final.from, final.imageWord) : final.from.keywordRange;
      report(finding(NO_ROOT_USER, r,
        'The final stage never sets USER, so the container runs as the base image\'s user, which is root for most images. A process running as root turns any break-in into full control of the container. Create an unprivileged user and switch to it, such as "USER node" or "RUN useradd -r app" then "USER app", after the steps that need root.',
        { aliases: [] }));
      return;
    }
    const word = user.args[0];
    if (!word) return;
    const value = ctx.model.expand(word.raw, user).value;
    if (value.includes(UNKNOWN)) return;
    const name = value.split(':')[0];
    if (name !== 'root' && name !== '0') return;
    const inherited = user.stage !== final.index;
    report(finding(NO_ROOT_USER, ctx.rangeOf(user, word),
      `${inherited ? 'The final stage inherits' : 'The last'} USER "${value}" from ${inherited ? 'the stage it is built on' : 'this stage'}, so the container runs as root. A process running as root turns any break-in into full control of the container. Switch back to an unprivileged user after the steps that need root, such as "USER app".`,
      { aliases: ['DL3002'] }));
  },
};
