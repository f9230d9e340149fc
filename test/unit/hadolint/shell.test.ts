import * as assert from 'node:assert/strict';
import { defaultConfig, LintConfig } from '../../../src/diagnostics/config';
import { lint, prepareLint } from '../../../src/diagnostics/engine';
import { unquote } from '../../../src/diagnostics/dockerfile/shell/script';
import { dialectOf, shellPragma } from '../../../src/diagnostics/dockerfile/shell/dialect';
import type { Finding } from '../../../src/diagnostics/types';

const noFiles = { readFile: () => undefined };
const run = (text: string, config: LintConfig = defaultConfig()) => lint({ text, kind: 'dockerfile', config, host: noFiles });
const byAlias = (fs: Finding[], alias: string) => fs.filter((f) => f.aliases.includes(alias));
/** The text a finding's range covers. */
const covered = (text: string, f: Finding) => {
  const lines = text.split('\n');
  const { start, end } = f.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
};

describe('RUN bodies as shell scripts', function () {
  this.timeout(20000);
  before(() => prepareLint());

  describe('positions map back to the Dockerfile', () => {
    it('points at the unpinned package on a continuation line, past a comment line', () => {
      const text = 'FROM debian:12\nRUN apt-get update \\\n  # tools\n  && apt-get install -y --no-install-recommends \\\n     curl=7.88 git \\\n  && rm -rf /var/lib/apt/lists/*\n';
      const f = byAlias(run(text), 'DL3008');
      assert.equal(f.length, 1);
      assert.equal(f[0].code, 'apt-pin-versions');
      assert.deepEqual(f[0].range, { start: { line: 4, character: 15 }, end: { line: 4, character: 18 } });
      assert.equal(covered(text, f[0]), 'git');
    });

    it('reads a heredoc script and points into it', () => {
      const text = 'FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends wget\nrm -rf /var/lib/apt/lists/*\nEOF\n';
      const f = byAlias(run(text), 'DL3008');
      assert.equal(f.length, 1);
      assert.equal(f[0].range.start.line, 4);
      assert.equal(covered(text, f[0]), 'wget');
    });

    it('reads an exec-form RUN and points inside the JSON string', () => {
      const text = 'FROM alpine:3.20\nRUN ["apk", "add", "--no-cache", "bash"]\n';
      const f = byAlias(run(text), 'DL3018');
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'bash');
    });

    it('honours the escape directive', () => {
      const text = '# escape=`\nFROM debian:12\nRUN apt-get install -y --no-install-recommends `\n    vim\n';
      const f = byAlias(run(text), 'DL3008');
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'vim');
    });

    it('points at the flag word for ONBUILD triggers too', () => {
      const text = 'FROM debian:12\nONBUILD RUN apt-get install -y --no-install-recommends jq\n';
      const f = byAlias(run(text), 'DL3008');
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'jq');
    });
  });

  describe('heredocs that are not scripts', () => {
    it('does not read a heredoc given to another program as shell', () => {
      const text = 'FROM python:3.12\nRUN python3 <<EOF\nimport os\nos.system("apt-get install vim")\nEOF\n';
      assert.deepEqual(byAlias(run(text), 'DL3008'), []);
    });

    it('does not read a file written by cat <<EOF as shell, but still reads the command line', () => {
      const text = 'FROM debian:12\nRUN cat <<EOF > /etc/motd\napt-get install vim\nEOF\n';
      assert.deepEqual(byAlias(run(text), 'DL3008'), []);
      const text2 = 'FROM debian:12\nRUN sudo tee /etc/motd <<EOF\nhello\nEOF\n';
      assert.equal(byAlias(run(text2), 'DL3004').length, 1);
    });

    it('reads RUN <<EOF bash as a script', () => {
      const text = 'FROM debian:12\nRUN <<EOF bash\ncd /tmp\nEOF\n';
      assert.equal(byAlias(run(text), 'DL3003').length, 1);
    });
  });

  describe('the shell that runs the body', () => {
    it('leaves PowerShell bodies alone (SHELL)', () => {
      const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN cd C:\\; sudo x; apt-get install vim\n';
      const f = run(text);
      assert.deepEqual([...byAlias(f, 'DL3003'), ...byAlias(f, 'DL3004'), ...byAlias(f, 'DL3008')], []);
    });

    it('leaves bodies alone after a # hadolint shell=powershell comment', () => {
      const text = '# hadolint shell=powershell\nFROM mcr.microsoft.com/powershell:7.4\nRUN cd C:\\app\n';
      assert.deepEqual(byAlias(run(text), 'DL3003'), []);
    });

    it('reads SHELL dialects', () => {
      assert.equal(dialectOf(['/bin/bash', '-o', 'pipefail', '-c']), 'bash');
      assert.equal(dialectOf(['pwsh', '-c']), 'powershell');
      assert.equal(dialectOf(['cmd.exe', '/S', '/C']), 'cmd');
      assert.equal(dialectOf(['/bin/ash']), 'sh');
      assert.equal(shellPragma('hadolint shell=bash'), 'bash');
      assert.equal(shellPragma('hadolint ignore=DL3008'), undefined);
    });

    it('a stage built on another keeps its SHELL', () => {
      const text = 'FROM mcr.microsoft.com/powershell:7.4 AS base\nSHELL ["pwsh", "-c"]\nFROM base\nRUN cd C:\\app\n';
      assert.deepEqual(byAlias(run(text), 'DL3003'), []);
    });
  });

  describe('better than hadolint', () => {
    it('does not ask for WORKDIR when cd runs in a subshell', () => {
      assert.deepEqual(byAlias(run('FROM debian:12\nRUN (cd /src && make) && make -C /other\n'), 'DL3003'), []);
      assert.equal(byAlias(run('FROM debian:12\nRUN cd /src && make\n'), 'DL3003').length, 1);
    });

    it('accepts rm -fr and the lists directory itself as apt cleanup', () => {
      for (const rm of ['rm -fr /var/lib/apt/lists/*', 'rm -r -f /var/lib/apt/lists', 'rm -Rf /var/lib/apt/lists/']) {
        const text = `FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7 && ${rm}\n`;
        assert.deepEqual(byAlias(run(text), 'DL3009'), [], rm);
      }
    });

    it('accepts set -o pipefail inside the RUN before the pipe', () => {
      const text = 'FROM debian:12\nRUN set -eo pipefail; curl -fsSL https://example.com/x | tar -xz\n';
      assert.deepEqual(byAlias(run(text), 'DL4006'), []);
      assert.equal(byAlias(run('FROM debian:12\nRUN curl -fsSL https://example.com/x | tar -xz\n'), 'DL4006').length, 1);
    });

    it('accepts a yum cache mount for yum clean all', () => {
      const text = 'FROM rockylinux:9\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.57\n';
      assert.deepEqual(byAlias(run(text), 'DL3032'), []);
    });

    it('only asks builder stages to clean apt lists when the stage ends up in an image', () => {
      const text = 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc=12\nFROM debian:12\nCOPY --from=build /out /out\n';
      assert.deepEqual(byAlias(run(text), 'DL3009'), []);
    });
  });

  describe('settings-driven rules stay silent by default', () => {
    it('trusted-registry needs trustedRegistries', () => {
      const text = 'FROM quay.io/team/app:1.0\n';
      assert.deepEqual(byAlias(run(text), 'DL3026'), []);
      const config = defaultConfig();
      config.trustedRegistries = ['registry.example.com'];
      const f = byAlias(run(text, config), 'DL3026');
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'quay.io/team/app:1.0');
    });

    it('label schema rules need label-schema', () => {
      const text = 'FROM alpine:3.20\nLABEL org.opencontainers.image.source="not a url"\n';
      const schemaCodes = ['DL3049', 'DL3050', 'DL3051', 'DL3052', 'DL3053', 'DL3054', 'DL3055', 'DL3056', 'DL3058'];
      assert.deepEqual(run(text).filter((f) => f.aliases.some((a) => schemaCodes.includes(a))), []);
      const config = defaultConfig();
      config.labelSchema = { 'org.opencontainers.image.source': 'url', 'org.opencontainers.image.version': 'semver' };
      const f = run(text, config);
      assert.equal(byAlias(f, 'DL3052').length, 1);
      assert.equal(byAlias(f, 'DL3049').length, 1);
    });
  });

  describe('bad input', () => {
    it('survives a huge RUN line and binary-looking text quickly', () => {
      const huge = 'FROM debian:12\nRUN ' + 'echo "x" && '.repeat(40000) + 'true\n';
      const t0 = Date.now();
      run(huge);
      assert.ok(Date.now() - t0 < 5000);
      const garbage = 'FROM debian:12\nRUN ' + Array.from({ length: 2000 }, (_, i) => String.fromCharCode(1 + ((i * 7919) % 250))).join('') + '\n';
      assert.doesNotThrow(() => run(garbage));
    });

    it('survives unterminated quotes, heredocs and substitutions', () => {
      for (const body of ['echo "unterminated', "echo 'x", 'echo $(ls', '<<EOF\napt-get install vim', 'if then fi', 'a | | b', '((']) {
        const f = run(`FROM debian:12\nRUN ${body}\n`);
        assert.ok(!f.some((x) => x.code === 'internal-error'), body);
      }
    });
  });

  it('unquotes words as the shell does, keeping expansions', () => {
    assert.equal(unquote(`'a b'"c\\"d"e\\ f`), 'a bc"de f');
    assert.equal(unquote('"${VERSION}"-x'), '${VERSION}-x');
  });
});
