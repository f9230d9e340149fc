/**
 * Syntax and instruction errors from dockerfile-utils' `validate`, mapped to readable Dockwise codes.
 *
 * `validate` re-parses the file and re-scans every instruction's arguments several times, which makes it the
 * slowest part of linting a large file. Most instructions in a real Dockerfile are of shapes it cannot object to
 * (a RUN in shell form, COPY src dest/, ENV K=v, EXPOSE 3000, CMD ["node","app.js"]), so it is given a copy of
 * the file where those instructions are blanked out, line numbers kept, and only the rest is validated.
 * The checks Dockwise makes itself (instruction casing, MAINTAINER, relative WORKDIR, repeated CMD/ENTRYPOINT/
 * HEALTHCHECK, empty continuation lines, duplicate stage names) are switched off in `validate` so nothing is
 * reported twice.
 */
import { validate, ValidationCode, ValidationSeverity, ValidatorSettings } from 'dockerfile-utils';
import { defineRule, finding } from '../../registry';
import type { RuleMeta, Severity } from '../../types';
import type { DockerfileContext, DockerfileRule } from '../context';
import { parseImageRef } from '../imageRef';
import type { Instruction } from '../parse';

const rule = (code: string, severity: Severity, title: string, aliases: string[] = []) =>
  defineRule({ code, kind: 'dockerfile', aliases, severity, title });

export const UNKNOWN_INSTRUCTION = rule('unknown-instruction', 'error', 'Unknown instruction');
export const INSTRUCTION_ARGUMENTS = rule('instruction-arguments', 'error', 'An instruction has too few or too many arguments');
export const INVALID_FLAG = rule('invalid-flag', 'error', 'An unknown flag or a flag with an invalid value');
export const INVALID_SYNTAX = rule('invalid-syntax', 'error', 'Quotes, JSON form or variable syntax is broken');
export const INVALID_DIRECTIVE = rule('invalid-directive', 'error', 'A parser directive is invalid');
export const INVALID_STAGE_NAME = rule('invalid-stage-name', 'error', 'A stage name must start with a letter and use only letters, digits, -, _ and .');
export const INVALID_IMAGE_REFERENCE = rule('invalid-image-reference', 'error', 'The image reference is not valid');
export const COPY_DESTINATION = rule('copy-destination-not-directory', 'error', 'With several sources, the destination must be a directory ending in /', ['DL3021']);
export const INVALID_EXPOSE_PORT = rule('invalid-expose-port', 'error', 'EXPOSE needs a port number and an optional tcp, udp or sctp');
export const INVALID_STOPSIGNAL = rule('invalid-stopsignal', 'error', 'STOPSIGNAL needs a signal name or number');
export const INVALID_ONBUILD = rule('invalid-onbuild', 'error', 'ONBUILD cannot trigger FROM, MAINTAINER or ONBUILD', ['DL3043']);
export const INVALID_HEALTHCHECK = rule('invalid-healthcheck', 'error', 'HEALTHCHECK needs CMD <command> or NONE');
export const NO_FROM = rule('no-from', 'error', 'A Dockerfile needs a FROM instruction');
export const INSTRUCTION_BEFORE_FROM = rule('instruction-before-from', 'error', 'Only ARG may come before the first FROM', ['DL3061']);
export const UNTERMINATED_HEREDOC = rule('unterminated-heredoc', 'error', 'A heredoc is never closed');

const C = ValidationCode;
/** validate's codes → Dockwise rule and what to tell the user beyond validate's own message. */
const MAPPING = new Map<number, { meta: RuleMeta; hint: string }>();
const map = (codes: number[], meta: RuleMeta, hint: string) => codes.forEach((c) => MAPPING.set(c, { meta, hint }));
map([C.UNKNOWN_INSTRUCTION], UNKNOWN_INSTRUCTION, 'Docker stops the build here. Check the spelling; instructions are FROM, RUN, COPY, ADD, ENV, ARG, WORKDIR, USER, EXPOSE, CMD, ENTRYPOINT, HEALTHCHECK, LABEL, VOLUME, SHELL, STOPSIGNAL, ONBUILD.');
map([C.ARGUMENT_MISSING, C.ARGUMENT_EXTRA, C.ARGUMENT_REQUIRES_ONE, C.ARGUMENT_REQUIRES_AT_LEAST_ONE, C.ARGUMENT_REQUIRES_TWO,
  C.ARGUMENT_REQUIRES_AT_LEAST_TWO, C.ARGUMENT_REQUIRES_ONE_OR_THREE, C.ARGUMENT_UNNECESSARY], INSTRUCTION_ARGUMENTS,
'Docker refuses to build until the instruction has the arguments it takes.');
map([C.FLAG_AT_LEAST_ONE, C.FLAG_DUPLICATE, C.FLAG_INVALID_DURATION, C.FLAG_LESS_THAN_1MS, C.FLAG_MISSING_DURATION, C.FLAG_MISSING_VALUE,
  C.FLAG_UNKNOWN_UNIT, C.FLAG_INVALID_FROM_VALUE, C.FLAG_EXPECTED_BOOLEAN_VALUE, C.UNKNOWN_ADD_FLAG, C.UNKNOWN_COPY_FLAG,
  C.UNKNOWN_FROM_FLAG, C.UNKNOWN_HEALTHCHECK_FLAG], INVALID_FLAG, 'Docker rejects the instruction; fix or remove the flag.');
