/** Debian and Ubuntu packages: apt-get install pinned, non-interactive, lean, and the package lists removed. */
import { argsNoFlags, basename, commandWithArg, countFlag, hasArg, hasFlag, isCommand } from '../../shell/command';
import { hasCacheMount } from '../../shell/model';
import type { ShellCommand } from '../../shell/script';
import { defineRule } from '../../../registry';
import { commandRange, defineHadolintRule, modelRule, runRule, wordRange } from './util';

/** apt-get's options that take a value, so the value is not a package. */
const APT_VALUE_FLAGS = ['t', 'target-release', 'default-release', 'o', 'option', 'c', 'config-file', 'a', 'host-architecture'];
/** `apt-get -s install …` only shows what it would do (simulate, dry run): nothing is installed or downloaded. */
const simulates = (c: ShellCommand) => hasFlag(c, 's', 'simulate', 'just-print', 'dry-run', 'recon', 'no-act');

const isAptGetInstall = (c: ShellCommand) => commandWithArg(c, ['apt-get'], ['install']) && !simulates(c);

export const APT_PIN_VERSIONS = defineHadolintRule({
  code: 'apt-pin-versions',
  alias: 'DL3008',
  severity: 'warning',
  title: 'Pin package versions in apt-get install',
});

export const aptPinVersions = runRule(APT_PIN_VERSIONS, (run, emit) => {
  for (const cmd of run.commands) {
    if (!isAptGetInstall(cmd)) continue;
    for (const pkg of argsNoFlags(cmd, APT_VALUE_FLAGS)) {
      const p = pkg.value;
      if (p === 'install' || p.includes('=') || p.includes('/') || p.endsWith('.deb') || p.includes('$')) continue;
      emit(wordRange(run, pkg), `"${p}" has no version, so each build may install a different one. Pin it: ${p}=<version> (apt-cache policy ${p} shows the candidates).`);
    }
  }
});

export const APT_ASSUME_YES = defineHadolintRule({
  code: 'apt-assume-yes',
  alias: 'DL3014',
  severity: 'warning',
  title: 'Use apt-get install -y so the build never waits for an answer',
});

export const aptAssumeYes = runRule(APT_ASSUME_YES, (run, emit) => {
  for (const cmd of run.commands) {
    if (!isAptGetInstall(cmd)) continue;
    const yes =
      hasFlag(cmd, 'y', 'yes', 'qq', 'assume-yes') || countFlag(cmd, 'q') === 2 || countFlag(cmd, 'quiet') === 2 || hasArg(cmd, '-q=2');
    if (!yes) emit(wordRange(run, cmd.nameWord), 'apt-get install asks for confirmation, and a build cannot answer. Add -y: apt-get install -y <package>.');
  }
});

export const APT_NO_INSTALL_RECOMMENDS = defineHadolintRule({
  code: 'apt-no-install-recommends',
  alias: 'DL3015',
  severity: 'info',
  title: 'Use --no-install-recommends to keep apt-get from adding packages you did not ask for',
});

export const aptNoInstallRecommends = runRule(APT_NO_INSTALL_RECOMMENDS, (run, emit) => {
  for (const cmd of run.commands) {
    if (!isAptGetInstall(cmd)) continue;
    if (hasFlag(cmd, 'no-install-recommends') || hasArg(cmd, 'APT::Install-Recommends=false')) continue;
    const install = cmd.args.find((a) => a.value === 'install') ?? cmd.nameWord;
    emit(wordRange(run, install), 'apt-get also installs "recommended" packages, which grow the image. Add --no-install-recommends and list what you need.');
  }
});

export const APT_GET_NOT_APT = defineHadolintRule({
  code: 'apt-get-not-apt',
  alias: 'DL3027',
  severity: 'warning',
  title: 'Use apt-get or apt-cache in scripts, not apt',
});

export const aptGetNotApt = runRule(APT_GET_NOT_APT, (run, emit) => {
  for (const cmd of run.commands) {
    if (cmd.name === 'apt') emit(wordRange(run, cmd.nameWord), 'apt is made for people at a terminal: its output and behaviour may change between releases. Use apt-get (or apt-cache) in a Dockerfile.');
  }
});

export const APT_CLEAN_LISTS = defineHadolintRule({
  code: 'apt-clean-lists',
  alias: 'DL3009',
  severity: 'info',
  title: 'Delete /var/lib/apt/lists after apt-get update in the same RUN',
});

