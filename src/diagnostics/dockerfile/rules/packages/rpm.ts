/** RPM-based images: yum, dnf/microdnf and zypper, non-interactive, pinned, and with their caches cleaned. */
import { argsNoFlags, commandWithArg, hasFlag, isCommand } from '../../shell/command';
import { hasCacheMount, RunBody, ShellModel, Step, stepPairs } from '../../shell/model';
import type { ShellCommand, ShellWord } from '../../shell/script';
import { commandRange, defineHadolintRule, isWholeVariable, modelRule, runRule, wordRange } from './util';

const DNF = ['dnf', 'microdnf'];

// ---- assume yes ---------------------------------------------------------------------------------------------

export const YUM_ASSUME_YES = defineHadolintRule({ code: 'yum-assume-yes', alias: 'DL3030', severity: 'warning', title: 'Use yum install -y so the build never waits for an answer' });
export const DNF_ASSUME_YES = defineHadolintRule({ code: 'dnf-assume-yes', alias: 'DL3038', severity: 'warning', title: 'Use dnf install -y so the build never waits for an answer' });
export const ZYPPER_NON_INTERACTIVE = defineHadolintRule({ code: 'zypper-non-interactive', alias: 'DL3034', severity: 'warning', title: 'Use zypper -n (non-interactive) so the build never waits for an answer' });

export const yumAssumeYes = runRule(YUM_ASSUME_YES, (run, emit) => {
  for (const cmd of run.commands) {
    if (commandWithArg(cmd, ['yum'], ['install', 'groupinstall', 'localinstall']) && !hasFlag(cmd, 'y', 'assumeyes')) {
      emit(wordRange(run, cmd.nameWord), 'yum asks for confirmation, and a build cannot answer. Add -y: yum install -y <package>.');
    }
  }
});

export const dnfAssumeYes = runRule(DNF_ASSUME_YES, (run, emit) => {
  for (const cmd of run.commands) {
    if (commandWithArg(cmd, DNF, ['install', 'groupinstall', 'localinstall']) && !hasFlag(cmd, 'y', 'assumeyes')) {
      emit(wordRange(run, cmd.nameWord), `${cmd.name} asks for confirmation, and a build cannot answer. Add -y: ${cmd.name} install -y <package>.`);
    }
  }
});

