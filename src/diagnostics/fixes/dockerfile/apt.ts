import { argsNoFlags, commandWithArg, isCommand } from '../../dockerfile/shell/command';
import { hasCacheMount, RunBody, Step } from '../../dockerfile/shell/model';
import type { ShellCommand, ShellWord } from '../../dockerfile/shell/script';
import type { Finding, Position } from '../../types';
import type { DockerfileFixContext } from '../context';
import type { FixDefinition, Proposal } from '../types';
import { stageChain } from './baseImage';
import { flagKey, insertAfterWord, joinRuns, notJoinable, runAt } from './runs';

const samePos = (a: Position, b: Position) => a.line === b.line && a.character === b.character;

/** The command of a RUN one of whose words starts where the finding does. */
function commandAt(run: RunBody, at: Position): ShellCommand | undefined {
  return run.commands.find((c) => [c.nameWord, ...c.args].some((w) => samePos(run.rangeOf(w.start, w.end).start, at)));
}

const APT_GET_VALUE_FLAGS = ['t', 'target-release', 'o', 'option', 'c', 'config-file'];

function installWord(cmd: ShellCommand): ShellWord | undefined {
  const sub = argsNoFlags(cmd, APT_GET_VALUE_FLAGS)[0];
  return sub?.value === 'install' ? sub : undefined;
}

/** The `apt-get install` a finding is about, in a RUN whose body maps back to the file word for word. */
function aptInstall(fx: DockerfileFixContext, finding: Finding): { run: RunBody; install: ShellWord } | undefined {
  const run = runAt(fx, finding.range.start.line);
  if (!run || run.form === 'exec' || !run.script) return undefined;
  const cmd = commandAt(run, finding.range.start);
  const install = cmd && isCommand(cmd, 'apt-get') ? installWord(cmd) : undefined;
  return install ? { run, install } : undefined;
}

/**
 * `-y` only answers the question apt-get would otherwise ask of a build that cannot answer: an install that
 * needed no answer runs the same, and one that did no longer aborts.
 */
export const aptAssumeYes: FixDefinition<DockerfileFixContext> = {
  id: 'apt-assume-yes',
  kind: 'dockerfile',
  rules: ['DL3014'],
  safety: 'safe',
  propose(fx, finding) {
    const a = aptInstall(fx, finding);
    return a ? [{ title: 'Add -y so apt-get install does not stop to ask', edits: [insertAfterWord(a.run, a.install.end, ' -y')] }] : [];
  },
};

export const aptNoInstallRecommends: FixDefinition<DockerfileFixContext> = {
  id: 'apt-no-install-recommends',
  kind: 'dockerfile',
  rules: ['DL3015'],
  safety: 'review',
  risk: 'installs only the packages listed: what they merely recommend (ca-certificates for curl, say) is left out',
  propose(fx, finding) {
    const a = aptInstall(fx, finding);
    return a ? [{ title: 'Add --no-install-recommends', edits: [insertAfterWord(a.run, a.install.end, ' --no-install-recommends')] }] : [];
  },
};

// --- apt lists cleanup -----------------------------------------------------------------------------------------

const CLEANUP = 'rm -rf /var/lib/apt/lists/*';

const isUpdate = (c: ShellCommand) => commandWithArg(c, ['apt', 'apt-get', 'aptitude'], ['update']);
const NEEDS_LISTS = ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'source', 'download', 'satisfy', 'reinstall', 'changelog'];

/** Reads the package lists: installs, upgrades, downloads, `apt-cache`. */
function readsLists(c: ShellCommand): boolean {
  if (isCommand(c, 'apt-cache', 'aptitude')) return true;
  if (!isCommand(c, 'apt-get', 'apt')) return false;
  const sub = argsNoFlags(c, APT_GET_VALUE_FLAGS)[0]?.value;
  return sub !== undefined && NEEDS_LISTS.includes(sub);
}

