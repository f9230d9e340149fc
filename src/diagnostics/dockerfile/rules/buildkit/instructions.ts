/** BuildKit's checks on single instructions and on instructions within a stage. */
import { finding } from '../../../registry';
import type { DockerfileContext, DockerfileRule } from '../../context';
import { argDecls, keyValues, Stage } from '../../model';
import { execForm, Instruction, Word } from '../../parse';
import { UNKNOWN } from '../../variables';
import { buildkitRule } from './meta';

export const CONSISTENT_CASING = buildkitRule('ConsistentInstructionCasing', 'warning', 'Instructions should all use the same casing');
export const NO_EMPTY_CONTINUATION = buildkitRule('NoEmptyContinuation', 'warning', 'Empty continuation lines will become errors');
export const JSON_ARGS = buildkitRule('JSONArgsRecommended', 'warning', 'Use the JSON (exec) form for CMD and ENTRYPOINT', ['DL3025']);
export const MAINTAINER = buildkitRule('MaintainerDeprecated', 'error', 'MAINTAINER is deprecated; use a LABEL', ['DL4000']);
export const WORKDIR_RELATIVE = buildkitRule('WorkdirRelativePath', 'error', 'The first WORKDIR of a stage should be absolute', ['DL3000']);
export const MULTIPLE_INSTRUCTIONS = buildkitRule('MultipleInstructionsDisallowed', 'warning', 'Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage counts', ['DL4003', 'DL4004', 'DL3012']);
export const LEGACY_KEY_VALUE = buildkitRule('LegacyKeyValueFormat', 'warning', 'Use KEY=value in ENV and LABEL, not the legacy "KEY value" form');
export const SECRETS_IN_ARG_ENV = buildkitRule('SecretsUsedInArgOrEnv', 'warning', 'Do not pass secrets through ARG or ENV', ['DL3064']);
export const EXPOSE_PROTO_CASING = buildkitRule('ExposeProtoCasing', 'warning', 'The protocol in EXPOSE should be lowercase');
export const EXPOSE_INVALID_FORMAT = buildkitRule('ExposeInvalidFormat', 'warning', 'EXPOSE should not name an IP address or a host port');
export const DEFINITION_DESCRIPTION = buildkitRule('InvalidDefinitionDescription', 'info',
  'A comment right above a stage or ARG should start with its name (experimental in BuildKit: on with check=experimental or when configured)');

const MULTI_ALIAS: Record<string, { alias: string; severity: 'warning' | 'error' }> = {
  CMD: { alias: 'DL4003', severity: 'warning' },
  ENTRYPOINT: { alias: 'DL4004', severity: 'error' },
  HEALTHCHECK: { alias: 'DL3012', severity: 'error' },
};

const SECRET = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const NOT_SECRET = /(?:_|^)(?:public|file|version)(?:_|$)/i;

// A drive letter counts: with the default escape, `C:\app` reads as `C:app`, which Windows users mean as absolute.
const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.startsWith('\\');

