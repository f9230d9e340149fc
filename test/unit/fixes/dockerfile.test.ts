import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lint, prepareLint } from '../../../src/diagnostics/engine';
import { diskHost } from '../../../src/diagnostics/host';
import { applyEdits } from '../../../src/diagnostics/fixes';
import { diskProbe } from '../../../src/diagnostics/fixes/context';
import { applyFix, findingsNamed, fixAllOf, fixesOf, noFiles } from './helpers';

describe('Dockerfile fixes', () => {
  before(() => prepareLint());

  describe('joining RUNs (chain-run)', () => {
    it('fix all joins apt-get update and install, and adds no cleanup (it deletes files: a suggestion)', () => {
      const text = 'FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y curl\nHEALTHCHECK NONE\nUSER 1000\n';
      assert.equal(fixAllOf('dockerfile', text).text, 'FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install -y curl\nHEALTHCHECK NONE\nUSER 1000\n');
    });

    it('puts the apt lists cleanup after the install, joining the RUNs that still need the lists', () => {
      const text = 'FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y curl\nHEALTHCHECK NONE\nUSER 1000\n';
      // The update alone in its RUN is apt-update-alone's finding; its fix is this join.
      assert.deepEqual(findingsNamed('dockerfile', text, 'DL3009'), []);
      const { fix, text: after } = applyFix('dockerfile', text, 'apt-update-alone', 'apt-clean-lists');
      assert.equal(fix.safety, 'review');
      assert.match(fix.title, /^Join with the RUN on line 3 and delete the apt lists after it — /);
      assert.equal(after, 'FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\nUSER 1000\n');
      // And on an already joined RUN: at the end of it.
      const joined = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nHEALTHCHECK NONE\nUSER 1000\n';
      assert.equal(applyFix('dockerfile', joined, 'DL3009', 'apt-clean-lists').text,
        'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\nUSER 1000\n');
    });

    it('offers no cleanup when a later, separate step still installs from the lists', () => {
      const text = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nCOPY . /app\nRUN apt-get install -y git\nHEALTHCHECK NONE\nUSER 1000\n';
      assert.ok(!fixesOf('dockerfile', text, 'DL3009').some((f) => f.id === 'apt-clean-lists'));
    });

    it('moves a trailing shell comment to a comment line of its own instead of commenting out the next command', () => {
      const text = 'FROM debian:bookworm-slim\nRUN apt-get update # lists\nRUN apt-get install -y ca-certificates # certs\nRUN echo done\nHEALTHCHECK NONE\nUSER 1000\n';
      const fixed = fixAllOf('dockerfile', text).text;
      assert.equal(fixed, 'FROM debian:bookworm-slim\nRUN apt-get update \\\n    # lists\n    && apt-get install -y ca-certificates \\\n    # certs\n    && echo done\nHEALTHCHECK NONE\nUSER 1000\n');
      // The cleanup suggestion on the result goes before the comment-free end, once.
      const cleaned = applyFix('dockerfile', fixed, 'DL3009', 'apt-clean-lists').text;
      assert.equal(cleaned.match(/rm -rf/g)?.length, 1);
      assert.equal(findingsNamed('dockerfile', cleaned, 'DL3009').length, 0);
    });

    it('keeps comments where they are: between the joined commands, and the last RUN\'s at its end; ignore comments go above', () => {
      const text = 'FROM debian:bookworm-slim\nRUN echo one\n\n# two comes next\n# hadolint ignore=DL3008\nRUN echo two # the second\nHEALTHCHECK NONE\nUSER 1000\n';
      assert.equal(fixAllOf('dockerfile', text).text, 'FROM debian:bookworm-slim\n# hadolint ignore=DL3008\nRUN echo one \\\n# two comes next\n    && echo two # the second\nHEALTHCHECK NONE\nUSER 1000\n');
    });

    it('drops a trailing ; before && rather than writing a syntax error', () => {
      // A RUN that already chains is joined only to clean the apt lists after a later install.
      const text = 'FROM debian:bookworm-slim\nRUN apt-get update; apt-get install -y curl;\nRUN apt-get install -y git\nHEALTHCHECK NONE\nUSER 1000\n';
      assert.equal(fixAllOf('dockerfile', text).text, text, 'chained RUNs are not joined unseen');
      assert.equal(applyFix('dockerfile', text, 'DL3009', 'apt-clean-lists').text,
        'FROM debian:bookworm-slim\nRUN apt-get update; apt-get install -y curl \\\n    && apt-get install -y git \\\n    && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\nUSER 1000\n');
    });

    it('joins only RUNs that each run one command, as the rule reports them', () => {
      const text = 'FROM debian:bookworm-slim\nRUN make && make test\nRUN echo a\nRUN echo b\nHEALTHCHECK NONE\nUSER 1000\n';
      assert.deepEqual(findingsNamed('dockerfile', text, 'chain-run').map((f) => f.range.start.line), [3]);
      assert.equal(fixAllOf('dockerfile', text).text, 'FROM debian:bookworm-slim\nRUN make && make test\nRUN echo a \\\n    && echo b\nHEALTHCHECK NONE\nUSER 1000\n');
    });

    it('continues lines with the escape character the file declares', () => {
      const text = '# escape=`\nFROM debian:bookworm-slim\nRUN echo a\nRUN echo b\nHEALTHCHECK NONE\nUSER 1000\n';
      assert.equal(fixAllOf('dockerfile', text).text, '# escape=`\nFROM debian:bookworm-slim\nRUN echo a `\n    && echo b\nHEALTHCHECK NONE\nUSER 1000\n');
    });

    it('does not join PowerShell or cmd RUNs, nor RUNs of Windows images', () => {
      for (const text of [
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Write-Host a\nRUN Write-Host b\n',
        'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN echo a\nRUN echo b\n',
        'FROM debian:bookworm-slim\nSHELL ["cmd", "/S", "/C"]\nRUN echo a\nRUN echo b\n',
      ]) {
        assert.ok(findingsNamed('dockerfile', text, 'chain-run').length, text);
        assert.deepEqual(fixesOf('dockerfile', text, 'chain-run'), [], text);
        assert.equal(fixAllOf('dockerfile', text).text, text);
      }
    });

    it('does not join a heredoc RUN, nor append the cleanup to its terminator', () => {
      const text = '# syntax=docker/dockerfile:1\nFROM debian:bookworm-slim\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nRUN echo after\nHEALTHCHECK NONE\nUSER 1000\n';
      assert.equal(fixAllOf('dockerfile', text).text, text);
      for (const f of lint({ text, kind: 'dockerfile', host: noFiles })) {
        for (const fix of fixesOf('dockerfile', text, f.code).filter((x) => x.safety !== 'silence')) {
          assert.ok(!/rm -rf|&&/.test(fix.edits.map((e) => e.newText).join('')), `${f.code}: ${fix.title}`);
        }
      }
    });

    it('joins only as a suggestion when an earlier RUN leaves shell state behind (cd, export, exit 0)', () => {
      for (const [first, state] of [['cd /src', 'cd'], ['export A=1', 'export/declare'], ['exit 0', 'exit'], ['X=1', 'a variable assignment']]) {
        const text = `FROM debian:bookworm-slim\nRUN ${first}\nRUN make\nHEALTHCHECK NONE\nUSER 1000\n`;
        assert.equal(fixAllOf('dockerfile', text).text, text, first);
        const fixes = fixesOf('dockerfile', text, 'chain-run');
        assert.equal(fixes.length, 1, first);
        assert.equal(fixes[0].safety, 'review');
        assert.ok(fixes[0].title.includes(`(${state})`), fixes[0].title);
      }
      // The same through the apt lists join, which also joins RUNs that chain: a loop variable, a background job.
      for (const [first, state] of [['for f in a; do echo $f; done', 'a for loop variable'], ['test -f x || exit 0', 'exit']]) {
        const text = `FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && ${first}\nRUN apt-get install -y git\nHEALTHCHECK NONE\nUSER 1000\n`;
        const { fix } = applyFix('dockerfile', text, 'DL3009', 'apt-clean-lists');
        assert.ok(fix.title.includes(`(${state})`), fix.title);
      }
      const background = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && sleep 1 &\nRUN apt-get install -y git\nHEALTHCHECK NONE\nUSER 1000\n';
      assert.deepEqual(fixesOf('dockerfile', background, 'DL3009').filter((f) => f.id === 'apt-clean-lists'), [], 'a background job cannot be followed by &&');
      // State kept inside a subshell does not leak.
      const contained = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && (cd /src && make)\nRUN apt-get install -y git\nHEALTHCHECK NONE\nUSER 1000\n';
      const { fix: join } = applyFix('dockerfile', contained, 'DL3009', 'apt-clean-lists');
      assert.ok(!/shell state/.test(join.title), join.title);
    });

    it('is idempotent: the join, the -y and a second pass over a file with a commented RUN', () => {
      const text = 'FROM debian:bookworm-slim\nRUN apt-get update # certs\nRUN apt-get install curl=7.88.1-10+deb12u8 # certs\nRUN echo x # certs\nHEALTHCHECK NONE\nUSER 1000\n';
      const fixed = fixAllOf('dockerfile', text).text;
      assert.equal(fixed, 'FROM debian:bookworm-slim\nRUN apt-get update \\\n    # certs\n    && apt-get install -y curl=7.88.1-10+deb12u8 \\\n    # certs\n    && echo x # certs\nHEALTHCHECK NONE\nUSER 1000\n');
    });
  });

  describe('apt-get flags', () => {
    it('adds -y after install, on the line where install is (safe)', () => {
      const text = 'FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\nUSER 1000\n';
      const { fix, text: after } = applyFix('dockerfile', text, 'DL3014', 'apt-assume-yes');
      assert.equal(fix.safety, 'safe');
      assert.equal(after, text.replace('install --no', 'install -y --no'));
    });

    it('offers --no-install-recommends only as a suggestion that names what may be left out', () => {
      const text = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\nUSER 1000\n';
      const { fix, text: after } = applyFix('dockerfile', text, 'DL3015', 'apt-no-install-recommends');
      assert.equal(fix.safety, 'review');
      assert.match(fix.title, /— installs only the packages listed: .*ca-certificates/);
      assert.equal(after, text.replace('install -y', 'install --no-install-recommends -y'));
      assert.equal(fixAllOf('dockerfile', text).text, text);
    });
  });

  describe('a non-root user (never applied unseen)', () => {
    const userFix = (text: string) => applyFix('dockerfile', text, 'no-root-user', 'non-root-user');

    it('creates no user in scratch, distroless, static or Windows images', () => {
      const cases: Array<[string, string]> = [
        ['FROM scratch\nCOPY app /app\nHEALTHCHECK NONE\nCMD ["/app"]\n', 'FROM scratch\nCOPY app /app\nUSER 65534:65534\nHEALTHCHECK NONE\nCMD ["/app"]\n'],
        ['FROM gcr.io/distroless/static-debian12\nCOPY app /app\nHEALTHCHECK NONE\nCMD ["/app"]\n', 'FROM gcr.io/distroless/static-debian12\nCOPY app /app\nUSER 65532:65532\nHEALTHCHECK NONE\nCMD ["/app"]\n'],
      ];
      // Windows images run as the user their image says (nanoserver: ContainerUser): the rule leaves them alone.
      assert.deepEqual(findingsNamed('dockerfile', 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe /app.exe\nHEALTHCHECK NONE\nCMD ["/app.exe"]\n', 'no-root-user'), []);
      for (const [text, expected] of cases) {
        const { fix, text: after } = userFix(text);
        assert.equal(after, expected);
        assert.equal(fix.safety, 'review');
        assert.ok(!/groupadd|useradd|adduser/.test(after));
      }
    });

    it('puts USER after the last RUN, even a RUN written after CMD, and keeps USER root for the steps that need it', () => {
      const text = 'FROM debian:bookworm-slim\nCMD ["app"]\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\n';
      assert.equal(userFix(text).text, 'FROM debian:bookworm-slim\nCMD ["app"]\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-log-init app\nUSER 10001:10001\nHEALTHCHECK NONE\n');
      const root = 'FROM node:22-bookworm-slim\nUSER root\nRUN npm install -g pm2\nHEALTHCHECK NONE\nCMD ["pm2-runtime", "app.js"]\n';
      assert.equal(userFix(root).text, 'FROM node:22-bookworm-slim\nUSER root\nRUN npm install -g pm2\nUSER node\nHEALTHCHECK NONE\nCMD ["pm2-runtime", "app.js"]\n');
    });

    it('uses the user a RUN already creates, and a bare numeric id on images it cannot tell', () => {
      const made = 'FROM debian:bookworm-slim\nRUN useradd -r -u 999 web\nHEALTHCHECK NONE\nCMD ["web"]\n';
      assert.equal(userFix(made).text, 'FROM debian:bookworm-slim\nRUN useradd -r -u 999 web\nUSER web\nHEALTHCHECK NONE\nCMD ["web"]\n');
      const unknown = 'FROM registry.example.com/team/base:3\nUSER root\nHEALTHCHECK NONE\nCMD ["app"]\n';
      assert.equal(userFix(unknown).text, 'FROM registry.example.com/team/base:3\nUSER root\nUSER 10001:10001\nHEALTHCHECK NONE\nCMD ["app"]\n');
      // With no USER at all, an image it cannot tell is the daemon's to settle (the editor asks it): no finding.
      assert.deepEqual(findingsNamed('dockerfile', 'FROM registry.example.com/team/base:3\nHEALTHCHECK NONE\nCMD ["app"]\n', 'no-root-user'), []);
    });
  });

  describe('exec form', () => {
    it('never turns a variable assignment or a shell builtin into a program name', () => {
      for (const cmd of ['CMD NODE_ENV=production node server.js', 'CMD cd /app && node server.js', 'CMD node $APP', 'CMD ["node", "a.js"]']) {
        const text = `FROM node:22-alpine\nHEALTHCHECK NONE\nUSER node\n${cmd}\n`;
        const all = lint({ text, kind: 'dockerfile', host: noFiles }).filter((f) => f.code === 'JSONArgsRecommended');
        for (const f of all) assert.deepEqual(fixesOf('dockerfile', text, f.code), [], cmd);
        assert.equal(fixAllOf('dockerfile', text).text, text, cmd);
      }
    });

    it('drops exec, which only told the shell to step aside', () => {
      const text = 'FROM scratch\nCOPY java /java\nHEALTHCHECK NONE\nUSER 1000\nCMD exec java -jar app.jar\n';
      assert.equal(fixAllOf('dockerfile', text).text, 'FROM scratch\nCOPY java /java\nHEALTHCHECK NONE\nUSER 1000\nCMD ["java", "-jar", "app.jar"]\n');
    });

    it('applies a CMD exec form unseen only where no ENTRYPOINT can receive it differently', () => {
      const node = 'FROM node:22-alpine\nHEALTHCHECK NONE\nUSER node\nCMD node server.js\n';
      assert.equal(fixAllOf('dockerfile', node).text, node, 'node images have an ENTRYPOINT the file cannot see');
      const { fix } = applyFix('dockerfile', node, 'JSONArgsRecommended', 'exec-form-review');
      assert.match(fix.title, /^Use the exec form: CMD \["node", "server\.js"\] — if the base image has an ENTRYPOINT/);
      const withEntrypoint = 'FROM scratch\nCOPY tini /tini\nHEALTHCHECK NONE\nUSER 1000\nENTRYPOINT ["/tini", "--"]\nCMD /app run\n';
      assert.equal(fixAllOf('dockerfile', withEntrypoint).text, withEntrypoint);
      assert.match(applyFix('dockerfile', withEntrypoint, 'JSONArgsRecommended', 'exec-form-review').fix.title, /the ENTRYPOINT on line 5 then receives these words/);
      const emptyEntrypoint = 'FROM debian:bookworm-slim\nHEALTHCHECK NONE\nUSER 1000\nENTRYPOINT []\nCMD /app run\n';
      assert.equal(fixAllOf('dockerfile', emptyEntrypoint).text, emptyEntrypoint.replace('CMD /app run', 'CMD ["/app", "run"]'));
    });

    it('never makes a shell-form ENTRYPOINT receive CMD unseen, and says so', () => {
      const text = 'FROM alpine:3.20\nHEALTHCHECK NONE\nUSER 1000\nENTRYPOINT /usr/local/bin/start\nCMD ["--help"]\n';
      assert.equal(fixAllOf('dockerfile', text).text, text);
      const { fix, text: after } = applyFix('dockerfile', text, 'JSONArgsRecommended', 'exec-form-review');
      assert.match(fix.title, /— the CMD on line 5 and docker run's arguments are then passed to it as arguments$/);
      assert.equal(after, text.replace('ENTRYPOINT /usr/local/bin/start', 'ENTRYPOINT ["/usr/local/bin/start"]'));
    });
  });

  describe('HEALTHCHECK', () => {
    it('invents neither a port nor a probe program', () => {
      // With no port, the rule itself is silent: there is nothing to probe.
      assert.deepEqual(findingsNamed('dockerfile', 'FROM debian:bookworm-slim\nUSER 1000\nCMD ["app"]\n', 'require-healthcheck'), []);
      for (const text of [
        'FROM debian:bookworm-slim\nEXPOSE 3000\nUSER 1000\nCMD ["app"]\n', // no curl or wget installed
        'FROM gcr.io/distroless/base-debian12\nEXPOSE 8080\nUSER 1000\nCMD ["app"]\n', // no programs at all
      ]) {
        assert.deepEqual(fixesOf('dockerfile', text, 'require-healthcheck'), [], text);
      }
    });

    it('probes the EXPOSEd port with a program the image has, as a suggestion', () => {
      const cases: Array<[string, string]> = [
        ['FROM node:22-alpine\nEXPOSE 3000\nUSER node\nCMD ["node", "server.js"]\n', `HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "-e", "require('http').get('http://localhost:3000/', r => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))"]`],
        ['FROM nginx:1.27-alpine\nEXPOSE 80\nUSER nginx\nCMD ["nginx", "-g", "daemon off;"]\n', 'HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["wget", "-q", "--spider", "http://localhost:80/"]'],
        ['FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nEXPOSE 8000\nUSER 1000\nCMD ["app"]\n', 'HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["curl", "-fsS", "-o", "/dev/null", "http://localhost:8000/"]'],
      ];
      for (const [text, line] of cases) {
        const { fix, text: after } = applyFix('dockerfile', text, 'require-healthcheck', 'add-healthcheck');
        assert.equal(fix.safety, 'review');
        assert.equal(after, text.replace(/^CMD /m, `${line}\nCMD `));
        assert.equal(fixAllOf('dockerfile', text).text, text);
      }
    });
  });

  describe('ADD → COPY', () => {
    it('never turns an archive ADD (which unpacks it) into COPY, whatever the compression', () => {
      for (const src of ['archive.tar.zst', 'rootfs.tar.gz', 'data.tgz', 'x.tar.xz']) {
        const text = `FROM debian:bookworm-slim\nADD ${src} /\nHEALTHCHECK NONE\nUSER 1000\n`;
        for (const f of findingsNamed('dockerfile', text, 'DL3020')) assert.deepEqual(fixesOf('dockerfile', text, f.code), [], src);
        assert.equal(fixAllOf('dockerfile', text).text, text, src);
      }
    });

    it('uses COPY unseen for the build context, a folder, or a file that is no archive; otherwise suggests it', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-add-'));
      fs.mkdirSync(path.join(dir, 'conf'));
      fs.writeFileSync(path.join(dir, 'app.py'), 'print("hi")\n');
      // A tar archive with a name that does not say so: ADD would unpack it.
      const tar = Buffer.alloc(1024);
      tar.write('hello.txt', 0);
      tar.write('0000644\0', 100);
      tar.write('00000000000\0', 124);
      tar.write('ustar\0', 257);
      tar.fill(32, 148, 156);
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += tar[i];
      tar.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
      fs.writeFileSync(path.join(dir, 'payload.bin'), tar);
      const request = { filePath: path.join(dir, 'Dockerfile'), host: diskHost, probe: diskProbe };
      const run = (src: string) => `FROM debian:bookworm-slim\nADD ${src} /app/\nHEALTHCHECK NONE\nUSER 1000\n`;
      for (const src of ['.', 'conf', 'app.py', 'app.py conf']) {
        const fixed = fixAllOf('dockerfile', run(src), request).text;
        assert.equal(fixed, run(src).replace('ADD', 'COPY'), src);
      }
      assert.equal(fixAllOf('dockerfile', run('payload.bin'), request).text, run('payload.bin'));
      assert.ok(!fixesOf('dockerfile', run('payload.bin'), 'DL3020', request).length, 'a tar by its content gets no COPY');
      // Not on disk: only a suggestion that says what ADD may have been doing.
      const missing = run('vendor.bin');
      assert.equal(fixAllOf('dockerfile', missing, request).text, missing);
      assert.match(applyFix('dockerfile', missing, 'DL3020', 'copy-for-add-unverified', request).fix.title, /— if a source is a tar archive, ADD unpacked it/);
    });
  });

  describe('pinning tags', () => {
    it('has no list of versions of its own', () => {
      assert.ok(!fs.existsSync(path.join(__dirname, '..', '..', '..', 'src', 'diagnostics', 'fixes', 'suggestedTags.ts')));
      const text = 'FROM postgres\nHEALTHCHECK NONE\nUSER postgres\n';
      assert.deepEqual(fixesOf('dockerfile', text, 'no-latest-tag'), []);
    });

    it('offers the version another line of the file uses, as a suggestion', () => {
      const text = 'FROM node:22.11-bookworm-slim AS build\nRUN echo build\nFROM node:latest\nHEALTHCHECK NONE\nUSER node\n';
      const { fix, text: after } = applyFix('dockerfile', text, 'no-latest-tag', 'pin-tag');
      assert.equal(fix.safety, 'review');
      assert.match(fix.title, /^Pin to node:22\.11-bookworm-slim \(as line 1 does\) — /);
      assert.equal(after, text.replace('node:latest', 'node:22.11-bookworm-slim'));
      assert.equal(fixAllOf('dockerfile', text).text, text);
    });
  });

  it('leaves every byte outside the fixes as it was: CRLF, a BOM, non-ASCII text', () => {
    const text = '\uFEFFFROM debian:bookworm-slim\r\n# café ☕\r\nRUN echo a\r\nRUN echo b\r\nHEALTHCHECK NONE\r\nUSER 1000\r\n';
    const fixed = fixAllOf('dockerfile', text).text;
    assert.equal(fixed, '\uFEFFFROM debian:bookworm-slim\r\n# café ☕\r\nRUN echo a \\\r\n    && echo b\r\nHEALTHCHECK NONE\r\nUSER 1000\r\n');
    assert.equal(applyEdits(text, []), text);
  });
});
