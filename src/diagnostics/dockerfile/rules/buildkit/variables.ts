/** BuildKit's UndefinedVar and InvalidDefinitionDescription. */
import { finding } from '../../../registry';
import type { DockerfileContext, DockerfileRule } from '../../context';
import { argDecls, keyValues, Stage } from '../../model';
import type { Range } from '../../../types';
import type { Instruction, Word } from '../../parse';
import { checkComment, parseIgnoreComment } from '../../../suppressions';
import { expand, lookup, namesIn } from '../../variables';
import { buildkitRule, suggest } from './meta';
import { DEFINITION_DESCRIPTION } from './instructions';

export const UNDEFINED_VAR = buildkitRule('UndefinedVar', 'warning', 'Variables should be declared before they are used');

/** Official OS images, whose environment is PATH alone. */
const BARE_OS_IMAGE = /^(docker\.io\/)?(library\/)?(alpine|debian|ubuntu|busybox)(:[\w.-]+)?(@sha256:[0-9a-f]+)?$/i;

/** Build arguments BuildKit reads itself and never reports (dockerfile2llb's nonEnvArgs). */
const NON_ENV_ARGS = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);

/** The words BuildKit expands in an instruction (RUN, CMD, ENTRYPOINT bodies are left to the shell). */
/** `key`: the ENV, LABEL or ARG pair the word is the value of. */
function expandedWords(ctx: DockerfileContext, ins: Instruction): { word: Word; text: string; offset: number; key?: string }[] {
  const out: { word: Word; text: string; offset: number; key?: string }[] = [];
  const whole = (w: Word, key?: string) => out.push({ word: w, text: w.raw, offset: 0, key });
  switch (ins.keyword) {
    case 'ENV':
    case 'LABEL':
      for (const kv of keyValues(ins, ctx.escape)) {
        if (kv.legacy) {
          for (const w of ins.args.slice(1)) whole(w, kv.key);
        } else {
          const eq = kv.word.raw.indexOf('=');
          out.push({ word: kv.word, text: kv.word.raw.slice(eq + 1), offset: eq + 1, key: kv.key });
        }
      }
      break;
    case 'ARG':
      for (const a of argDecls(ins, ctx.escape)) {
        const eq = a.word.raw.indexOf('=');
        if (eq >= 0) out.push({ word: a.word, text: a.word.raw.slice(eq + 1), offset: eq + 1, key: a.key });
      }
      break;
    case 'COPY':
    case 'ADD':
      if (ins.heredocs.length) break;
      for (const f of ins.flags) {
        const n = f.name.toLowerCase();
        if ((n === 'chown' || n === 'chmod' || n === 'checksum') && f.value !== null) out.push({ word: f.word, text: f.value, offset: f.word.raw.length - f.value.length });
      }
      if (!ins.text.trim().startsWith('[')) ins.args.forEach((w) => whole(w));
      break;
    case 'WORKDIR':
    case 'USER':
    case 'VOLUME':
    case 'STOPSIGNAL':
    case 'EXPOSE':
      if (!ins.text.trim().startsWith('[')) ins.args.forEach((w) => whole(w));
      break;
    case 'RUN':
      for (const f of ins.flags) if (f.name.toLowerCase() === 'mount' && f.value !== null) out.push({ word: f.word, text: f.value, offset: f.word.raw.length - f.value.length });
      break;
  }
  return out;
}

export const variableChecks: DockerfileRule = {
  codes: [UNDEFINED_VAR.code, DEFINITION_DESCRIPTION.code],
  check(ctx, report) {
    for (const ins of ctx.instructions) {
      if (ins.stage < 0 || ins.keyword === 'FROM' || !ins.text.includes('$')) continue;
      const scope = ctx.model.scopeOf(ins);
      const stage = ctx.stages[ins.stage];
      for (const { word, text, offset, key } of expandedWords(ctx, ins)) {
        const ex = expand(text, scope, ctx.escape);
        for (const u of ex.uses) {
          if (lookup(scope, u.name) || NON_ENV_ARGS.has(u.name) || !u.valid) continue;
          const range = ctx.checkRange(ins, { start: word.start + offset + u.start, end: word.start + offset + u.end });
          report(undefinedVar(ctx, ins, stage, u.name, u.hasDefault, range, namesIn(scope).filter((n) => lookup(scope, n)?.kind !== 'builtin' || n === 'PATH'), key));
        }
      }
    }
    if (!definitionDescriptionOn(ctx)) return;
    for (const ins of ctx.instructions) {
      if (ins.keyword !== 'ARG' && ins.keyword !== 'FROM') continue;
      const keys = ins.keyword === 'ARG' ? argDecls(ins, ctx.escape).map((a) => a.key) : ctx.stages[ins.stage]?.name !== undefined ? [ctx.stages[ins.stage].nameWord!.raw] : [];
      const comments = ins.comments.filter((c) => !parseIgnoreComment('#' + c.text) && checkComment(c.text) === undefined);
      if (!keys.length || !comments.length) continue;
      const last = comments[comments.length - 1];
      if (keys.includes(last.text.split(' ')[0])) continue;
      const example = keys.length > 1 ? '<arg_key>' : keys[0];
      // Reported on the instruction, as BuildKit does; the message points at the comment.
      report(finding(DEFINITION_DESCRIPTION, { start: ins.keywordRange.start, end: { line: ins.line, character: ctx.parsed.lines[ins.line].length } },
        `"docker build --call=outline" shows the comment right above a ${ins.keyword === 'FROM' ? 'stage' : 'build argument'} as its description, and expects it to start with the name: "# ${example} <description>". Start the comment on line ${last.line + 1} with the name, or put an empty line between it and the ${ins.keyword}.`));
    }
  },
};