export const instructionChecks: DockerfileRule = {
  codes: [CONSISTENT_CASING, NO_EMPTY_CONTINUATION, JSON_ARGS, MAINTAINER, WORKDIR_RELATIVE, MULTIPLE_INSTRUCTIONS,
    LEGACY_KEY_VALUE, SECRETS_IN_ARG_ENV, EXPOSE_PROTO_CASING, EXPOSE_INVALID_FORMAT].map((m) => m.code),
  check(ctx, report) {
    casing(ctx, report);
    for (const ins of ctx.instructions) {
      if (ins.emptyContinuationLines.length) {
        // BuildKit reports it on the instruction's last line, where the parser notices it.
        const l = ins.textEndLine;
        const n = ins.emptyContinuationLines.length;
        const lines = ins.emptyContinuationLines.map((e) => e + 1).join(', ');
        report(finding(NO_EMPTY_CONTINUATION, { start: { line: l, character: 0 }, end: { line: l, character: ctx.parsed.lines[l].length } },
          `This ${ins.keyword} continues over ${n === 1 ? 'an empty line' : `${n} empty lines`} (line ${lines}). Docker skips ${n === 1 ? 'it' : 'them'} today, but empty continuation lines will become an error in a future release, and they make the instruction look finished when it is not. Remove ${n === 1 ? 'it' : 'them'} or end the instruction before.`));
      }
      switch (ins.keyword) {
        case 'MAINTAINER':
          report(finding(MAINTAINER, ins.keywordRange,
            'MAINTAINER is deprecated and ignored by tools that read image metadata. Use LABEL org.opencontainers.image.authors="name <email>" instead.'));
          break;
        case 'ENV':
        case 'LABEL':
          for (const kv of keyValues(ins, ctx.escape)) {
            if (kv.legacy) {
              report(finding(LEGACY_KEY_VALUE, ctx.checkRange(ins, kv.word),
                `"${ins.keyword} ${kv.key} value" is the legacy form: it sets one variable to everything after the first space, which surprises when the value has spaces or a second pair is added. Write ${ins.keyword} ${kv.key}=<value> (quote values with spaces).`));
            }
            if (ins.keyword === 'ENV') secret(ctx, ins, kv.key, kv.word, report, kv.value);
          }
          break;
        case 'ARG':
          for (const a of argDecls(ins, ctx.escape)) secret(ctx, ins, a.key, a.word, report, a.value);
          break;
        case 'EXPOSE':
          expose(ctx, ins, report);
          break;
        case 'WORKDIR':
          // Before any FROM (a file no-from already reports): still a relative path, as hadolint's DL3000 says.
          if (ins.stage < 0) relativeWorkdir(ctx, ins, report);
          break;
      }
    }
    for (const st of ctx.stages) perStage(ctx, st, report);
  },
};

type Report = (f: ReturnType<typeof finding>) => void;

function casing(ctx: DockerfileContext, report: Report) {
  const inStages = ctx.instructions.filter((i) => i.stage >= 0);
  let lower = 0;
  let upper = 0;
  for (const i of inStages) {
    const k = i.keywordRaw;
    if (k === k.toLowerCase()) lower++;
    else if (k === k.toUpperCase()) upper++;
  }
  const majorityLower = lower > upper;
  for (const i of inStages) {
    const k = i.keywordRaw;
    const want = majorityLower ? k.toLowerCase() : k.toUpperCase();
    if (k !== want) {
      report(finding(CONSISTENT_CASING, i.keywordRange,
        `"${k}" should be ${majorityLower ? 'lowercase' : 'uppercase'} like most instructions in this file. Docker accepts any case, but one casing makes the file easier to scan. Write "${want}".`));
    }
  }
}

/**
 * BuildKit's name test, less two kinds of value that are no secret, which BuildKit also reports (a deliberate
 * difference, docs/buildkit-checks.md): a GPG key's fingerprint (`ENV GPG_KEY 7169605F…`, in every official
 * Python image) and a path to where the secret will be mounted (`GOOGLE_APPLICATION_CREDENTIALS=/run/…/key.json`).
 */
