#!/usr/bin/env node
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { lint, prepareLint } from '../diagnostics/engine';
import { runShellcheck } from '../diagnostics/shellcheck';
import { diskHost } from '../diagnostics/host';
import { resolveProjectConfig } from '../diagnostics/projectConfig';
import { Finding, SEVERITY_RANK, Severity } from '../diagnostics/types';
import { discoverTargets, UnreadableError, UsageError } from './discover';
import { CliFinding, formatJson, formatSarif, formatText, toCliFinding } from './formats';
import { fixFile } from './writeFixes';

declare const DOCKWISE_VERSION: string;

const USAGE = `Usage: dockwise lint [options] PATH...

Lints Dockerfiles and compose files. PATH is a file or a folder (searched for
Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile, compose.yaml, docker-compose*.yml, ...).

Options:
  --format text|json|sarif   output format (default: text)
  --kind dockerfile|compose  treat every file given as this kind
  --fail-on SEVERITY         exit 1 when a finding is at or above it: error, warning, info, hint (default: error)
  --config FILE              use this configuration file instead of the nearest .dockwise.yaml/.hadolint.yaml
  --fix                      apply every safe fix and rewrite the files, then report what is left
  --fix-dry-run              print the fixes as a unified diff; change nothing
  --no-shellcheck            do not run ShellCheck on RUN instructions (it runs where \`shellcheck\` is on PATH)
  --no-color                 no colour in text output
  -h, --help                 show this help
  -v, --version              show the version

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or unreadable file.`;

const SEVERITIES = ['error', 'warning', 'info', 'hint'];

/** Runs the CLI; resolves to the exit code. Output goes through the given writers so tests can capture it. */
export async function run(argv: string[], out: (s: string) => void, err: (s: string) => void, isTty = false): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-v' || command === '--version') {
    out(`${DOCKWISE_VERSION}\n`);
    return 0;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    out(USAGE + '\n');
    return 0;
  }
  if (command !== 'lint') {
    err(`dockwise: ${command ? `unknown command "${command}"` : 'no command given'}\n\n${USAGE}\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        kind: { type: 'string' },
        'fail-on': { type: 'string' },
        config: { type: 'string' },
        'no-color': { type: 'boolean', default: false },
        fix: { type: 'boolean', default: false },
        'fix-dry-run': { type: 'boolean', default: false },
        'no-shellcheck': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    err(`dockwise lint: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(USAGE + '\n');
    return 0;
  }
  const usage = (msg: string) => {
    err(`dockwise lint: ${msg}\n`);
    return 2;
  };
  if (!['text', 'json', 'sarif'].includes(values.format!)) return usage(`--format must be text, json or sarif, not "${values.format}"`);
  if (values.kind && !['dockerfile', 'compose'].includes(values.kind)) return usage(`--kind must be dockerfile or compose, not "${values.kind}"`);
  if (values['fail-on'] && !SEVERITIES.includes(values['fail-on'])) return usage(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
  if (positionals.length === 0) return usage('no PATH given (a Dockerfile, a compose file or a folder)');

  let targets;
  try {
    targets = discoverTargets(positionals, values.kind as 'dockerfile' | 'compose' | undefined);
  } catch (e) {
    if (e instanceof UsageError || e instanceof UnreadableError) return usage(e.message);
    throw e;
  }

  // The shell parser is WebAssembly, loaded once for every file of the run.
  await prepareLint();

  // Dockerfiles first: a compose service that builds one reads the fixed file (its HEALTHCHECK, say).
  if (values.fix || values['fix-dry-run']) targets.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'dockerfile' ? -1 : 1));

  const findings: CliFinding[] = [];
  let unreadable = false;
  let threshold: Severity | undefined = values['fail-on'] as Severity | undefined;
  for (const t of targets) {
    let text: string;
    try {
      // Invalid UTF-8 becomes U+FFFD rather than an error: the file is still linted.
      text = new TextDecoder('utf-8').decode(fs.readFileSync(t.file));
    } catch (e) {
      err(`dockwise lint: cannot read ${t.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      unreadable = true;
      continue;
    }
    const resolved = resolveProjectConfig(t.file, diskHost, {}, values.config);
    for (const p of resolved.problems) err(`dockwise lint: ${p.message}\n`);
    if (values.config && resolved.files.length === 0) return 2;
    threshold ??= resolved.config.failureThreshold;
    let remaining: Finding[] | undefined;
    if (values.fix || values['fix-dry-run']) {
      const fixed = fixFile(t.file, { kind: t.kind, config: resolved.config, host: diskHost }, { dryRun: !!values['fix-dry-run'] });
      // The diff is the output of a dry run; JSON and SARIF keep stdout for themselves.
      if (fixed.diff) (values.format === 'text' ? out : err)(fixed.diff);
      if (fixed.message) err(`dockwise lint: ${fixed.message}\n`);
      if (fixed.failed) unreadable = true;
      if (fixed.text !== undefined) [text, remaining] = [fixed.text, fixed.remaining];
    }
    const request = { text, kind: t.kind, filePath: t.file, config: resolved.config, host: diskHost };
    const found = remaining ? [...remaining] : lint(request);
    if (t.kind === 'dockerfile' && !values['no-shellcheck']) {
      found.push(...(await runShellcheck(request, { onUnavailable: (m) => err(`dockwise lint: ${m}\n`) })));
    }
    for (const f of found.sort(byPosition)) findings.push(toCliFinding(t.file, f));
  }

  if (values.format === 'json') out(formatJson(findings));
  else if (values.format === 'sarif') out(formatSarif(findings, DOCKWISE_VERSION));
  else out(formatText(findings, { colour: isTty && !values['no-color'] && !process.env.NO_COLOR, cwd: process.cwd(), filesLinted: targets.length }));

  if (unreadable) return 2;
  const failRank = SEVERITY_RANK[threshold ?? 'error'];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= failRank) ? 1 : 0;
}

const byPosition = (a: Finding, b: Finding) =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);

if (require.main === module) {
  run(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s), process.stdout.isTTY === true).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`dockwise: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