map([C.INVALID_AS, C.INVALID_SYNTAX, C.SYNTAX_MISSING_EQUALS, C.SYNTAX_MISSING_NAMES, C.SYNTAX_MISSING_SINGLE_QUOTE,
  C.SYNTAX_MISSING_DOUBLE_QUOTE, C.UNSUPPORTED_MODIFIER, C.SHELL_JSON_FORM, C.SHELL_REQUIRES_ONE, C.JSON_IN_SINGLE_QUOTES],
INVALID_SYNTAX, 'Fix the quoting or the form of the arguments; JSON arrays need double quotes: ["a", "b"].');
map([C.CASING_DIRECTIVE, C.INVALID_ESCAPE_DIRECTIVE, C.DUPLICATED_ESCAPE_DIRECTIVE], INVALID_DIRECTIVE,
  'Parser directives are written "# name=value" in lowercase at the very top; escape takes \\ or `, once.');
map([C.INVALID_BUILD_STAGE_NAME], INVALID_STAGE_NAME, 'Rename the stage, e.g. "build" or "app-builder".');
map([C.INVALID_REFERENCE_FORMAT], INVALID_IMAGE_REFERENCE, 'Write the image as name[:tag][@sha256:digest], e.g. node:20-alpine.');
map([C.INVALID_DESTINATION], COPY_DESTINATION, 'End the destination with / so Docker copies the sources into that directory.');
map([C.INVALID_PORT, C.INVALID_PROTO], INVALID_EXPOSE_PORT, 'Write ports as 3000, 3000/tcp or 5000-5010/udp.');
map([C.INVALID_SIGNAL], INVALID_STOPSIGNAL, 'Use a name such as SIGTERM or a number such as 15.');
map([C.ONBUILD_CHAINING_DISALLOWED, C.ONBUILD_TRIGGER_DISALLOWED], INVALID_ONBUILD, 'Docker rejects this trigger.');
map([C.UNKNOWN_TYPE, C.HEALTHCHECK_CMD_ARGUMENT_MISSING], INVALID_HEALTHCHECK, 'Write HEALTHCHECK CMD <command> or HEALTHCHECK NONE.');

/** Findings Dockwise's own checks already make (and word better); validate's copy is dropped. */
export const COVERED_BY_DOCKWISE: ReadonlySet<number> = new Set<number>([C.DUPLICATE_BUILD_STAGE_NAME, C.BASE_NAME_EMPTY, C.CASING_INSTRUCTION, C.DEPRECATED_MAINTAINER,
  C.WORKDIR_IS_NOT_ABSOLUTE, C.MULTIPLE_INSTRUCTIONS, C.EMPTY_CONTINUATION_LINE]);

const SETTINGS: ValidatorSettings = {
  deprecatedMaintainer: ValidationSeverity.IGNORE,
  directiveCasing: ValidationSeverity.WARNING,
  emptyContinuationLine: ValidationSeverity.IGNORE,
  instructionCasing: ValidationSeverity.IGNORE,
  instructionCmdMultiple: ValidationSeverity.IGNORE,
  instructionEntrypointMultiple: ValidationSeverity.IGNORE,
  instructionHealthcheckMultiple: ValidationSeverity.IGNORE,
  instructionJSONInSingleQuotes: ValidationSeverity.WARNING,
  instructionWorkdirRelative: ValidationSeverity.IGNORE,
};

