/** BuildKit's UndefinedVar and InvalidDefinitionDescription. */
import { finding } from '../../../registry';
import type { DockerfileContext, DockerfileRule } from '../../context';
import { argDecls, keyValues, Stage } from '../../model';
import type { Instruction, Word } from '../../parse';
import { checkComment, parseIgnoreComment } from '../../../suppressions';
import { expand, lookup, namesIn } from '../../variables';
import { buildkitRule, suggest } from './meta';
import { DEFINITION_DESCRIPTION } from './instructions';

export const UNDEFINED_VAR = buildkitRule('UndefinedVar', 'warning', 'Variables should be declared before they are used');

/**
 * Variables base images commonly set. BuildKit reads the base image's ENV from the registry; without it, these
 * are assumed to come from the image rather than reported.
 */
const IMAGE_ENV = new Set(['PATH', 'HOME', 'HOSTNAME', 'TERM', 'LANG', 'LANGUAGE', 'LC_ALL', 'USER', 'SHELL', 'PWD', 'GOPATH', 'GOROOT', 'GEM_HOME', 'BUNDLE_APP_CONFIG', 'PHP_INI_DIR', 'PGDATA', 'PG_MAJOR', 'CARGO_HOME', 'RUSTUP_HOME', 'CATALINA_HOME', 'MAVEN_HOME', 'GRADLE_HOME', 'JAVA_HOME', 'PYTHONPATH', 'NVM_DIR', 'APP_ROOT', 'VIRTUAL_ENV', 'DOTNET_ROOT', 'ASPNETCORE_URLS', 'GPG_KEY', 'SSL_CERT_FILE']);
const looksLikeImageEnv = (name: string) => IMAGE_ENV.has(name) || /_(VERSION|HOME|DIR|SHA256|DOWNLOAD_URL)$/.test(name);

/** The words BuildKit expands in an instruction (RUN, CMD, ENTRYPOINT bodies are left to the shell). */
function expandedWords(ctx: DockerfileContext, ins: Instruction): { word: Word; text: string; offset: number }[] {
  const out: { word: Word; text: string; offset: number }[] = [];
  const whole = (w: Word) => out.push({ word: w, text: w.raw, offset: 0 });
  switch (ins.keyword) {
    case 'ENV':
    case 'LABEL':
      for (const kv of keyValues(ins, ctx.escape)) {
        if (kv.legacy) {
          for (const w of ins.args.slice(1)) whole(w);
        } else {
          const eq = kv.word.raw.indexOf('=');
          out.push({ word: kv.word, text: kv.word.raw.slice(eq + 1), offset: eq + 1 });
        }
      }
      break;
    case 'ARG':
      for (const a of argDecls(ins, ctx.escape)) {
        const eq = a.word.raw.indexOf('=');
        if (eq >= 0) out.push({ word: a.word, text: a.word.raw.slice(eq + 1), offset: eq + 1 });
      }
      break;
    case 'COPY':
    case 'ADD':
      if (ins.heredocs.length) break;
      for (const f of ins.flags) {
        const n = f.name.toLowerCase();
        if ((n === 'chown' || n === 'chmod' || n === 'checksum') && f.value !== null) out.push({ word: f.word, text: f.value, offset: f.word.raw.length - f.value.length });
      }
      if (!ins.text.trim().startsWith('[')) ins.args.forEach(whole);
      break;
    case 'WORKDIR':
    case 'USER':
    case 'VOLUME':
    case 'STOPSIGNAL':
    case 'EXPOSE':
      if (!ins.text.trim().startsWith('[')) ins.args.forEach(whole);
      break;
    case 'RUN':
      for (const f of ins.flags) if (f.name.toLowerCase() === 'mount' && f.value !== null) out.push({ word: f.word, text: f.value, offset: f.word.raw.length - f.value.length });
      break;
  }
  return out;
}

function baseIsImage(ctx: DockerfileContext, st: Stage): boolean {
  let s: Stage | undefined = st;
  for (let guard = 0; s && guard <= ctx.stages.length; guard++) {
    if (s.parent === undefined) return (s.imageWord?.raw.toLowerCase() ?? 'scratch') !== 'scratch';
    s = ctx.stages[s.parent];
  }
  return true;
}

export const variableChecks: DockerfileRule = {
  codes: [UNDEFINED_VAR.code, DEFINITION_DESCRIPTION.code],
  check(ctx, report) {
    const fromImage = ctx.stages.map((st) => baseIsImage(ctx, st));
    for (const ins of ctx.instructions) {
      if (ins.stage < 0 || ins.keyword === 'FROM' || !ins.text.includes('$')) continue;
      const scope = ctx.model.scopeOf(ins);
      for (const { word, text, offset } of expandedWords(ctx, ins)) {
        const ex = expand(text, scope, ctx.escape);
        for (const u of ex.uses) {
          if (u.hasDefault || lookup(scope, u.name)) continue;
          if (fromImage[ins.stage] && looksLikeImageEnv(u.name)) continue;
          const s = suggest(u.name, namesIn(scope).filter((n) => lookup(scope, n)?.kind !== 'builtin'));
          report(finding(UNDEFINED_VAR, ctx.rangeOf(ins, { start: word.start + offset + u.start, end: word.start + offset + u.end }),
            `"$${u.name}" is not declared with ARG or ENV before this line${s ? ` (did you mean $${s}?)` : ''}, so it expands to an empty string${fromImage[ins.stage] ? ' unless the base image sets it' : ''}. Declare it first (ARG ${u.name}=<default> or ENV ${u.name}=<value>)${ins.stage > 0 || ctx.model.globalArgs.some((a) => a.key === u.name) ? '; a global ARG must be declared again inside the stage with "ARG ' + u.name + '"' : ''}.`));
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
      report(finding(DEFINITION_DESCRIPTION, { start: { line: last.line, character: last.start }, end: { line: last.line, character: last.end } },
        `"docker build --call=outline" shows the comment right above a ${ins.keyword === 'FROM' ? 'stage' : 'build argument'} as its description, and expects it to start with the name: "# ${example} <description>". Start the comment with the name, or put an empty line between it and the ${ins.keyword}.`));
    }
  },
};

/** Experimental in BuildKit: on with `# check=experimental=…` or when configured. */
function definitionDescriptionOn(ctx: DockerfileContext): boolean {
  const sev = Object.entries(ctx.config.rules).find(([k]) => [DEFINITION_DESCRIPTION.code, ...DEFINITION_DESCRIPTION.aliases].some((n) => n.toLowerCase() === k.toLowerCase()))?.[1];
  if (sev) return sev !== 'off';
  const dir = ctx.parsed.directives.find((d) => d.name === 'check');
  return !!dir && /experimental\s*=\s*[^;]*\b(all|InvalidDefinitionDescription)\b/i.test(dir.value);
}