/**
 * A variable no ARG or ENV in scope declares. In a stage whose root is `scratch` (or an OS image, whose
 * environment is PATH alone) it is certainly empty. In a stage built on another image it may come from that
 * image's ENV, which the file cannot show: then the finding says "may be" as a hint, unless the file itself
 * shows the variable was meant to be declared (a typo of a declared name, a global ARG not declared again, an
 * ARG or ENV that comes later or in the same ENV, or in another stage); the editor settles the rest with what the
 * local daemon knows about the image (imageFacts.ts: dropped when the image sets it, a warning when it does not).
 */
function undefinedVar(ctx: DockerfileContext, ins: Instruction, stage: Stage, name: string, hasDefault: boolean, range: Range, declared: string[], key?: string) {
  const s = suggest(name, declared);
  const image = stage.root === 'scratch' ? undefined : stage.root;
  // scratch sets nothing; the official OS images set PATH only.
  const fromImage = stage.root !== 'scratch' && !(stage.root && BARE_OS_IMAGE.test(stage.root));
  const hint = s ? ` (did you mean $${s}?)` : '';
  const effect = hasDefault ? 'the default in the expansion always applies' : 'it expands to an empty string';
  const evidence = s && oneTypoApart(name, s) ? `it is one typo away from $${s}` : meantToBeDeclared(ctx, ins, stage, name, key);
  if (!fromImage || evidence) {
    return finding(UNDEFINED_VAR, range,
      `"$${name}" is not declared with ARG or ENV before this line${hint}, so ${effect}${fromImage ? ` unless ${image ?? 'the base image'} sets it` : ''}${evidence && !(s && evidence.startsWith('it is one typo')) ? ` (${evidence})` : ''}. Declare it first (ARG ${name}=<default> or ENV ${name}=<value>).`,
      { data: { variable: name, ...(image ? { baseImage: image } : {}) } });
  }
  return finding(UNDEFINED_VAR, range,
    `"$${name}" may be empty: no ARG or ENV before this line declares it, so its value can only come from the environment of ${image ?? 'the base image'}, which this file does not show. If the image does not set it, ${effect}: declare it first (ARG ${name}=<default> or ENV ${name}=<value>).`,
    { severity: 'hint', data: { variable: name, maybe: true, ...(image ? { baseImage: image } : {}) } });
}

/**
 * What in the file shows a variable was meant to be declared where it is used, if anything. `ENV X=$X:…` (the
 * value it had, extended) shows nothing: X may well come from the base image.
 */
function meantToBeDeclared(ctx: DockerfileContext, ins: Instruction, stage: Stage, name: string, key?: string): string | undefined {
  const declares = (i: Instruction) =>
    i.keyword === 'ARG' ? argDecls(i, ctx.escape).some((a) => a.key === name) : i.keyword === 'ENV' && keyValues(i, ctx.escape).some((kv) => kv.key === name);
  if (ins.keyword === 'ENV' && key !== name && declares(ins)) return 'it is set in this same ENV, which reads every value before it sets any: split the ENV in two';
  if (ins.keyword === 'ARG' && key === name) return `"ARG ${name}=\${${name}}" reads ${name} before any ARG declares it: without --build-arg ${name} it is empty, as with "ARG ${name}" alone`;
  if (ctx.model.globalArgs.some((a) => a.key === name)) return `the ARG ${name} before the first FROM is only seen inside a stage that declares it again with "ARG ${name}"`;
  const later = stage.instructions.find((i) => i.line > ins.line && declares(i));
  if (later) return `it is declared on line ${later.line + 1}, after this use`;
  const other = ctx.stages.find((st) => st !== stage && st.instructions.some(declares));
  if (other) return `it is declared in ${other.name ? `stage "${other.name}"` : `the stage on line ${other.from.line + 1}`}, which this stage is not built on`;
  return undefined;
}

/** Experimental in BuildKit: on with `# check=experimental=…` or when configured. */
function definitionDescriptionOn(ctx: DockerfileContext): boolean {
  const sev = Object.entries(ctx.config.rules).find(([k]) => [DEFINITION_DESCRIPTION.code, ...DEFINITION_DESCRIPTION.aliases].some((n) => n.toLowerCase() === k.toLowerCase()))?.[1];
  if (sev) return sev !== 'off';
  const dir = ctx.parsed.directives.find((d) => d.name === 'check');
  return !!dir && /experimental\s*=\s*[^;]*\b(all|InvalidDefinitionDescription)\b/i.test(dir.value);
}

/** One edit apart, a swap of neighbours counting as one (`$PAHT` for PATH, `$APP_DIRR` for APP_DIR). */
function oneTypoApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff: number[] = [];
    for (let k = 0; k < a.length && diff.length < 3; k++) if (a[k] !== b[k]) diff.push(k);
    return diff.length === 1 || (diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]]);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  for (let k = 0; k < long.length; k++) if (long.slice(0, k) + long.slice(k + 1) === short) return true;
  return false;
}
