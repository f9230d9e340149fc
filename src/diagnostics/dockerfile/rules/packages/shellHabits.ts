/** Shell habits that do not fit a Dockerfile: cd, sudo, interactive tools, two downloaders, pipes without pipefail. */
import { execForm, unquote } from '../../parse';
import { basename, commandWithArg, flagValues, hasFlag, isCommand } from '../../shell/command';
import type { ShellCommand } from '../../shell/script';
import { defineHadolintRule, modelRule, runRule, wordRange } from './util';

export const NO_POINTLESS_COMMANDS = defineHadolintRule({
  code: 'no-pointless-commands',
  alias: 'DL3001',
  severity: 'info',
  title: 'Commands such as ssh, vim, top or service make no sense while building an image',
});

const POINTLESS = new Map<string, string>([
  ['free', 'shows the memory of the build machine, not of the container that will run'],
  ['kill', 'there are no processes of yours to stop while building'],
  ['mount', 'a build cannot mount file systems; use RUN --mount or volumes at run time'],
  ['ps', 'shows the processes of one build step, which are gone after it'],
  ['service', 'services started in a RUN stop when that RUN ends; start them from CMD or ENTRYPOINT'],
  ['shutdown', 'there is no machine to shut down while building'],
  ['ssh', 'a build should not log in anywhere; use RUN --mount=type=ssh for private repositories'],
  ['top', 'it waits for a keypress and never ends in a build'],
  ['vim', 'it waits for a person and never ends in a build; write files with COPY or a heredoc'],
]);

export const noPointlessCommands = runRule(NO_POINTLESS_COMMANDS, (run, emit) => {
  for (const cmd of run.commands) {
    const why = POINTLESS.get(cmd.name);
    if (why) emit(wordRange(run, cmd.nameWord), `${cmd.name} makes no sense while building an image: ${why}.`);
  }
});

export const USE_WORKDIR = defineHadolintRule({
  code: 'use-workdir',
  alias: 'DL3003',
  severity: 'warning',
  title: 'Use WORKDIR to change directory instead of cd',
});

export const useWorkdir = runRule(USE_WORKDIR, (run, emit) => {
  for (const cmd of run.commands) {
    if (cmd.name === 'cd' && !cmd.inSubshell) {
      emit(wordRange(run, cmd.nameWord), 'cd only lasts until the end of this RUN, which makes the next instructions easy to misread. Use WORKDIR <dir> (or run the command in a subshell: (cd dir && make)).');
    }
  }
});

export const NO_SUDO = defineHadolintRule({
  code: 'no-sudo',
  alias: 'DL3004',
  severity: 'error',
  title: 'Do not use sudo in a Dockerfile',
});

export const noSudo = runRule(NO_SUDO, (run, emit) => {
  for (const cmd of run.commands) {
    if (cmd.name === 'sudo') emit(wordRange(run, cmd.nameWord), 'sudo behaves differently in a build (no terminal, no password prompt) and hides which user runs what. Switch with USER root … USER app, or use gosu/su-exec in an entrypoint.');
  }
});

export const WGET_OR_CURL = defineHadolintRule({
  code: 'wget-or-curl',
  alias: 'DL4001',
  severity: 'warning',
  title: 'Use either wget or curl, not both',
});

/** Per stage: once both have been used, every RUN that uses one of them is reported. */
export const wgetOrCurl = modelRule(WGET_OR_CURL, (model, emit) => {
  let used = new Set<string>();
  for (const step of model.steps) {
    if (step.keyword === 'FROM' && !step.onbuild) used = new Set();
    const run = step.run;
    if (!run?.script) continue;
    const here = run.commands.filter((c) => c.name === 'curl' || c.name === 'wget');
    for (const c of here) used.add(c.name);
    if (here.length && used.size >= 2) {
      emit(wordRange(run, here[0].nameWord), 'This image uses both wget and curl. Pick one downloader: installing both adds packages and two sets of flags to maintain.');
    }
  }
});

export const SHELL_NOT_LN = defineHadolintRule({
  code: 'use-shell-instruction',
  alias: 'DL4005',
  severity: 'warning',
  title: 'Use SHELL to change the default shell instead of replacing /bin/sh',
});

export const useShellInstruction = runRule(SHELL_NOT_LN, (run, emit) => {
  for (const cmd of run.commands) {
    const target = isCommand(cmd, 'ln') ? cmd.args.find((a) => a.value === '/bin/sh') : undefined;
    if (target) emit(wordRange(run, target), 'Replacing /bin/sh changes the shell for every later RUN and for the image’s users. Use the SHELL instruction, e.g. SHELL ["/bin/bash", "-o", "pipefail", "-c"].');
  }
});