/** Whether a RUN reads the lists before it downloads its own: -1 reads the old lists, 1 refreshes them first, 0 neither. */
function listUse(step: Step): -1 | 0 | 1 {
  const run = step.run;
  if (!run) return 0;
  if (hasCacheMount(run, '/var/lib/apt/lists') || hasCacheMount(run, '/var/lib/apt')) return 1;
  // A body the parser could not read may well use apt: assume it does.
  if (!run.script) return /\bapt(-get|-cache|itude)?\b/.test(run.text) ? -1 : 0;
  for (const c of run.commands) {
    if (isUpdate(c)) return 1;
    if (readsLists(c)) return -1;
  }
  return 0;
}

/**
 * The steps after `run` that read the apt lists it leaves (before any step downloads them again): later RUNs of its
 * stage, RUNs of stages built on it, and ONBUILD triggers, which run wherever the image is built on.
 */
function laterReaders(fx: DockerfileFixContext, run: RunBody): Step[] | 'unknown' {
  const steps = fx.shell.steps;
  const stage = run.step.stage;
  const startAt = steps.indexOf(run.step);
  const readers: Step[] = [];
  for (let i = startAt + 1; i < steps.length; i++) {
    const s = steps[i];
    if (s.stage !== stage) continue;
    if (s.keyword !== 'RUN') continue;
    if (s.onbuild) return 'unknown';
    const use = listUse(s);
    if (use === 1) return readers;
    if (use === -1) readers.push(s);
  }
  // Stages built on this one start from its end.
  for (const s of steps) {
    if (s.stage === stage || s.keyword !== 'RUN' || s.stage.index < 0) continue;
    const df = fx.df.stages[s.stage.index];
    if (!df || !stageChain(fx.df, df).some((st) => st.index === stage.index)) continue;
    if (listUse(s) === -1) return 'unknown';
  }
  return readers;
}

/**
 * Deletes the apt lists after the last command of the image that reads them: at the end of this RUN when nothing
 * after it needs them, or after joining it with the following RUNs that do. Never before an install. For an
 * `apt-get update` alone in its RUN, only the join with the RUNs that read the lists is offered: that is the fix.
 */
export const aptCleanLists: FixDefinition<DockerfileFixContext> = {
  id: 'apt-clean-lists',
  kind: 'dockerfile',
  rules: ['DL3009', 'apt-update-alone'],
  safety: 'review',
  risk: 'the image no longer has the package lists: apt-get install in a later build step or in the container needs apt-get update first',
  propose(fx, finding): Proposal[] {
    const run = runAt(fx, finding.range.start.line);
    if (!run || notJoinable(fx, run)) return [];
    const readers = laterReaders(fx, run);
    if (readers === 'unknown') return [];
    if (!readers.length) {
      if (finding.code === 'apt-update-alone') return [];
      const j = joinRuns(fx, [run], CLEANUP);
      return j ? [{ title: `Delete the apt lists at the end of this RUN (${CLEANUP})`, edits: [j.edit] }] : [];
    }
    // Join with the RUNs up to the last reader, if they directly follow and can be joined.
    const ins = fx.df.instructions;
    const from = ins.indexOf(run.step.instruction);
    const to = ins.indexOf(readers[readers.length - 1].instruction);
    const runs: RunBody[] = [];
    for (let i = from; i <= to; i++) {
      const r = runAt(fx, ins[i].line);
      if (!r || r.step.instruction !== ins[i] || notJoinable(fx, r) || flagKey(r) !== flagKey(run) || ins[i].stage !== run.step.instruction.stage) return [];
      runs.push(r);
    }
    const j = joinRuns(fx, runs, CLEANUP);
    if (!j) return [];
    const lines = runs.slice(1).map((r) => r.step.instruction.line + 1);
    const risk = j.stateful ? `${aptCleanLists.risk}; later commands also run in the shell state the earlier ones leave (${j.stateful})` : undefined;
    return [{ title: `Join with the RUN${lines.length > 1 ? 's' : ''} on line${lines.length > 1 ? 's' : ''} ${lines.join(', ')} and delete the apt lists after ${lines.length > 1 ? 'them' : 'it'}`, edits: [j.edit], risk }];
  },
};
