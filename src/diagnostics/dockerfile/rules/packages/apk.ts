/** Alpine packages: apk add pinned, and without a package index left behind. */
import { argsNoFlags, hasFlag, isCommand, subcommand } from '../../shell/command';
import { hasCacheMount } from '../../shell/model';
import type { ShellCommand } from '../../shell/script';
import { defineHadolintRule, isWholeVariable, runRule, wordRange } from './util';

/** apk's options that take a value (global ones and add's), so the value is neither the sub-command nor a package. */
const APK_VALUE_FLAGS = ['t', 'virtual', 'repository', 'X', 'repositories-file', 'p', 'root', 'keys-dir', 'cache-dir', 'arch', 'cache-max-age', 'timeout', 'wait', 'from'];

/** `apk [options] add …`, the sub-command found after options and their values (`apk --root /x add`). */
const isApkAdd = (c: ShellCommand) => isCommand(c, 'apk') && subcommand(c, APK_VALUE_FLAGS)?.value === 'add';
/** `apk add --no-network` installs from files already here: no index is downloaded, no version floats. */
const offline = (c: ShellCommand) => hasFlag(c, 'no-network');

export const APK_PIN_VERSIONS = defineHadolintRule({
  code: 'apk-pin-versions',
  alias: 'DL3018',
  severity: 'warning',
  title: 'Pin package versions in apk add',
});

export const apkPinVersions = runRule(APK_PIN_VERSIONS, (run, emit) => {
  for (const cmd of run.commands) {
    if (!isApkAdd(cmd) || offline(cmd)) continue;
    for (const pkg of argsNoFlags(cmd, APK_VALUE_FLAGS).slice(1)) {
      const p = pkg.value;
      if (/[=~<>]/.test(p) || p.endsWith('.apk') || isWholeVariable(p)) continue;
      emit(wordRange(run, pkg), `"${p}" has no version, so each build may install a different one. Pin it: ${p}=<version> (or ${p}~<major.minor> to follow patches).`);
    }
  }
});

export const APK_NO_CACHE = defineHadolintRule({
  code: 'apk-no-cache',
  alias: 'DL3019',
  severity: 'info',
  title: 'Use apk add --no-cache instead of keeping the package index',
});

/** Like apt-clean-lists: only where the layer ships (imageRole.ts); a builder stage's index never reaches the image. */
export const apkNoCache = runRule(APK_NO_CACHE, (run, emit) => {
  if (hasCacheMount(run, '/var/cache/apk') || (!run.step.onbuild && !run.step.stage.ships)) return;
  // Removing the index in the same RUN keeps it out of the layer too.
  if (run.commands.some((c) => isCommand(c, 'rm') && c.args.some((a) => /^\/var\/cache\/apk(\/\*?)?\/?$/.test(a.value)))) return;
  for (const cmd of run.commands) {
    if (isApkAdd(cmd) && !hasFlag(cmd, 'no-cache') && !offline(cmd)) {
      const add = cmd.args.find((a) => a.value === 'add') ?? cmd.nameWord;
      emit(wordRange(run, add), 'apk add keeps the package index in /var/cache/apk, which stays in the layer. Use apk add --no-cache (it also makes --update unnecessary).');
    }
  }
});

export const APK_RULES = [apkPinVersions, apkNoCache];