const isAptUpdate = (c: ShellCommand) => commandWithArg(c, ['apt', 'apt-get', 'aptitude'], ['update']) && !simulates(c);
const APT_TOOL = /^(xx-)?apt(-get)?$|^aptitude$|^install[-_]packages$|^apt-install$/;
const WRAPPERS = new Set(['xargs', 'sudo', 'env', 'eatmydata', 'nice', 'timeout', 'retry', 'chroot', 'su-exec', 'gosu']);
/**
 * Any other apt operation in the RUN, by apt itself or through a wrapper (`xargs apt-get install`,
 * `xx-apt-get install`, gitpod's `install-packages`): then the update is not alone.
 */
function otherAptWork(c: ShellCommand): boolean {
  const words = [basename(c.name), ...c.args.map((a) => a.value)];
  const at = APT_TOOL.test(words[0]) ? 0 : WRAPPERS.has(words[0]) ? words.findIndex((w, k) => k > 0 && APT_TOOL.test(basename(w))) : -1;
  if (at < 0) return false;
  const sub = words.slice(at + 1).find((w) => !w.startsWith('-'));
  return /^install[-_]packages$|^apt-install$/.test(basename(words[at])) || (sub !== undefined && sub !== 'update');
}

/**
 * `rm -rf /var/lib/apt/lists/*` and the ways people spell it (`-fr`, `-r -f`, the directory itself), and
 * `apt-get dist-clean` (apt 2.7+), which removes the lists too.
 */
function removesAptLists(c: ShellCommand): boolean {
  if (commandWithArg(c, ['apt-get', 'apt'], ['dist-clean', 'distclean'])) return true;
  if (!isCommand(c, 'rm')) return false;
  const recursive = hasFlag(c, 'r', 'R', 'recursive');
  return recursive && c.args.some((a) => /^\/var\/lib\/apt\/lists(\/\*?)?\/?$/.test(a.value));
}

/**
 * Only stages whose layers ship matter (imageRole.ts): a builder stage whose files are copied out selectively
 * leaves its apt lists behind (hadolint does the same). Cache or tmpfs mounts over the apt directories keep the
 * lists out of the layer, so those RUNs are fine. ONBUILD triggers run in whichever image builds on this one, so
 * they always count.
 */
export const aptCleanLists = modelRule(APT_CLEAN_LISTS, (model, emit) => {
  for (const run of model.runs) {
    if (!run.script) continue;
    const update = run.commands.find(isAptUpdate);
    // An update with nothing after it in the same RUN is apt-update-alone's to report.
    if (!update || !run.commands.some(otherAptWork) || run.commands.some(removesAptLists)) continue;
    if (hasCacheMount(run, '/var/lib/apt/lists') || (hasCacheMount(run, '/var/lib/apt') && hasCacheMount(run, '/var/cache/apt'))) continue;
    if (!run.step.onbuild && !run.step.stage.ships) continue;
    emit(commandRange(run, update), 'apt-get update downloads package lists that stay in this layer. End the same RUN with && rm -rf /var/lib/apt/lists/* (or use a cache mount on /var/lib/apt/lists).');
  }
});

export const APT_UPDATE_ALONE = defineRule({
  code: 'apt-update-alone',
  kind: 'dockerfile',
  aliases: [],
  severity: 'warning',
  title: 'Run apt-get update in the same RUN as the apt-get install that needs it',
});

/**
 * `RUN apt-get update` on its own: Docker caches that layer, so a later `RUN apt-get install` keeps using the
 * package lists of the day the cache was made, and fails (404) or installs old versions once the mirror moves
 * on. The lists also stay in the layer. Every stage counts: a stale builder fails the build just the same.
 */
export const aptUpdateAlone = runRule(APT_UPDATE_ALONE, (run, emit) => {
  const update = run.commands.find(isAptUpdate);
  if (!update || run.commands.some(otherAptWork)) return;
  emit(commandRange(run, update),
    `${update.name} update runs alone in this RUN. Docker caches this layer, so a later RUN that installs packages keeps using the package lists of the day the cache was made, and fails or installs old versions when the mirror moves on. Run it in the same RUN as the install: RUN apt-get update && apt-get install -y … && rm -rf /var/lib/apt/lists/*.`);
});

export const APT_RULES = [aptPinVersions, aptAssumeYes, aptNoInstallRecommends, aptGetNotApt, aptCleanLists, aptUpdateAlone];
