/**
 * A non-root user for the final stage, in the way its base image allows: the user an earlier RUN created, the one
 * the image ships (node, distroless's nonroot), a numeric id where there is no user database (`scratch`),
 * `ContainerUser` on Windows, `adduser` on busybox and alpine, `useradd` on Debian and Ubuntu, a bare numeric id
 * elsewhere. USER goes after the stage's last build step, so every RUN still runs as the user it ran as before.
 *
 * Never safe: the process then runs as someone else, who may not be able to write the files it needs or listen on
 * a port below 1024.
 */
import { argsNoFlags, isCommand } from '../../dockerfile/shell/command';
import type { DockerfileFixContext } from '../context';
import { pos } from '../text';
import type { FixDefinition, Proposal } from '../types';
import { baseOf, stageChain } from './baseImage';

/** Instructions that make files or run commands, and so depend on USER (WORKDIR creates its folder as that user). */
const BUILD_STEPS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

const USERADD_VALUE_FLAGS = ['b', 'c', 'd', 'e', 'f', 'g', 'G', 'k', 'K', 'p', 's', 'u', 'R', 'P', 'Z', 'h', 'base-dir', 'comment', 'home-dir', 'home', 'expiredate', 'inactive', 'gid', 'groups', 'skel', 'key', 'password', 'shell', 'uid', 'root', 'prefix', 'selinux-user', 'ingroup', 'gecos', 'firstuid', 'lastuid', 'conf'];

/** A user some RUN of the stage (or a stage it is built on) creates, by name. */
function createdUser(fx: DockerfileFixContext, stageIndex: number): string | undefined {
  const chain = new Set(stageChain(fx.df, fx.df.stages[stageIndex]).map((s) => s.index));
  let found: string | undefined;
  for (const run of fx.shell.runs) {
    if (run.step.onbuild || !chain.has(run.step.stage.index)) continue;
    for (const c of run.commands) {
      if (!isCommand(c, 'useradd', 'adduser')) continue;
      const name = argsNoFlags(c, USERADD_VALUE_FLAGS)[0]?.value;
      if (name && /^[a-z_][a-z0-9_-]*\$?$/i.test(name)) found = name;
    }
  }
  return found;
}

interface UserPlan {
  lines: string[];
  user: string;
  note?: string;
}

function userFor(fx: DockerfileFixContext, stageIndex: number): UserPlan {
  const existing = createdUser(fx, stageIndex);
  if (existing) return { lines: [], user: existing };
  const base = baseOf(fx.df, fx.df.stages[stageIndex]);
  switch (base.family) {
    case 'scratch':
      return { lines: [], user: '65534:65534', note: 'a numeric id, as scratch has no user database' };
    case 'distroless':
      return { lines: [], user: '65532:65532', note: 'the nonroot user the image ships' };
    case 'windows':
      return { lines: [], user: 'ContainerUser' };
    case 'alpine':
    case 'busybox':
      return { lines: ['RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app'], user: '10001:10001' };
    case 'debian':
      if (base.official === 'node') return { lines: [], user: 'node', note: 'the user node images ship' };
      return { lines: ['RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-log-init app'], user: '10001:10001' };
    default:
      return { lines: [], user: '10001:10001', note: 'a numeric id with no user entry: HOME is /' };
  }
}

export const nonRootUser: FixDefinition<DockerfileFixContext> = {
  id: 'non-root-user',
  kind: 'dockerfile',
  rules: ['no-root-user', 'DL3002'],
  safety: 'review',
  risk: 'the app then cannot write files owned by root (COPY makes them root\'s unless --chown) or listen on ports below 1024',
  propose(fx): Proposal[] {
    const final = fx.df.model.finalStage;
    if (!final) return [];
    const plan = userFor(fx, final.index);
    // After the last build step (no RUN, COPY, ADD or WORKDIR of the stage runs as the new user) and after the last
    // USER (a `USER root` the steps needed would otherwise win).
    let lastStep = final.from;
    for (const ins of final.instructions) if (BUILD_STEPS.has(ins.keyword) || ins.keyword === 'USER') lastStep = ins;
    const lines = fx.lines;
    const eol = lines.eolAt(lastStep.endLine);
    const block = [...plan.lines, `USER ${plan.user}`].join(eol);
    const end = lines.endOf(lastStep.endLine);
    const edit = lines.hasEol(lastStep.endLine)
      ? { range: { start: pos(lastStep.endLine + 1, 0), end: pos(lastStep.endLine + 1, 0) }, newText: block + eol }
      : { range: { start: end, end }, newText: eol + block };
    return [{ title: `Run as ${plan.user}${plan.note ? ` (${plan.note})` : ''} after the last build step`, edits: [edit] }];
  },
};
