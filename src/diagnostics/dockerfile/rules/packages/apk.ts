/** Alpine packages: apk add pinned, and without a package index left behind. */
import { argsNoFlags, commandWithArg, hasFlag } from '../../shell/command';
import { hasCacheMount } from '../../shell/model';
import type { ShellCommand } from '../../shell/script';
import { defineHadolintRule, runRule, wordRange } from './util';

const isApkAdd = (c: ShellCommand) => commandWithArg(c, ['apk'], ['add']);

export const APK_PIN_VERSIONS = defineHadolintRule({
  code: 'apk-pin-versions',
  alias: 'DL3018',
  severity: 'warning',
  title: 'Pin package versions in apk add',
});

export const apkPinVersions = runRule(APK_PIN_VERSIONS, (run, emit) => {
  for (const cmd of run.commands) {
    if (!isApkAdd(cmd)) continue;
    for (const pkg of argsNoFlags(cmd, ['t', 'virtual', 'repository', 'X'])) {
      const p = pkg.value;
      if (p === 'add' || /[=~<>]/.test(p) || p.endsWith('.apk')) continue;
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
  for (const cmd of run.commands) {
    if (isApkAdd(cmd) && !hasFlag(cmd, 'no-cache')) {
      const add = cmd.args.find((a) => a.value === 'add') ?? cmd.nameWord;
      emit(wordRange(run, add), 'apk add keeps the package index in /var/cache/apk, which stays in the layer. Use apk add --no-cache (it also makes --update unnecessary).');
    }
  }
});

export const APK_RULES = [apkPinVersions, apkNoCache];
