/** Ruby gems and Go modules: pin what gets installed. */
import { argsNoFlags, commandWithArg, isCommand } from '../../shell/command';
import type { ShellModel, Step } from '../../shell/model';
import type { ShellWord } from '../../shell/script';
import { defineHadolintRule, isWholeVariable, modelRule, runRule, wordRange } from './util';

export const GEM_PIN_VERSIONS = defineHadolintRule({
  code: 'gem-pin-versions',
  alias: 'DL3028',
  severity: 'warning',
  title: 'Pin versions in gem install',
});

export const gemPinVersions = runRule(GEM_PIN_VERSIONS, (run, emit) => {
  for (const cmd of run.commands) {
    if (!commandWithArg(cmd, ['gem'], ['install', 'i'])) continue;
    const values = cmd.args.map((a) => a.value);
    if (values.includes('-v') || values.includes('--version') || values.some((v) => v.startsWith('--version='))) continue;
    // `gem install --local` installs .gem files already here: no version floats.
    if (values.includes('--local') || values.includes('-l')) continue;
    const gems: ShellWord[] = [];
    for (let i = 0; i < cmd.args.length; i++) {
      const v = cmd.args[i].value;
      if (v === '--') break;
      if (v.startsWith('-')) {
        i++; // hadolint reads every gem option as taking a value
        continue;
      }
      if (v !== 'install' && v !== 'i') gems.push(cmd.args[i]);
    }
    for (const g of gems) {
      if (!g.value.includes(':') && !g.value.endsWith('.gem') && !isWholeVariable(g.value)) emit(wordRange(run, g), `"${g.value}" has no version, so each build may install a different one. Pin it: gem install ${g.value}:<version>.`);
    }
  }
});

export const GO_PIN_VERSIONS = defineHadolintRule({
  code: 'go-pin-versions',
  alias: 'DL3062',
  severity: 'warning',
  title: 'Pin module versions in go install, go get and go run',
});

const goVersionFixed = (p: string) =>
  p === '.' || p.startsWith('/') || p.startsWith('.') || p.endsWith('.go') || (p.includes('@') && !p.endsWith('@latest') && !p.endsWith('@none'));

/** go build flags that take a value, so the value is not a package. */
const GO_VALUE_FLAGS = ['o', 'ldflags', 'gcflags', 'asmflags', 'tags', 'mod', 'modfile', 'p', 'pkgdir', 'toolexec', 'overlay', 'buildmode', 'compiler', 'installsuffix', 'C', 'exec', 'pgo', 'covermode', 'coverpkg'];

/**
 * Whether a go.mod is in the stage before this RUN: copied in (COPY go.mod, go.* …), bind-mounted, or used by a
 * go mod command. There, `go install pkg` and `go get pkg` without a version take the version go.mod pins.
 */
function goModBefore(model: ShellModel): (step: Step) => boolean {
  const seen = new Map<number, boolean>();
  const at = new Map<Step, boolean>();
  const mentionsGoMod = (s: string) => /(^|[/\s=,])go\.(mod|\*)\b|(^|[/\s=,])go\.\{?mod/.test(s);
  for (const step of model.steps) {
    const st = step.stage.index;
    if (step.keyword === 'FROM' && !step.onbuild) seen.set(st, step.stage.parent ? seen.get(step.stage.parent.index) ?? false : false);
    if ((step.keyword === 'COPY' || step.keyword === 'ADD') && step.args.some((w) => mentionsGoMod(w.raw))) seen.set(st, true);
    const run = step.run;
    if (run) {
      const mounted = run.mounts.some((m) => mentionsGoMod(m.options.source ?? '') || (m.type === 'bind' && !m.options.source && !m.options.from));
      const modCommand = run.commands.some((c) => isCommand(c, 'go') && c.args[0]?.value === 'mod');
      at.set(step, (seen.get(st) ?? false) || mounted || modCommand);
      if (modCommand) seen.set(st, true);
    }
  }
  return (step) => at.get(step) ?? false;
}

export const goPinVersions = modelRule(GO_PIN_VERSIONS, (model, emit) => {
  const hasGoMod = goModBefore(model);
  for (const run of model.runs) {
    if (!run.script) continue;
    const report = (w: ShellWord) =>
      emit(wordRange(run, w), `"${w.value}" resolves to whatever version is newest at build time. Pin it: ${w.value.replace(/@(latest|none)$/, '')}@v<version>.`);
    // hadolint reads `go run` packages when there are any, else `go install` / `go get` ones. Of `go run`, only
    // the package: the words after it are the program's arguments.
    const runs = run.commands.filter((c) => isCommand(c, 'go') && argsNoFlags(c, GO_VALUE_FLAGS)[0]?.value === 'run');
    const runPkgs = runs.map((c) => argsNoFlags(c, GO_VALUE_FLAGS)[1]).filter((w): w is ShellWord => !!w);
    if (runPkgs.length) {
      runPkgs.filter((w) => !goVersionFixed(w.value) && !isWholeVariable(w.value) && !(hasGoMod(run.step) && !w.value.includes('@'))).forEach(report);
      continue;
    }
    for (const cmd of run.commands) {
      if (!commandWithArg(cmd, ['go'], ['install', 'get'])) continue;
      for (const w of argsNoFlags(cmd, GO_VALUE_FLAGS)) {
        if (['install', 'get', 'tool'].includes(w.value) || goVersionFixed(w.value) || isWholeVariable(w.value)) continue;
        // Inside a module, a package without a version takes the one go.mod pins.
        if (hasGoMod(run.step) && !w.value.includes('@')) continue;
        report(w);
      }
    }
  }
});

export const LANGUAGE_RULES = [gemPinVersions, goPinVersions];
