import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { defaultConfig, LintConfig } from '../../../src/diagnostics/config';
import { runShellcheck } from '../../../src/diagnostics/shellcheck';
import type { Finding } from '../../../src/diagnostics/types';

const FAKE = path.join(__dirname, '..', '..', 'fixtures', 'shellcheck', 'fake-shellcheck.js');
const noFiles = { readFile: () => undefined };
const covered = (text: string, f: Finding) => text.split('\n')[f.range.start.line].slice(f.range.start.character, f.range.end.character);

function withLog<T>(fn: (log: string) => Promise<T>): Promise<T> {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-sc-')), 'args.log');
  process.env.FAKE_SHELLCHECK_LOG = log;
  return fn(log).finally(() => delete process.env.FAKE_SHELLCHECK_LOG);
}

const sc = (text: string, config: LintConfig = defaultConfig(), binary = FAKE) => runShellcheck({ text, config, host: noFiles }, { binary });

describe('ShellCheck on RUN bodies', function () {
  this.timeout(30000);

  it('maps findings to exact Dockerfile positions, through continuations and heredocs', async () => {
    const text = 'FROM debian:12\nRUN echo hi && \\\n    ls $HOME_DIR\nRUN <<EOF\nset -e\n  cat $FILE\nEOF\n';
    const f = await sc(text);
    assert.deepEqual(f.map((x) => [x.code, x.aliases[0], x.range.start.line, covered(text, x)]), [
      ['shellcheck', 'SC2086', 2, '$HOME_DIR'],
      ['shellcheck', 'SC2086', 5, '$FILE'],
    ]);
    assert.equal(f[0].severity, 'info');
    assert.equal(f[0].href, 'https://www.shellcheck.net/wiki/SC2086');
  });

  it('passes the dialect from SHELL, skips hadolint’s excluded codes, and declares ARG/ENV names', async () => {
    await withLog(async (log) => {
      const text = 'FROM debian:12\nARG VERSION\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN echo $VERSION\nRUN echo $OTHER\n';
      const f = await sc(text);
      const args = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
      assert.equal(args.length, 1, 'one process for both bodies');
      assert.deepEqual(args[0].slice(0, 4), ['--format=json1', '--shell=bash', '--exclude=1090,1091,2187', '--']);
      assert.equal(args[0].length, 6);
      // The prelude declares VERSION, so the fake sees `export VERSION=1` and skips that line; both bodies map back.
      assert.deepEqual(f.map((x) => covered(text, x)), ['$VERSION', '$OTHER']);
      // The temporary files are gone.
      for (const file of args[0].slice(4)) assert.equal(fs.existsSync(file), false);
    });
  });

  it('checks a body once: unchanged RUN bodies come from the cache', async () => {
    await withLog(async (log) => {
      const text = 'FROM debian:12\nRUN echo $CACHED_ONCE\n';
      await sc(text);
      await sc(text);
      assert.equal(fs.readFileSync(log, 'utf8').trim().split('\n').length, 1);
    });
  });

  it('does not run for PowerShell, exec form, or when turned off', async () => {
    await withLog(async (log) => {
      await sc('FROM mcr.microsoft.com/powershell:7.4\nSHELL ["pwsh", "-c"]\nRUN echo $env:X\n');
      await sc('FROM debian:12\nRUN ["echo", "$NOT_SHELL"]\n');
      const off = defaultConfig();
      off.shellcheck = false;
      assert.deepEqual(await sc('FROM debian:12\nRUN echo $OFF_VAR\n', off), []);
      assert.equal(fs.existsSync(log), false);
    });
  });

  it('obeys configuration and ignore comments by SC code', async () => {
    const config = defaultConfig();
    config.rules.SC2086 = 'warning';
    const f = await sc('FROM debian:12\nRUN echo $CONFIGURED\n', config);
    assert.equal(f[0].severity, 'warning');
    config.rules.SC2086 = 'off';
    assert.deepEqual(await sc('FROM debian:12\nRUN echo $CONFIGURED_OFF\n', config), []);
    assert.deepEqual(await sc('FROM debian:12\n# hadolint ignore=SC2086\nRUN echo $IGNORED\n'), []);
  });

  it('says once that the binary is missing, and carries on with no findings', async () => {
    const said: string[] = [];
    const opts = { binary: 'dockwise-no-such-shellcheck', onUnavailable: (m: string) => said.push(m) };
    assert.deepEqual(await runShellcheck({ text: 'FROM debian:12\nRUN echo $A\n', config: defaultConfig(), host: noFiles }, opts), []);
    assert.deepEqual(await runShellcheck({ text: 'FROM debian:12\nRUN echo $B\n', config: defaultConfig(), host: noFiles }, opts), []);
    assert.equal(said.length, 1);
    assert.match(said[0], /not installed/);
  });

  let real = false;
  try {
    execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
    real = true;
  } catch {
    real = false;
  }
  // Runs where Debian's shellcheck is installed (the CI installs it); the fake binary covers the mapping elsewhere.
  if (real) {
    it('runs the real shellcheck and maps SC2086 onto the unquoted variable', async () => {
      const text = 'FROM debian:12\nARG DIR=/srv\nRUN ls $DIR/$MISSING && echo \\\n\t$(id -u)\n';
      const f = await runShellcheck({ text, config: defaultConfig(), host: noFiles });
      const sc2086 = f.filter((x) => x.aliases[0] === 'SC2086').map((x) => covered(text, x));
      assert.ok(sc2086.includes('$MISSING'), JSON.stringify(f));
      assert.ok(f.every((x) => !['SC1090', 'SC1091', 'SC2187'].includes(x.aliases[0])));
    });
  }
});