export const zypperNonInteractive = runRule(ZYPPER_NON_INTERACTIVE, (run, emit) => {
  for (const cmd of run.commands) {
    if (commandWithArg(cmd, ['zypper'], ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch']) && !hasFlag(cmd, 'non-interactive', 'n', 'no-confirm', 'y')) {
      emit(wordRange(run, cmd.nameWord), 'zypper asks for confirmation, and a build cannot answer. Add -n: zypper -n install <package> (or install -y).');
    }
  }
});

// ---- clean up -----------------------------------------------------------------------------------------------

export const YUM_CLEAN_ALL = defineHadolintRule({ code: 'yum-clean-all', alias: 'DL3032', severity: 'warning', title: 'Run yum clean all after yum install in the same RUN' });
export const DNF_CLEAN_ALL = defineHadolintRule({ code: 'dnf-clean-all', alias: 'DL3040', severity: 'warning', title: 'Run dnf clean all after dnf install in the same RUN' });
export const ZYPPER_CLEAN = defineHadolintRule({ code: 'zypper-clean', alias: 'DL3036', severity: 'warning', title: 'Run zypper clean after zypper install in the same RUN' });

/** Fires on the install when no clean-up command follows it. */
function missingCleanup(run: RunBody, install: (c: ShellCommand) => boolean, clean: (c: ShellCommand) => boolean): ShellCommand | undefined {
  const i = run.commands.findIndex(install);
  if (i < 0) return undefined;
  const j = run.commands.findIndex(clean);
  return j > i ? undefined : run.commands[i];
}

const rmRf = (c: ShellCommand, pattern: RegExp) => isCommand(c, 'rm') && hasFlag(c, 'r', 'R', 'recursive') && c.args.some((a) => pattern.test(a.value));

export const yumCleanAll = runRule(YUM_CLEAN_ALL, (run, emit) => {
  if (hasCacheMount(run, '/var/cache/yum')) return;
  const cmd = missingCleanup(
    run,
    (c) => commandWithArg(c, ['yum'], ['install']),
    (c) => commandWithArg(c, ['yum'], ['clean', 'all']) || rmRf(c, /^\/var\/cache\/yum(\/\*?)?$/),
  );
  if (cmd) emit(commandRange(run, cmd), "yum keeps downloaded packages and metadata in /var/cache/yum, which stays in this layer. End the same RUN with && yum clean all.");
});

export const dnfCleanAll = runRule(DNF_CLEAN_ALL, (run, emit) => {
  if (hasCacheMount(run, '/var/cache/libdnf5') || hasCacheMount(run, '.cache/libdnf5') || hasCacheMount(run, '/var/cache/dnf')) return;
  for (const name of DNF) {
    const cmd = missingCleanup(
      run,
      (c) => isCommand(c, name) && commandWithArg(c, [name], ['install', 'in', 'upgrade', 'up', 'upgrade-minimal', 'up-min', 'reinstall', 'rei']),
      (c) => commandWithArg(c, [name], ['clean', 'all']) || rmRf(c, /^\/var\/cache\/(libdnf5|dnf|yum)/),
    );
    if (cmd) emit(commandRange(run, cmd), `${name} keeps downloaded packages and metadata in its cache, which stays in this layer. End the same RUN with && ${name} clean all.`);
  }
});

export const zypperClean = runRule(ZYPPER_CLEAN, (run, emit) => {
  if (hasCacheMount(run, '/var/cache/zypp')) return;
  const cmd = missingCleanup(run, (c) => commandWithArg(c, ['zypper'], ['install', 'in']), (c) => commandWithArg(c, ['zypper'], ['clean', 'cc']));
  if (cmd) emit(commandRange(run, cmd), 'zypper keeps downloaded packages and metadata in /var/cache/zypp, which stays in this layer. End the same RUN with && zypper clean.');
});

export const ZYPPER_NO_DIST_UPGRADE = defineHadolintRule({ code: 'zypper-no-dist-upgrade', alias: 'DL3035', severity: 'warning', title: 'Do not run zypper dist-upgrade in a Dockerfile' });

export const zypperNoDistUpgrade = runRule(ZYPPER_NO_DIST_UPGRADE, (run, emit) => {
  for (const cmd of run.commands) {
    const w = isCommand(cmd, 'zypper') ? cmd.args.find((a) => a.value === 'dist-upgrade' || a.value === 'dup') : undefined;
    if (w) emit(wordRange(run, w), 'zypper dist-upgrade can move the image to a new distribution release: builds stop repeating. Pick a base image with the release you want instead.');
  }
});

// ---- pinning ------------------------------------------------------------------------------------------------

export const YUM_PIN_VERSIONS = defineHadolintRule({ code: 'yum-pin-versions', alias: 'DL3033', severity: 'warning', title: 'Pin package versions in yum install' });
export const DNF_PIN_VERSIONS = defineHadolintRule({ code: 'dnf-pin-versions', alias: 'DL3041', severity: 'warning', title: 'Pin package versions in dnf install' });
export const ZYPPER_PIN_VERSIONS = defineHadolintRule({ code: 'zypper-pin-versions', alias: 'DL3037', severity: 'warning', title: 'Pin package versions in zypper install' });

const VERSION_PART = /^[0-9A-Za-z.~^_:+]+$/;

/** `name-1.2.3-4.el9`: something after a dash that looks like a version; variables count when declared. */
function rpmVersionFixed(p: string, declared: (name: string) => boolean): boolean {
  const parts = p.split('-');
  if (parts.length <= 1) return false;
  if (p.endsWith('.rpm')) return true;
  if (p.includes('$')) {
    const names = [...p.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
    return names.some(declared);
  }
  const rest = parts.slice(1);
  return rest.every((x) => VERSION_PART.test(x)) && rest.some((x) => /^\d/.test(x));
}

/** The packages (or modules) of `<tool> [module] install ...`. */
function installWords(cmd: ShellCommand): ShellWord[] {
  return argsNoFlags(cmd, RPM_VALUE_FLAGS).filter((w) => w.value !== 'install' && w.value !== 'module');
}

/** yum/dnf options that take a value (when written `--opt value`), so the value is not a package. */
const RPM_VALUE_FLAGS = ['setopt', 'enablerepo', 'disablerepo', 'repo', 'repoid', 'releasever', 'installroot', 'x', 'exclude', 'forcearch', 'c', 'config', 'repofrompath', 'downloaddir', 'destdir'];

/**
 * Which variable names are declared before each RUN: ENV in its stage (inherited by child stages) and ARG
 * anywhere, as hadolint tracks them. Snapshots are taken only for RUNs that use a variable in a package name.
 */
function declaredNames(model: ShellModel, wanted: (step: Step) => boolean) {
  const env = new Map<number, Set<string>>();
  const args = new Set<string>();
  const at = new Map<Step, (n: string) => boolean>();
  for (const step of model.steps) {
    const st = step.stage.index;
    if (step.keyword === 'FROM' && !step.onbuild) env.set(st, new Set(step.stage.parent ? env.get(step.stage.parent.index) : []));
    if (step.keyword === 'ENV') {
      if (!env.has(st)) env.set(st, new Set());
      for (const kv of stepPairs(model, step)) env.get(st)!.add(kv.key);
    }
    if (step.keyword === 'ARG') for (const kv of stepPairs(model, step)) args.add(kv.key);
    if (step.run && wanted(step)) {
      const envNow = new Set(env.get(st));
      const argsNow = new Set(args);
      at.set(step, (n) => envNow.has(n) || argsNow.has(n));
    }
  }
  return at;
}

function pinRule(meta: ReturnType<typeof defineHadolintRule>, tools: string[], exclude: string[], example: string) {
  return modelRule(meta, (model, emit) => {
    const installs = (step: Step) => step.run?.commands.some((c) => commandWithArg(c, tools, ['install']) && c.args.some((a) => a.value.includes('$'))) ?? false;
    const declared = declaredNames(model, installs);
    for (const step of model.steps) {
      const run = step.run;
      if (!run?.script) continue;
      const isDeclared = declared.get(step) ?? (() => false);
      for (const cmd of run.commands) {
        if (!commandWithArg(cmd, tools, ['install'])) continue;
        const isModule = cmd.args.some((a) => a.value === 'module');
        if (!isModule && exclude.length && cmd.args.some((a) => exclude.includes(a.value))) continue;
        for (const w of installWords(cmd)) {
          if (isWholeVariable(w.value)) continue;
          const ok = isModule ? w.value.includes(':') : rpmVersionFixed(w.value, isDeclared);
          if (!ok) {
            emit(
              wordRange(run, w),
              isModule
                ? `Module "${w.value}" has no stream, so each build may install a different one. Pin it: ${w.value}:<stream>.`
                : `"${w.value}" has no version, so each build may install a different one. Pin it: ${example.replace('<package>', w.value)}.`,
            );
          }
        }
      }
    }
  });
}

export const yumPinVersions = pinRule(YUM_PIN_VERSIONS, ['yum'], [], '<package>-<version>');
export const dnfPinVersions = pinRule(DNF_PIN_VERSIONS, DNF, ['group'], '<package>-<version>');

export const zypperPinVersions = runRule(ZYPPER_PIN_VERSIONS, (run, emit) => {
  for (const cmd of run.commands) {
    if (!commandWithArg(cmd, ['zypper'], ['install', 'in'])) continue;
    for (const w of argsNoFlags(cmd)) {
      const p = w.value;
      if (p === 'install' || p === 'in' || /[=<>]/.test(p) || p.endsWith('.rpm') || isWholeVariable(p)) continue;
      emit(wordRange(run, w), `"${p}" has no version, so each build may install a different one. Pin it: zypper install ${p}=<version>.`);
    }
  }
});

export const RPM_RULES = [
  yumAssumeYes, dnfAssumeYes, zypperNonInteractive,
  yumCleanAll, dnfCleanAll, zypperClean, zypperNoDistUpgrade,
  yumPinVersions, dnfPinVersions, zypperPinVersions,
];
