/** JavaScript packages: npm install pinned, and yarn's cache not left in the image. */
import { argsNoFlags, commandWithArg, isCommand } from '../../shell/command';
import { hasCacheMount } from '../../shell/model';
import type { ShellCommand } from '../../shell/script';
import { commandRange, defineHadolintRule, isWholeVariable, modelRule, runRule, wordRange } from './util';

export const NPM_PIN_VERSIONS = defineHadolintRule({
  code: 'npm-pin-versions',
  alias: 'DL3016',
  severity: 'warning',
  title: 'Pin package versions in npm install',
});

function npmVersionFixed(p: string): boolean {
  if (/^git(\+(ssh|https?))?:\/\//.test(p)) return p.includes('#');
  if (p.endsWith('.tar') || p.endsWith('.tar.gz') || p.endsWith('.tgz')) return true;
  if (/^(\/|\.\/|\.\.\/|~\/)/.test(p)) return true;
  const unscoped = p.startsWith('@') ? p.slice(p.indexOf('/') + 1) : p;
  return unscoped.includes('@');
}

/** npm options that take a value, so the value is not a package. */
const NPM_VALUE_FLAGS = ['loglevel', 'registry', 'prefix', 'cache', 'userconfig', 'globalconfig', 'workspace', 'w', 'omit', 'include', 'tag', 'before', 'location'];

export const npmPinVersions = runRule(NPM_PIN_VERSIONS, (run, emit) => {
  for (const cmd of run.commands) {
    if (!commandWithArg(cmd, ['npm'], ['install'])) continue;
    const words = argsNoFlags(cmd, NPM_VALUE_FLAGS);
    // `npm install` alone installs package.json's locked versions; only named packages float.
    if (words[0]?.value !== 'install') continue;
    for (const pkg of words.slice(1)) {
      if (pkg.value === 'install' || npmVersionFixed(pkg.value) || isWholeVariable(pkg.value)) continue;
      emit(wordRange(run, pkg), `"${pkg.value}" has no version, so each build may install a different one. Pin it: ${pkg.value}@<version>.`);
    }
  }
});

export const YARN_CACHE_CLEAN = defineHadolintRule({
  code: 'yarn-cache-clean',
  alias: 'DL3060',
  severity: 'info',
  title: 'Run yarn cache clean after yarn install in the same RUN',
});

const isYarnInstall = (c: ShellCommand) => commandWithArg(c, ['yarn'], ['install']);
const isYarnCacheClean = (c: ShellCommand) => isCommand(c, 'yarn') && c.args[0]?.value === 'cache' && c.args[1]?.value === 'clean';

/** Stage-aware like apt-clean-lists: a builder stage's cache never reaches the final image. */
export const yarnCacheClean = modelRule(YARN_CACHE_CLEAN, (model, emit) => {
  for (const run of model.runs) {
    if (!run.script) continue;
    const install = run.commands.findIndex(isYarnInstall);
    if (install < 0) continue;
    const clean = run.commands.findIndex(isYarnCacheClean);
    if (clean > install) continue;
    if (clean < 0 && hasCacheMount(run, '.cache/yarn')) continue;
    if (!run.step.onbuild && !run.step.stage.ships) continue;
    emit(commandRange(run, run.commands[install]), "yarn keeps every package it downloads in its cache, which stays in this layer. Add && yarn cache clean after yarn install (or use a cache mount on yarn's cache directory).");
  }
});

export const NODE_RULES = [npmPinVersions, yarnCacheClean];
