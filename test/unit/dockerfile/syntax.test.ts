import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { createContext } from '../../../src/diagnostics/dockerfile/context';
import { COVERED_BY_DOCKWISE, textForValidate } from '../../../src/diagnostics/dockerfile/rules/syntax';
import { at, byCode, df, lintText } from './helpers';

const SETTINGS = {
  deprecatedMaintainer: ValidationSeverity.IGNORE, directiveCasing: ValidationSeverity.WARNING, emptyContinuationLine: ValidationSeverity.IGNORE,
  instructionCasing: ValidationSeverity.IGNORE, instructionCmdMultiple: ValidationSeverity.IGNORE, instructionEntrypointMultiple: ValidationSeverity.IGNORE,
  instructionHealthcheckMultiple: ValidationSeverity.IGNORE, instructionJSONInSingleQuotes: ValidationSeverity.WARNING, instructionWorkdirRelative: ValidationSeverity.IGNORE,
};

/** validate's findings as comparable strings, on the full text or on the packed text mapped back. */
function full(text: string): string[] {
  return validate(text, SETTINGS).filter((d) => !COVERED_BY_DOCKWISE.has(Number(d.code))).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();
}
function packed(text: string): string[] {
  const ctx = createContext(text, undefined, { rules: {} }, { readFile: () => undefined });
  const p = textForValidate(ctx);
  return validate(p.text, SETTINGS).filter((d) => !COVERED_BY_DOCKWISE.has(Number(d.code))).map((d) => `${d.code}@${p.lines[d.range.start.line]}:${d.range.start.character}-${p.lines[d.range.end.line]}:${d.range.end.character}`).sort();
}

/** Instructions of every shape validate judges, right and wrong, to mix into files. */
const SAMPLES = [
  'RUN apk add curl', "RUN ['a']", 'RUN ["a", "b"]', 'RUN --mount=type=cache,target=/x make', 'RUN <<EOF\necho hi\nEOF',
  'CMD ["node", "a.js"]', "CMD ['node', 'a.js']", 'CMD node a.js', 'ENTRYPOINT', 'ENTRYPOINT ["x"]', 'VOLUME /data', "VOLUME ['/x']",
  'WORKDIR /app', 'WORKDIR app', 'WORKDIR', 'USER node', 'USER', 'MAINTAINER me',
  'COPY a b', 'COPY a b c', 'COPY a b c/', 'COPY a', 'COPY --from=build /a /b', 'COPY --from=-x /a /b', 'COPY --chown=1:1 --chmod=755 a /b',
  'COPY --link=maybe a b', 'COPY --bogus a b', 'COPY --chown=1 --chown=2 a b', 'COPY <<EOT /x\nhi\nEOT', 'COPY "a b" c', 'ADD https://x/y.tgz /y/', 'ADD --checksum=sha256:00 a b',
  'ENV A=1', 'ENV A=1 B="two words"', 'ENV A', 'ENV A 1', 'ENV A="unterminated', "ENV A='x", 'ENV P=$PATH:/x', 'ENV A=${B:-c}', 'ENV A=${B:x}', 'ENV =x',
  'LABEL a=b', 'LABEL "a b"=c', 'LABEL a',
  'ARG A', 'ARG A=1', 'ARG A="x"', 'ARG =1',
  'EXPOSE 80', 'EXPOSE 80/tcp 53/udp', 'EXPOSE 80/TCP', 'EXPOSE 8080:80', 'EXPOSE abc', 'EXPOSE 80/xyz', 'EXPOSE $PORT', 'EXPOSE',
  'HEALTHCHECK CMD curl -f http://x/', 'HEALTHCHECK NONE', 'HEALTHCHECK NONE x', 'HEALTHCHECK CMD', 'HEALTHCHECK --interval=30s --retries=3 CMD x',
  'HEALTHCHECK --interval=0s CMD x', 'HEALTHCHECK --interval=30 CMD x', 'HEALTHCHECK --retries=0 CMD x', 'HEALTHCHECK --bogus=1 CMD x', 'HEALTHCHECK FOO',
  'HEALTHCHECK --interval=1s --interval=2s CMD x',
  'FROM alpine:3.19', 'FROM alpine:3.19 AS build2', 'FROM alpine:3.19 AS 1bad', 'FROM alpine:3.19 XX b', 'FROM alpine:', 'FROM alpine@sha256:abc',
  'FROM --platform=linux/amd64 alpine:3', 'FROM --bogus=1 alpine:3', 'FROM ${IMG}', 'FROM alpine:${TAG:-3}', 'FROM a b',
  'SHELL ["/bin/bash", "-c"]', 'SHELL /bin/sh', 'STOPSIGNAL SIGTERM', 'STOPSIGNAL 9', 'STOPSIGNAL x', 'ONBUILD RUN x', 'ONBUILD FROM x',
  'FROMM x', 'run lower case', 'Copy a b', 'RUN a \\\n\n  b',
];