const SIMPLE_PAIR = /^[A-Za-z0-9_.\-/:@]+=(?:[^\s'"\\`]*|"[^"\\`]*")$/;
const SIMPLE_ARG = /^[A-Za-z0-9_.\-]+(?:=[^\s'"\\`]*)?$/;
const SIMPLE_PORT = /^\d{1,5}(\/(tcp|udp|sctp))?$/;
const STAGE_NAME = /^[a-z][a-z0-9_\-.]*$/i;
const TAG = /^[\w][\w.-]{0,127}$/;
const DURATION = /^[1-9]\d*(ms|s|m|h)$/;
const HEALTHCHECK_DURATIONS = new Set(['interval', 'timeout', 'start-period', 'start-interval']);

/** Every `${...}` is `${NAME}` or `${NAME:-x}` / `${NAME:+x}` / `${NAME:?x}` with a plain x: no modifier validate rejects. */
function plainBraces(t: string): boolean {
  for (let k = t.indexOf('${'); k >= 0; k = t.indexOf('${', k + 2)) {
    const e = t.indexOf('}', k);
    if (e < 0 || !/^\w+(?::[-+?][^${}\\'"]*)?$/.test(t.slice(k + 2, e))) return false;
  }
  return true;
}

function cleanFrom(ins: Instruction): boolean {
  if (!ins.flags.every((f) => f.name === 'platform' && f.value)) return false;
  if (new Set(ins.flags.map((f) => f.name)).size !== ins.flags.length) return false;
  const a = ins.args;
  if (a.length === 3) {
    if (a[1].raw.toUpperCase() !== 'AS' || !STAGE_NAME.test(a[2].raw)) return false;
  } else if (a.length !== 1) return false;
  const image = a[0].raw;
  if (/['"\\`]/.test(image)) return false;
  if (image.includes('$')) return true;
  if (image.includes('@')) return false;
  const r = parseImageRef(image);
  return r.tag === undefined || TAG.test(r.tag);
}

function cleanHealthcheck(ins: Instruction): boolean {
  const a = ins.args;
  const type = a[0].raw.toUpperCase();
  if (type === 'NONE') return a.length === 1 && !ins.flags.length;
  if (type !== 'CMD' || a.length < 2) return false;
  const names = ins.flags.map((f) => f.name);
  if (new Set(names).size !== names.length) return false;
  return ins.flags.every((f) => f.value !== null && (HEALTHCHECK_DURATIONS.has(f.name) ? DURATION.test(f.value) : f.name === 'retries' && /^[1-9]\d*$/.test(f.value)));
}

function cleanCopy(ins: Instruction): boolean {
  const names = ins.flags.map((f) => f.name);
  if (new Set(names).size !== names.length) return false;
  const okFlag = ins.flags.every((f) => {
    if (f.name === 'link') return f.value === null || /^(true|false)$/i.test(f.value);
    if (ins.keyword === 'COPY' && f.name === 'from') return !!f.value && /^[a-zA-Z0-9]/.test(f.value);
    return (f.name === 'chown' || f.name === 'chmod') && !!f.value;
  });
  if (!okFlag || ins.heredocs.length || /['"]|<</.test(ins.text)) return false;
  const a = ins.args;
  if (a.length === 2) return true;
  const dest = a[a.length - 1].raw;
  return a.length > 2 && !dest.includes('$') && (dest.endsWith('/') || dest.endsWith('\\'));
}

/**
 * True when \`validate\` cannot report anything about this instruction with SETTINGS (read off dockerfile-utils'
 * dockerValidator.js; test/unit/dockerfile/syntax.test.ts checks the claim against the full validate).
 */
export function validateCannotObject(ins: Instruction, escape: string): boolean {
  if (ins.stage < 0 || !ins.args.length) return false;
  const t = ins.text;
  const json = t.trimStart().startsWith('[');
  const shellLike = ins.keyword === 'RUN' || ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT';
  if (!shellLike && !plainBraces(t)) return false;
  switch (ins.keyword) {
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT':
    case 'VOLUME':
      return !(json && t.includes("'"));
    case 'WORKDIR':
    case 'USER':
    case 'MAINTAINER':
      return true;
    case 'FROM':
      return cleanFrom(ins);
    case 'HEALTHCHECK':
      return cleanHealthcheck(ins);
    case 'COPY':
    case 'ADD':
      return !json && cleanCopy(ins);
    case 'ENV':
    case 'LABEL':
      return !t.includes(escape) && ins.args.every((w) => SIMPLE_PAIR.test(w.raw));
    case 'ARG':
      return !t.includes(escape) && ins.args.length === 1 && SIMPLE_ARG.test(ins.args[0].raw);
    case 'EXPOSE':
      return ins.args.every((w) => SIMPLE_PORT.test(w.raw));
    default:
      return false;
  }
}

/**
 * What validate is given: the start of the file up to the first FROM, then only the instructions it could object
 * to, packed together; `lines[k]` is the original line of line k, to map its findings back.
 */
export function textForValidate(ctx: Pick<DockerfileContext, 'parsed'>): { text: string; lines: number[] } {
  const { lines, instructions, escape, comments } = ctx.parsed;
  const firstFrom = instructions.findIndex((i) => i.keyword === 'FROM');
  // A STOPSIGNAL using a variable needs every ARG/ENV to be judged: then validate sees the whole file.
  if (firstFrom < 0 || instructions.some((i) => i.keyword === 'STOPSIGNAL' && i.text.includes('$'))) {
    return { text: lines.join('\n'), lines: lines.map((_, k) => k) };
  }
  const out: string[] = [];
  const map: number[] = [];
  const push = (k: number) => {
    out.push(lines[k]);
    map.push(k);
  };
  const head = instructions[firstFrom].endLine;
  for (let k = 0; k <= head; k++) push(k);
  // validate's own "# dockerfile-utils: ignore" works on the line right above an instruction.
  const ignoreAbove = new Set(comments.filter((c) => c.text === 'dockerfile-utils: ignore' && c.line > head).map((c) => c.line + 1));
  for (let n = firstFrom + 1; n < instructions.length; n++) {
    const ins = instructions[n];
    if (validateCannotObject(ins, escape)) continue;
    if (ignoreAbove.has(ins.line)) push(ins.line - 1);
    for (let k = ins.line; k <= ins.endLine; k++) push(k);
  }
  return { text: out.join('\n'), lines: map };
}

export const syntaxChecks: DockerfileRule = {
  codes: [...new Set([...MAPPING.values()].map((m) => m.meta.code)), NO_FROM.code, INSTRUCTION_BEFORE_FROM.code, UNTERMINATED_HEREDOC.code],
  check(ctx, report) {
    for (const ins of ctx.instructions) {
      for (const h of ins.heredocs) {
        if (h.terminated) continue;
        report(finding(UNTERMINATED_HEREDOC, ins.keywordRange,
          `The heredoc <<${h.name} is never closed: no later line is exactly "${h.name}", so everything to the end of the file became part of this ${ins.keyword}. Add a line with just ${h.name} where the text ends.`));
      }
    }
    const packed = textForValidate(ctx);
    const line = (l: number) => packed.lines[Math.min(l, packed.lines.length - 1)] ?? l;
    for (const d of validate(packed.text, SETTINGS)) {
      const code = typeof d.code === 'number' ? d.code : Number(d.code);
      if (COVERED_BY_DOCKWISE.has(code)) continue;
      const r = { start: { line: line(d.range.start.line), character: d.range.start.character }, end: { line: line(d.range.end.line), character: d.range.end.character } };
      const message = typeof d.message === 'string' ? d.message : d.message.value;
      // An IP or host port in EXPOSE: ExposeInvalidFormat explains it better.
      if (code === C.INVALID_PORT && r.start.line === r.end.line && ctx.parsed.lines[r.start.line]?.slice(r.start.character, r.end.character).includes(':')) continue;
      // validate reads a quoted destination ("baz/") as not ending in /, but Docker removes the quotes first;
      // and `.` (or `..`, `dir/.`) names a directory as surely as a final slash does.
      if (code === C.INVALID_DESTINATION && r.start.line === r.end.line && /[/\\]["']$|(^|[/\\])\.\.?["']?$/.test(ctx.parsed.lines[r.start.line]?.slice(r.start.character, r.end.character) ?? '')) continue;
      const severity: Severity | undefined = d.severity === 2 ? 'warning' : undefined;
      if (code === C.NO_SOURCE_IMAGE) {
        if (!ctx.instructions.some((i) => i.keyword !== 'ARG')) {
          report(finding(NO_FROM, r, 'This Dockerfile has no FROM, so there is nothing to build. Start with FROM <image>, such as FROM node:20-alpine.'));
        } else {
          report(finding(INSTRUCTION_BEFORE_FROM, r, 'This instruction comes before the first FROM. Only ARG (and comments and parser directives) may come before FROM, so Docker refuses to build. Move it below the FROM of the stage it belongs to.'));
        }
        continue;
      }
      const m = MAPPING.get(code);
      if (!m) continue;
      const msg = message.replace(/\.?$/, '.');
      report(finding(m.meta, r, `${msg[0].toUpperCase()}${msg.slice(1)} ${m.hint}`, severity ? { severity } : {}));
    }
  },
};
