/**
 * `dockwise lint`: arguments, files, output and exit codes. dist/cli.js (start.ts) loads this bundle and calls `main()`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createContext } from '../diagnostics/dockerfile/context';
import { lint, LintRequest, MAX_LINT_BYTES, needsShellParser, prepareLint } from '../diagnostics/engine';
import { runShellcheck, startShellcheck } from '../diagnostics/shellcheck';
import { diskHost } from '../diagnostics/host';
import { resolveProjectConfig } from '../diagnostics/projectConfig';
import { byPosition, Finding, SEVERITY_RANK, Severity } from '../diagnostics/types';
import { userCacheDir } from './cacheDir';
import { discoverTargets, Skipped, UnreadableError, UsageError } from './discover';
import { CliFinding, formatJson, formatSarif, formatText, toCliFinding } from './formats';
import { tuneV8ForShortRun } from './v8Flags';
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
  --no-cache                 check every RUN body with ShellCheck again, ignoring the results kept
                             from earlier runs (in the user's cache folder), and keep none
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
        'no-cache': { type: 'boolean', default: false },
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
    const found = discoverTargets(positionals, values.kind as 'dockerfile' | 'compose' | undefined);
    targets = found.targets;
    if (found.skipped.length) err(`dockwise lint: ${describeSkipped(found.skipped)}\n`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof UnreadableError) return usage(e.message);
    throw e;
  }

  // Dockerfiles first: a compose service that builds one reads the fixed file (its HEALTHCHECK, say).
  if (values.fix || values['fix-dry-run']) targets.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'dockerfile' ? -1 : 1));

  const resultStoreDir = values['no-cache'] ? undefined : userCacheDir();
  const findings: CliFinding[] = [];
  let unreadable = false;
  let threshold: Severity | undefined = values['fail-on'] as Severity | undefined;
  for (const t of targets) {
    const read = readTarget(t.file);
    if ('problem' in read) {
      err(`dockwise lint: ${t.file}: ${read.problem}\n`);
      unreadable = true;
      continue;
    }
    let text = read.text;
    if (read.binary) {
      err(`dockwise lint: ${t.file}: a binary file, not a text file; not linted\n`);
      unreadable = true;
    }
    // The shell parser (WebAssembly) loads only for a file that has RUN instructions, once for the run; it starts
    // loading now, and the configuration, the parse and ShellCheck's start go on meanwhile.
    const parserLoading = needsShellParser({ text, kind: t.kind }) ? prepareLint() : undefined;
    const resolved = resolveProjectConfig(t.file, diskHost, {}, values.config);
    for (const p of resolved.problems) err(`dockwise lint: ${p.message}\n`);
    if (values.config && resolved.files.length === 0) return 2;
    threshold ??= resolved.config.failureThreshold;
    const request: LintRequest = { text, kind: t.kind, filePath: t.file, config: resolved.config, host: diskHost };
    const shellcheckOptions = { onUnavailable: (m: string) => err(`dockwise lint: ${m}\n`), resultStoreDir };
    const fixing = values.fix || values['fix-dry-run'];
    const withShellcheck = t.kind === 'dockerfile' && !values['no-shellcheck'] && !read.binary;
    let shellcheck: Promise<Finding[]> | undefined;
    if (withShellcheck && !fixing) {
      // Parsed first, so that ShellCheck works on the RUN bodies while the shell parser loads and the rules run.
      try {
        request.context = createContext(text, t.file, resolved.config, diskHost);
        shellcheck = startShellcheck(request.context, shellcheckOptions);
      } catch {
        // the lint reports a file it cannot parse
      }
    }
    await parserLoading;
    let remaining: Finding[] | undefined;
    if (fixing) {
      const fixed = fixFile(t.file, { kind: t.kind, config: resolved.config, host: diskHost }, { dryRun: !!values['fix-dry-run'] });
      // The diff is the output of a dry run; JSON and SARIF keep stdout for themselves.
      if (fixed.diff) (values.format === 'text' ? out : err)(fixed.diff);
      if (fixed.message) err(`dockwise lint: ${fixed.message}\n`);
      if (fixed.failed) unreadable = true;
      if (fixed.text !== undefined) [text, remaining] = [fixed.text, fixed.remaining];
    }
    const found = remaining ? [...remaining] : lint({ ...request, text });
    // After --fix, ShellCheck checks the fixed text.
    if (withShellcheck) found.push(...(await (shellcheck ?? runShellcheck({ text, filePath: t.file, config: resolved.config, host: diskHost }, shellcheckOptions))));
    for (const f of found.sort(byPosition)) findings.push(toCliFinding(t.file, f));
  }

  if (values.format === 'json') out(formatJson(findings));
  else if (values.format === 'sarif') out(formatSarif(findings, DOCKWISE_VERSION));
  else out(formatText(findings, { colour: isTty && !values['no-color'] && !process.env.NO_COLOR, cwd: process.cwd(), filesLinted: targets.length }));

  if (unreadable) return 2;
  const failRank = SEVERITY_RANK[threshold ?? 'error'];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= failRank) ? 1 : 0;
}

/** Bytes read from a file before deciding it is binary. */
const SNIFF_BYTES = 8192;

/**
 * Reads a file to lint, checking what it is first: a FIFO, a device (a link to /dev/zero), a folder or a file over
 * the size the engine lints give a message, never a hang or an endless read. Invalid UTF-8 becomes U+FFFD rather
 * than an error: the file is still linted.
 */
export function readTarget(file: string, maxBytes = MAX_LINT_BYTES): { text: string; binary: boolean } | { problem: string } {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { problem: `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { problem: `not a regular file (${st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isDirectory() ? 'a folder' : st.isSocket() ? 'a socket' : 'not a file'}); not linted` };
    if (st.size > maxBytes) return { problem: `${(st.size / 1048576).toFixed(1)} MB, larger than the ${maxBytes / 1048576} MB Dockwise lints; not linted` };
    // Read at most one byte past the limit, whatever the size said (a file may grow while it is read).
    const buf = Buffer.alloc(Math.min(maxBytes + 1, Math.max(st.size, SNIFF_BYTES)));
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got) got = fs.readSync(fd, buf, n, buf.length - n, null);
    if (n > maxBytes) return { problem: `larger than the ${maxBytes / 1048576} MB Dockwise lints; not linted` };
    const bytes = buf.subarray(0, n);
    return { text: new TextDecoder('utf-8').decode(bytes), binary: bytes.subarray(0, SNIFF_BYTES).includes(0) };
  } catch (e) {
    return { problem: `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  } finally {
    fs.closeSync(fd);
  }
}

/** "skipped 3 folders: dist, out (.gitignore); node_modules (by default)". */
function describeSkipped(skipped: Skipped[]): string {
  const list = (reason: Skipped['reason']) => {
    const names = skipped.filter((s) => s.reason === reason).map((s) => path.relative(process.cwd(), s.path) || s.path);
    return names.length ? `${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}` : '';
  };
  const parts = [list('.gitignore') && `${list('.gitignore')} (.gitignore)`, list('default') && `${list('default')} (by default)`].filter(Boolean);
  return `skipped ${skipped.length} folder${skipped.length === 1 ? '' : 's'}: ${parts.join('; ')}. Name a folder to lint it anyway.`;
}

/** Runs the CLI on this process's arguments and streams, and sets its exit code. */
export function main(): void {
  tuneV8ForShortRun();
  run(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s), process.stdout.isTTY === true).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`dockwise: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) main();
