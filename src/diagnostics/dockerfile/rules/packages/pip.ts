/** Python packages: pip install pinned, and without pip's download cache in the layer. */
import { argsNoFlags, basename, hasArg, hasFlag } from '../../shell/command';
import { hasCacheMount, stepPairs } from '../../shell/model';
import type { ShellCommand, ShellWord } from '../../shell/script';
import { defineHadolintRule, isWholeVariable, modelRule, runRule, wordRange } from './util';

/** `pip install`, `pip3 install`, `pipx install`, `python -m pip install` (not pipenv). */
export function isPipInstall(cmd: ShellCommand): boolean {
  const name = basename(cmd.name);
  const values = cmd.args.map((a) => a.value);
  if (name.startsWith('pip') && !name.startsWith('pipenv')) return values.includes('install');
  if (name.startsWith('python')) {
    for (let i = 0; i + 2 < values.length; i++) if (values[i] === '-m' && values[i + 1] === 'pip' && values[i + 2] === 'install') return true;
  }
  return false;
}

/** pip options that take a value, so the value is not a package. */
const PIP_VALUE_FLAGS = [
  'abi', 'b', 'build', 'e', 'editable', 'extra-index-url', 'f', 'find-links', 'i', 'index-url', 'implementation',
  'no-binary', 'only-binary', 'platform', 'prefix', 'progress-bar', 'proxy', 'python', 'python-version', 'root',
  'root-user-action', 'src', 't', 'target', 'trusted-host', 'upgrade-strategy',
];

const VCS = /^(git|hg|svn|bzr)(\+[a-z-]+)?(:|$)/;

/** The packages a pip install names: the words after `install`. */
function pipPackages(cmd: ShellCommand): ShellWord[] {
  const words = argsNoFlags(cmd, PIP_VALUE_FLAGS);
  const at = words.findIndex((w) => w.value === 'install');
  if (at < 0) return [];
  return words.slice(at + 1).filter((w) => w.value !== 'install');
}

function pipVersionFixed(p: string): boolean {
  if (['==', '>=', '<=', '>', '<', '!=', '~=', '==='].some((s) => p.includes(s))) return true;
  if (VCS.test(p)) return p.includes('@');
  if (p.endsWith('.whl') || p.endsWith('.tar.gz')) return true;
  return p.includes('/');
}

export const PIP_PIN_VERSIONS = defineHadolintRule({
  code: 'pip-pin-versions',
  alias: 'DL3013',
  severity: 'warning',
  title: 'Pin package versions in pip install',
});

export const pipPinVersions = runRule(PIP_PIN_VERSIONS, (run, emit) => {
  for (const cmd of run.commands) {
    if (!isPipInstall(cmd)) continue;
    if (hasFlag(cmd, 'constraint', 'c')) continue;
    if (hasArg(cmd, '--requirement', '-r', '.')) continue;
    for (const pkg of pipPackages(cmd)) {
      if (pipVersionFixed(pkg.value) || isWholeVariable(pkg.value)) continue;
      emit(wordRange(run, pkg), `"${pkg.value}" has no version, so each build may install a different one. Pin it (${pkg.value}==<version>) or install from a requirements or constraints file.`);
    }
  }
});

const TRUTHY = new Set(['1', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'yes', 'Yes', 'YES']);

export const PIP_NO_CACHE_DIR = defineHadolintRule({
  code: 'pip-no-cache-dir',
  alias: 'DL3042',
  severity: 'warning',
  title: 'Use pip install --no-cache-dir so the download cache does not stay in the image',
});

const isPipWrapper = (cmd: ShellCommand) => {
  const values = cmd.args.map((a) => a.value);
  const wrapped = (w: string) => cmd.name.includes(w) || (basename(cmd.name).startsWith('python') && values.some((v, i) => v === '-m' && values[i + 1] === w));
  return wrapped('pipx') || wrapped('pipenv');
};

/**
 * `ENV PIP_NO_CACHE_DIR=1` in the stage (or a stage it is built on), the variable set in the RUN itself, or a
 * cache mount on pip's cache directory all keep the cache out of the layer.
 */
export const pipNoCacheDir = modelRule(PIP_NO_CACHE_DIR, (model, emit) => {
  const seen = new Map<number, boolean>();
  for (const step of model.steps) {
    const st = step.stage;
    if (step.keyword === 'FROM') seen.set(st.index, st.parent ? seen.get(st.parent.index) ?? false : false);
    if (step.keyword === 'ENV' && !step.onbuild) {
      const kv = stepPairs(model, step).find((p) => p.key === 'PIP_NO_CACHE_DIR');
      if (kv) seen.set(st.index, kv.value !== null && TRUTHY.has(kv.value));
    }
    const run = step.run;
    // Only where the layer ships (imageRole.ts): a builder stage's cache never reaches the image.
    if (!run?.script || seen.get(st.index) || (!step.onbuild && !st.ships)) continue;
    const m = /PIP_NO_CACHE_DIR=(\S*)/.exec(run.text);
    if (m && [...TRUTHY].some((t) => m[1].replace(/^["']/, '').startsWith(t))) continue;
    if (hasCacheMount(run, '.cache/pip')) continue;
    for (const cmd of run.commands) {
      if (!isPipInstall(cmd) || isPipWrapper(cmd) || hasArg(cmd, '--no-cache-dir')) continue;
      const install = cmd.args.find((a) => a.value === 'install') ?? cmd.nameWord;
      emit(wordRange(run, install), "pip keeps every download in its cache (~/.cache/pip), which stays in the layer. Add --no-cache-dir, set ENV PIP_NO_CACHE_DIR=1, or use a cache mount (--mount=type=cache,target=/root/.cache/pip).");
    }
  }
});

export const PIP_RULES = [pipPinVersions, pipNoCacheDir];