function secret(ctx: DockerfileContext, ins: Instruction, key: string, word: Word, report: Report, value?: string | null) {
  if (!SECRET.test(key) || NOT_SECRET.test(key)) return;
  const v = (value ?? '').replace(/^["']|["']$/g, '').trim();
  if (/^([0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})(\s+([0-9A-Fa-f]{16}|[0-9A-Fa-f]{40}))*$/.test(v) || /^\/[^\s$]*$/.test(v)) return;
  const r = ctx.checkRange(ins, { start: word.start, end: word.start + Math.min(word.raw.length, key.length) });
  report(finding(SECRETS_IN_ARG_ENV, r,
    `"${key}" looks like a secret. ${ins.keyword} values are stored in the image (ENV) or its history (ARG), where anyone who can pull the image can read them. Pass secrets with RUN --mount=type=secret,id=${key.toLowerCase()} and "docker build --secret" instead.`));
}

function expose(ctx: DockerfileContext, ins: Instruction, report: Report) {
  for (const w of ins.args) {
    const value = ctx.model.expand(w.raw, ins).value.replace(/^"(.*)"$/, '$1');
    if (value.includes(UNKNOWN)) continue;
    const parts = value.split(':');
    const n = parts.length;
    const container = parts[n - 1];
    const hostPort = n >= 2 ? parts[n - 2] : '';
    const ip = n === 3 ? parts[0] : n > 3 ? parts.slice(0, n - 2).join(':') : '';
    const slash = container.indexOf('/');
    const proto = slash >= 0 ? container.slice(slash + 1) : '';
    const r = ctx.checkRange(ins, w);
    if (proto && proto !== proto.toLowerCase()) {
      report(finding(EXPOSE_PROTO_CASING, r, `The protocol in "${value}" should be lowercase: write ${container.slice(0, slash)}/${proto.toLowerCase()}.`));
    }
    if (ip || hostPort) {
      report(finding(EXPOSE_INVALID_FORMAT, r,
        `EXPOSE only documents the port the container listens on; "${value}" also names ${ip ? 'an IP address' : 'a host port'}, which EXPOSE ignores and a future release will reject. Write EXPOSE ${container}, and map host ports at run time with -p or compose "ports:".`));
    }
  }
}

function perStage(ctx: DockerfileContext, st: Stage, report: Report) {
  const last = new Map<string, Instruction>();
  // SHELL set in this stage or a stage it builds on makes shell-form CMD intentional.
  let shellSet = false;
  let workdirSet = false;
  for (let p = st.parent !== undefined ? ctx.stages[st.parent] : undefined, guard = 0; p && guard < ctx.stages.length; p = p.parent !== undefined ? ctx.stages[p.parent] : undefined, guard++) {
    if (p.instructions.some((i) => i.keyword === 'SHELL')) shellSet = true;
    if (p.instructions.some((i) => i.keyword === 'WORKDIR')) workdirSet = true;
  }
  for (const ins of st.instructions) {
    const k = ins.keyword;
    if (k === 'SHELL') shellSet = true;
    if (k === 'CMD' || k === 'ENTRYPOINT' || k === 'HEALTHCHECK') {
      const prev = last.get(k);
      if (prev) {
        const a = MULTI_ALIAS[k];
        report(finding(MULTIPLE_INSTRUCTIONS, prev.keywordRange,
          `This ${k} has no effect: another ${k} on line ${ins.line + 1} of the same stage replaces it, and only the last one counts. Remove this one or merge the two.`,
          { aliases: ['MultipleInstructionsDisallowed', a.alias], severity: a.severity }));
      }
      last.set(k, ins);
    }
    if ((k === 'CMD' || k === 'ENTRYPOINT') && ins.args.length && !shellSet && !execForm(ins)) {
      const r = ctx.checkRange(ins, { start: ins.args[0].start, end: ins.args[ins.args.length - 1].end });
      report(finding(JSON_ARGS, r,
        `This ${k} uses the shell form, so it runs under /bin/sh -c, which does not pass signals on: "docker stop" waits and then kills the app instead of letting it shut down cleanly. Use the exec form, such as ${k} ${JSON.stringify(ins.args.map((w) => w.raw.replace(/^["']|["']$/g, '')))}.`));
    }
    if (k === 'WORKDIR' && !workdirSet && ins.args.length) {
      workdirSet = true;
      relativeWorkdir(ctx, ins, report);
    } else if (k === 'WORKDIR') workdirSet = true;
  }
}

function relativeWorkdir(ctx: DockerfileContext, ins: Instruction, report: Report) {
  const w = ins.args[0];
  if (!w) return;
  const v = ctx.model.expand(w.raw, ins).value;
  if (!v.includes(UNKNOWN) && v && !isAbsolute(v)) {
    report(finding(WORKDIR_RELATIVE, ctx.checkRange(ins, w),
      `WORKDIR "${v}" is relative, so where it lands depends on the base image's working directory, which can change with any new base image. Use an absolute path such as /app/${v.replace(/^\.\//, '')}.`));
  }
}