export const PIPEFAIL = defineHadolintRule({
  code: 'require-pipefail',
  alias: 'DL4006',
  severity: 'warning',
  title: 'Set -o pipefail before RUN with a pipe',
});

/** `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (bash, zsh or ash; the option may be clustered: `-eo pipefail`). */
function shellHasPipefail(words: string[]): boolean {
  if (!['bash', 'zsh', 'ash'].includes(basename(words[0] ?? ''))) return false;
  const hasO = words.some((w) => /^-[a-zA-Z]*o[a-zA-Z]*$/.test(w));
  return hasO && words.includes('pipefail');
}

/** `set -o pipefail` / `set -eo pipefail` run before the pipe in the same RUN also protects it. */
const setsPipefail = (c: ShellCommand) => c.name === 'set' && flagValues(c, 'o').some((w) => w.value === 'pipefail');

export const requirePipefail = modelRule(PIPEFAIL, (model, emit) => {
  let pipefail = false;
  for (const step of model.steps) {
    if (step.keyword === 'FROM' && !step.onbuild) pipefail = false;
    if (step.keyword === 'SHELL' && !step.onbuild) {
      const words = execForm(step.instruction) ?? step.args.map((w) => unquote(w.raw));
      const d = step.stage.dialect;
      pipefail = d === 'powershell' || d === 'cmd' || shellHasPipefail(words);
    }
    const run = step.run;
    if (pipefail || !run?.script) continue;
    // A pipe whose status only becomes text for an argument cannot fail the RUN, pipefail or not.
    const pipe = run.script.pipelines.find((p) => !p.statusIgnored);
    if (!pipe) continue;
    const setBefore = run.commands.find((c) => setsPipefail(c) && c.nameWord.start < pipe.start);
    if (setBefore) continue;
    emit(run.rangeOf(pipe.start, pipe.end), 'Only the last command of a pipe decides whether this RUN fails, so a failed download piped into another command goes unnoticed. Set SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN (or start it with set -o pipefail).');
  }
});

export const USERADD_NO_LOG_INIT = defineHadolintRule({
  code: 'useradd-no-log-init',
  alias: 'DL3046',
  severity: 'warning',
  title: 'useradd with a high UID needs -l (--no-log-init)',
});

export const useraddNoLogInit = runRule(USERADD_NO_LOG_INIT, (run, emit) => {
  for (const cmd of run.commands) {
    if (cmd.name !== 'useradd' || hasFlag(cmd, 'l', 'no-log-init')) continue;
    const uid = flagValues(cmd, 'u', 'uid').find((w) => w.value.length > 5);
    if (uid) emit(wordRange(run, uid), `useradd records UID ${uid.value} in /var/log/faillog and lastlog, which are sparse files sized by the UID: the layer can grow by gigabytes. Add -l (--no-log-init).`);
  }
});

export const WGET_PROGRESS = defineHadolintRule({
  code: 'wget-progress',
  alias: 'DL3047',
  severity: 'info',
  title: 'Use wget --progress=dot:giga (or -q / -nv) to keep build logs short',
});

/**
 * Not for BusyBox's wget (Alpine and busybox images, unless GNU wget was installed): it prints a line now and then
 * in a build log, not thousands, and has no --progress option to give it.
 */
export const wgetProgress = modelRule(WGET_PROGRESS, (model, emit) => {
  const gnuWget = new Map<number, boolean>();
  for (const step of model.steps) {
    const st = step.stage;
    if (step.keyword === 'FROM' && !step.onbuild) gnuWget.set(st.index, st.parent ? gnuWget.get(st.parent.index) ?? false : !/(^|\/)(alpine|busybox)(:|$)|-alpine/.test(st.root ?? ''));
    const run = step.run;
    if (!run?.script) continue;
    for (const cmd of run.commands) {
      if (isCommand(cmd, 'apk') && cmd.args.some((a) => a.value === 'wget')) gnuWget.set(st.index, true);
      if (cmd.name !== 'wget' || !(gnuWget.get(st.index) ?? true)) continue;
      if (hasFlag(cmd, 'progress', 'q', 'quiet', 'o', 'output-file', 'a', 'append-output', 'no-verbose') || commandWithArg(cmd, ['wget'], ['-nv'])) continue;
      emit(wordRange(run, cmd.nameWord), "wget's progress bar writes thousands of lines into the build log. Use wget --progress=dot:giga, or -q / -nv.");
    }
  }
});

export const SHELL_HABIT_RULES = [noPointlessCommands, useWorkdir, noSudo, wgetOrCurl, useShellInstruction, requirePipefail, useraddNoLogInit, wgetProgress];
