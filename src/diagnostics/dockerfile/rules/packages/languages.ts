/** Ruby gems and Go modules: pin what gets installed. */
import { argsNoFlags, commandWithArg, isCommand } from '../../shell/command';
import type { ShellWord } from '../../shell/script';
import { defineHadolintRule, runRule, wordRange } from './util';

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
      if (!g.value.includes(':')) emit(wordRange(run, g), `"${g.value}" has no version, so each build may install a different one. Pin it: gem install ${g.value}:<version>.`);
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
  p === '.' || p.startsWith('/') || p.startsWith('.') || (p.includes('@') && !p.endsWith('@latest') && !p.endsWith('@none'));

export const goPinVersions = runRule(GO_PIN_VERSIONS, (run, emit) => {
  const report = (w: ShellWord) =>
    emit(wordRange(run, w), `"${w.value}" resolves to whatever version is newest at build time. Pin it: ${w.value.replace(/@(latest|none)$/, '')}@v<version>.`);
  // hadolint reads `go run` packages when there are any, else `go install` / `go get` ones.
  const runs = run.commands.filter((c) => isCommand(c, 'go') && c.args.some((a) => a.value === 'run'));
  const runPkgs = runs.flatMap((c) => argsNoFlags(c).slice(0, 2).filter((w) => w.value !== 'run'));
  if (runPkgs.length) {
    runPkgs.filter((w) => !goVersionFixed(w.value)).forEach(report);
    return;
  }
  for (const cmd of run.commands) {
    if (!commandWithArg(cmd, ['go'], ['install', 'get'])) continue;
    for (const w of argsNoFlags(cmd)) {
      if (['install', 'get', 'tool'].includes(w.value) || goVersionFixed(w.value)) continue;
      report(w);
    }
  }
});

export const LANGUAGE_RULES = [gemPinVersions, goPinVersions];