describe('dockerfile-utils validate, mapped', () => {
  it('maps validate codes to readable Dockwise codes with precise ranges', () => {
    const fs = lintText(df('FROM alpine:3', 'FROMM x', 'COPY a b c', 'EXPOSE abc', 'HEALTHCHECK FOO', 'FROM alpine:3 AS 1bad', 'ENV A'));
    assert.equal(at(byCode(fs, 'unknown-instruction')[0]), '2:1-2:6');
    assert.equal(at(byCode(fs, 'copy-destination-not-directory')[0]), '3:10-3:11');
    assert.equal(at(byCode(fs, 'invalid-expose-port')[0]), '4:8-4:11');
    assert.equal(byCode(fs, 'invalid-healthcheck').length, 1);
    assert.equal(byCode(fs, 'invalid-stage-name').length, 1);
    assert.equal(byCode(fs, 'instruction-arguments').length, 1);
  });

  it('reports instructions before FROM as DL3061 and an empty file as having no FROM', () => {
    assert.deepEqual(byCode(lintText(df('RUN x', 'FROM alpine:3')), 'instruction-before-from')[0].aliases, ['DL3061']);
    assert.equal(byCode(lintText(df('ARG A=1', 'FROM alpine:3')), 'instruction-before-from').length, 0);
    assert.equal(byCode(lintText(''), 'no-from').length, 1);
  });

  it('does not repeat what Dockwise already reports (duplicate stage names, MAINTAINER, casing)', () => {
    const fs = lintText(df('FROM alpine:3 AS a', 'FROM alpine:3 AS a', 'maintainer me', 'WORKDIR x'));
    assert.equal(fs.filter((f) => f.code === 'duplicate-stage-name').length, 1);
    assert.ok(!fs.some((f) => f.message.startsWith('Duplicate') || /uppercase letters/.test(f.message)));
  });

  it('reports an unterminated heredoc', () => {
    assert.equal(at(byCode(lintText(df('FROM alpine:3', 'RUN <<EOF', 'echo')), 'unterminated-heredoc')[0]), '2:1-2:4');
  });

  it('packing the file for validate loses and adds nothing, for every sample shape in every position', () => {
    for (let k = 0; k < SAMPLES.length; k++) {
      for (const prefix of [['FROM alpine:3'], ['ARG A=1', 'FROM alpine:3 AS base', 'ENV X=1'], ['FROM alpine:3', 'RUN a', '# dockerfile-utils: ignore']]) {
        const text = df(...prefix, SAMPLES[k], SAMPLES[(k * 7 + 3) % SAMPLES.length], 'CMD ["x"]');
        assert.deepEqual(packed(text), full(text), text);
      }
    }
  });

  it('packing loses nothing on the benchmark corpus', () => {
    const dir = path.join(__dirname, '../../../bench/corpus');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.Dockerfile'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      assert.deepEqual(packed(text), full(text), f);
    }
  });
});
