/** hadolint's rules about instructions other than RUN: COPY and ADD, EXPOSE, ENV, USER, ONBUILD, registries. */
import type { Range } from '../../../types';
import type { DockerfileRule } from '../../context';
import { execForm, unquote, Word } from '../../parse';
import { UNKNOWN } from '../../variables';
import { basename, isCommand } from '../../shell/command';
import { ShellModel, Stage, Step, stepPairs } from '../../shell/model';
import type { ShellCommand } from '../../shell/script';
import { defineHadolintRule, deferringTo, modelRule } from './util';

interface Operand {
  value: string;
  /** As written (Windows paths keep their backslashes). */
  raw: string;
  range: Range;
}

/** COPY/ADD sources and destination, from the shell form or the JSON form; heredoc sources are skipped. */
function copyOperands(model: ShellModel, step: Step): { sources: Operand[]; target?: Operand } {
  const ins = step.instruction;
  const json = step.args[0]?.raw.startsWith('[') ? execForm({ ...ins, text: ins.text.slice(step.args[0].start) }) : undefined;
  let ops: Operand[];
  if (json) {
    const r = spanRange(model, step, step.args[0], step.args[step.args.length - 1]);
    ops = json.map((value) => ({ value, raw: value, range: r }));
  } else {
    ops = step.args.filter((w) => !/^\d*<<-?/.test(w.raw)).map((w) => ({ value: unquote(w.raw, model.escape), raw: w.raw, range: model.wordRange(ins, w) }));
    if (step.args.some((w) => /^\d*<<-?/.test(w.raw)) && ops.length) return { sources: [], target: ops[ops.length - 1] };
  }
  if (ops.length < 2) return { sources: [], target: ops[0] };
  return { sources: ops.slice(0, -1), target: ops[ops.length - 1] };
}

function spanRange(model: ShellModel, step: Step, from: Word, to: Word = from): Range {
  return { start: model.wordRange(step.instruction, from).start, end: model.wordRange(step.instruction, to).end };
}

const flagValue = (step: Step, name: string) => {
  const f = step.flags.find((fl) => fl.name.toLowerCase() === name);
  return f ? { value: unquote(f.value ?? ''), word: f.word } : undefined;
};

const stripQuotes = (s: string) => s.replace(/^["']+|["']+$/g, '');

const ARCHIVES = ['.tar', '.Z', '.bz2', '.gz', '.lz', '.lzma', '.tZ', '.tb2', '.tbz', '.tbz2', '.tgz', '.tlz', '.tpz', '.txz', '.xz'];
const isArchive = (p: string) => ARCHIVES.some((e) => stripQuotes(p).endsWith(e));
const isUrl = (p: string) => /^https?:\/\//.test(stripQuotes(p));
const fileName = (p: string) => {
  const s = stripQuotes(p);
  return s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
};

// ---- COPY / ADD ---------------------------------------------------------------------------------------------

export const COPY_NOT_ADD = defineHadolintRule({ code: 'copy-instead-of-add', alias: 'DL3020', severity: 'error', title: 'Use COPY instead of ADD for files and folders' });

export const copyInsteadOfAdd = modelRule(COPY_NOT_ADD, (model, emit, ctx) => {
  for (const step of model.steps) {
    if (step.keyword !== 'ADD') continue;
    const { sources } = copyOperands(model, step);
    // A source in a variable is judged by its value; one we cannot know may be a URL or an archive.
    const value = (s: Operand) => (s.raw.includes('$') && !step.onbuild ? ctx.model.expand(s.raw, step.instruction).value : s.value);
    const plain = sources.find((s) => {
      const v = value(s);
      return !v.includes(UNKNOWN) && !isArchive(v) && !isUrl(v) && !/^git@|\.git(#.*)?$/.test(v);
    });
    if (plain) emit(plain.range, `ADD also unpacks archives and downloads URLs, so readers must guess what "${plain.value}" does. Use COPY for plain files and folders.`);
  }
});

export const COPY_DEST_SLASH = defineHadolintRule({ code: 'copy-dest-slash', alias: 'DL3021', severity: 'error', title: 'COPY with several sources needs a destination ending in /' });

export const copyDestSlash = modelRule(COPY_DEST_SLASH, (model, emit) => {
  for (const step of model.steps) {
    if (step.keyword !== 'COPY') continue;
    const { sources, target } = copyOperands(model, step);
    if (sources.length > 1 && target && !/\/$|(^|\/)\.\.?$/.test(stripQuotes(target.value))) {
      emit(target.range, `COPY with ${sources.length} sources copies into a directory, so the destination must end with a slash: ${target.value}/.`);
    }
  }
});

export const COPY_FROM_KNOWN_STAGE = defineHadolintRule({ code: 'copy-from-known-stage', alias: 'DL3022', severity: 'warning', title: 'COPY --from should name an earlier stage' });
export const COPY_FROM_SELF = defineHadolintRule({ code: 'copy-from-own-stage', alias: 'DL3023', severity: 'error', title: 'COPY --from cannot name its own stage' });

export const copyFromKnownStage = modelRule(COPY_FROM_KNOWN_STAGE, (model, emit) => {
  const names = new Set<string>();
  let count = 0;
  for (const step of model.steps) {
    if (step.keyword === 'FROM' && !step.onbuild) {
      count++;
      if (step.stage.name) names.add(step.stage.name);
    }
    if (step.keyword !== 'COPY') continue;
    const from = flagValue(step, 'from');
    if (!from) continue;
    const v = stripQuotes(from.value);
    // An image reference (a tag, a digest, a registry or namespace path) is not meant as a stage.
    if (v.includes(':') || v.includes('@') || v.includes('/') || names.has(v.toLowerCase()) || v.includes('$')) continue;
    if (/^\d+$/.test(v) && Number(v) < count) continue;
    emit(model.wordRange(step.instruction, from.word), `No earlier stage is named "${v}". Name a stage with FROM <image> AS ${v} before this COPY, or give an image with a tag (${v}:<tag>); if "${v}" is a named build context (docker buildx build --build-context ${v}=…), this is fine.`);
  }
});

export const copyFromSelf = modelRule(COPY_FROM_SELF, (model, emit) => {
  for (const step of model.steps) {
    if (step.keyword !== 'COPY' || step.onbuild) continue;
    const from = flagValue(step, 'from');
    if (from && step.stage.name && stripQuotes(from.value).toLowerCase() === step.stage.name) {
      emit(model.wordRange(step.instruction, from.word), `This COPY is in stage "${step.stage.name}" and copies from it: a stage cannot read its own result. Copy from an earlier stage.`);
    }
  }
});

export const COPY_RELATIVE_WITHOUT_WORKDIR = defineHadolintRule({ code: 'copy-relative-needs-workdir', alias: 'DL3045', severity: 'warning', title: 'COPY to a relative destination needs a WORKDIR first' });

export const copyRelativeNeedsWorkdir = modelRule(COPY_RELATIVE_WITHOUT_WORKDIR, (model, emit) => {
  const workdir = new Map<number, boolean>();
  for (const step of model.steps) {
    const st = step.stage;
    if (step.keyword === 'FROM' && !step.onbuild) workdir.set(st.index, st.parent ? workdir.get(st.parent.index) ?? false : false);
    if (step.keyword === 'WORKDIR') workdir.set(st.index, true);
    if (step.keyword !== 'COPY' || workdir.get(st.index)) continue;
    // A stage built FROM scratch works in / and always will: a relative destination is as good as absolute.
    if (!step.onbuild && st.root === 'scratch') continue;
    const { target } = copyOperands(model, step);
    if (!target) continue;
    const dest = stripQuotes(target.value);
    if (!dest || dest.startsWith('/') || /^[A-Za-z]:/.test(dest) || dest.startsWith('$')) continue;
    emit(target.range, `"${dest}" is relative to the working directory, which this stage has not set (it is inherited from the base image and may change). Set WORKDIR first, or use an absolute path.`);
  }
});

export const COPY_WHOLE_FILESYSTEM = defineHadolintRule({ code: 'no-copy-whole-filesystem', alias: 'DL3067', severity: 'warning', title: 'Do not copy the entire file system of another stage' });

/**
 * Not when copying into a stage built FROM scratch (the usual way to flatten or export a build), nor from a
 * stage that is scratch plus chosen files, nor from an image that is not a stage of this file: images made to be
 * copied whole (tonistiigi/xx, tool bundles) are the common case there, and what they hold cannot be seen here.
 */
export const noCopyWholeFilesystem = modelRule(COPY_WHOLE_FILESYSTEM, (model, emit) => {
  const byName = new Map(model.stages.filter((s) => s.name).map((s) => [s.name!, s] as const));
  const rootOf = (s: Stage) => s.root;
  // Stages with a step of their own (one pass: asking per COPY would cost the file's length each time).
  const building = new Set(model.steps.filter((x) => !x.onbuild && x.keyword !== 'FROM').map((x) => x.stage));
  const builds = (s: Stage) => building.has(s);
  for (const step of model.steps) {
    const from = flagValue(step, 'from');
    if (step.keyword !== 'COPY' || !from) continue;
    if (!step.onbuild && step.stage.index >= 0 && rootOf(step.stage) === 'scratch') continue;
    const v = stripQuotes(from.value).toLowerCase();
    const source = /^\d+$/.test(v) ? model.stages[Number(v)] : byName.get(v);
    if (source ? rootOf(source) === 'scratch' || (!builds(source) && !source.parent) : /[:/@.]/.test(v)) continue;
    const { sources, target } = copyOperands(model, step);
    if (target && stripQuotes(target.value) === '/' && sources.some((s) => stripQuotes(s.value) === '/')) {
      emit(target.range, 'COPY --from=<stage> / / copies the whole file system of that stage, package databases and caches included, over this one. Copy only the directories you need.');
    }
  }
});

export const ADD_FOR_ARCHIVES = defineHadolintRule({ code: 'add-to-extract-archives', alias: 'DL3010', severity: 'info', title: 'Use ADD to extract a local archive instead of COPY and tar' });

const UNPACKERS = ['unzip', 'gunzip', 'bunzip2', 'unlzma', 'unxz', 'zgz', 'uncompress', 'zcat', 'gzcat'];

/** `tar -xf`, `tar --extract`, `tar xzf` (old-style bundled first word), or one of the unpackers. */
function isExtract(c: ShellCommand): boolean {
  if (UNPACKERS.includes(basename(c.name))) return true;
  if (!isCommand(c, 'tar')) return false;
  return c.args.some(
    (a, i) =>
      a.value === '--extract' || a.value === '--get' ||
      (a.value.startsWith('-') && !a.value.startsWith('--') && a.value.includes('x')) ||
      (i === 0 && /^[a-zA-Z]+$/.test(a.value) && a.value.includes('x')),
  );
}

export const addToExtractArchives = modelRule(ADD_FOR_ARCHIVES, (model, emit) => {
  let archives: { name: string; range: Range }[] = [];
  const reported = new Set<Range>();
  for (const step of model.steps) {
    if (step.keyword === 'FROM' && !step.onbuild) archives = [];
    if (step.keyword === 'COPY' && !flagValue(step, 'from')) {
      const { sources, target } = copyOperands(model, step);
      if (!target) continue;
      if (isArchive(target.raw)) archives.push({ name: fileName(target.raw), range: target.range });
      else for (const s of sources) if (isArchive(s.raw)) archives.push({ name: fileName(s.raw), range: s.range });
    }
    const run = step.run;
    if (!run?.script || !archives.length) continue;
    for (const cmd of run.commands) {
      if (!isExtract(cmd)) continue;
      const names = new Set(cmd.args.filter((a) => !a.value.startsWith('-')).map((a) => fileName(a.value)));
      for (const a of archives) {
        if (!names.has(a.name) || reported.has(a.range)) continue;
        reported.add(a.range);
        emit(a.range, `"${a.name}" is copied and then unpacked in a RUN, which stores it twice. ADD ${a.name} <dir> unpacks a local archive in one layer.`);
      }
    }
  }
});

// ---- other instructions -------------------------------------------------------------------------------------

export const VALID_PORTS = defineHadolintRule({ code: 'expose-valid-port', alias: 'DL3011', severity: 'error', title: 'Ports range from 0 to 65535' });

export const exposeValidPort = modelRule(VALID_PORTS, (model, emit) => {
  for (const step of model.steps) {
    if (step.keyword !== 'EXPOSE') continue;
    for (const w of step.args) {
      const v = unquote(w.raw, model.escape);
      if (v.includes('$')) continue;
      const nums = v.split('/')[0].split('-').map(Number);
      if (nums.some((n) => Number.isFinite(n) && n > 65535)) emit(model.wordRange(step.instruction, w), `${v} is not a port: ports range from 0 to 65535.`);
    }
  }
});

export const ENV_SELF_REFERENCE = defineHadolintRule({ code: 'env-self-reference', alias: 'DL3044', severity: 'error', title: 'Do not use a variable in the same ENV that defines it' });

const refersTo = (name: string, text: string) => text.includes('${' + name + '}') || new RegExp('\\$' + name.replace(/[^\w]/g, '') + '(?![A-Za-z0-9_])').test(text);

export const envSelfReference = modelRule(ENV_SELF_REFERENCE, (model, emit) => {
  const known = new Set<string>();
  for (const step of model.steps) {
    if (step.keyword === 'ARG') for (const kv of stepPairs(model, step)) known.add(kv.key);
    if (step.keyword !== 'ENV') continue;
    const pairs = stepPairs(model, step);
    for (let i = 0; i < pairs.length; i++) {
      const name = pairs[i].key;
      if (known.has(name) || !/^[A-Za-z_]\w*$/.test(name)) continue;
      const user = pairs.find((p, j) => j !== i && p.value !== null && refersTo(name, p.word.raw.slice(p.word.raw.indexOf('=') + 1)));
      if (user) emit(model.wordRange(step.instruction, user.word), `$${name} is defined in this same ENV, but the values are read before any of them is set, so it expands to the old (probably empty) value. Split it into two ENV instructions.`);
    }
    for (const kv of pairs) known.add(kv.key);
  }
});

export const NUMERIC_USER = defineHadolintRule({ code: 'numeric-user-id', alias: 'DL3066', severity: 'info', title: 'A non-numeric USER may not resolve on the host or in Kubernetes' });

/** Not on Windows images: Windows users (ContainerUser) have no numeric id. */
export const numericUserId = modelRule(NUMERIC_USER, (model, emit) => {
  for (const step of model.steps) {
    if (step.keyword !== 'USER' || !step.args[0]) continue;
    if (step.stage.dialect === 'cmd' || step.stage.dialect === 'powershell') continue;
    // Only the user of a stage whose layers ship runs a container (imageRole.ts).
    if (!step.onbuild && !step.stage.ships) continue;
    const user = unquote(step.args[0].raw, model.escape);
    const uid = user.split(':')[0];
    // root is uid 0 everywhere; no-root-user speaks about it. A variable may hold a number (an ARG, or ENV from
    // the base image such as NB_UID): not provably a name.
    if (/^\d*$/.test(uid) || uid === 'root' || uid.includes('$')) continue;
    emit(model.wordRange(step.instruction, step.args[0]), `USER ${uid} is a name, which only resolves inside this image: Kubernetes' runAsNonRoot and file ownership on mounts need the numeric id. Use USER <uid>:<gid>.`);
  }
});

export const ONBUILD_TRIGGER = defineHadolintRule({ code: 'onbuild-invalid-trigger', alias: 'DL3043', severity: 'error', title: 'ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER' });

export const onbuildInvalidTrigger = modelRule(ONBUILD_TRIGGER, (model, emit) => {
  for (const step of model.steps) {
    if (!step.onbuild || !['ONBUILD', 'FROM', 'MAINTAINER'].includes(step.keyword)) continue;
    const ins = step.instruction;
    const w = ins.args[0];
    emit(w ? model.wordRange(ins, w) : ins.keywordRange, `ONBUILD ${step.keyword} is not allowed: an image built on this one cannot start a new stage, chain another ONBUILD or set a maintainer from a trigger.`);
  }
});

export const NO_IGNORE_PRAGMA = defineHadolintRule({ code: 'no-inline-ignore', alias: 'DL1001', severity: 'hint', title: 'Avoid inline ignore comments (off by default)', offByDefault: true });

export const noInlineIgnore: DockerfileRule = {
  codes: [NO_IGNORE_PRAGMA.code],
  check(ctx, report) {
    for (const c of ctx.parsed.comments) {
      if (!/^hadolint\s+ignore\s*=/i.test(c.text)) continue;
      report({
        code: NO_IGNORE_PRAGMA.code,
        severity: NO_IGNORE_PRAGMA.severity,
        message: 'This project asks for findings to be ignored in configuration (.hadolint.yaml), not inline.',
        range: { start: { line: c.line, character: c.start }, end: { line: c.line, character: c.end } },
        aliases: [...NO_IGNORE_PRAGMA.aliases],
      });
    }
  },
};

// ---- trusted registries -------------------------------------------------------------------------------------

export const TRUSTED_REGISTRY = defineHadolintRule({ code: 'trusted-registry', alias: 'DL3026', severity: 'error', title: 'Use images from trusted registries only (when trustedRegistries is set)' });

/** The registry of an image reference, or undefined for Docker Hub's short names. */
export function registryOf(image: string): string | undefined {
  const slash = image.indexOf('/');
  if (slash < 0) return undefined;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}

function registryAllowed(allowed: readonly string[], registry: string): boolean {
  return allowed.some((a) => a === '*' || (a.startsWith('*') ? registry.endsWith(a.slice(1)) : a.endsWith('*') ? registry.startsWith(a.slice(0, -1)) : registry === a));
}

export const trustedRegistry = modelRule(TRUSTED_REGISTRY, (model, emit, ctx) => {
  const allowed = ctx.config.trustedRegistries;
  if (!allowed?.length) return;
  const stages = new Set<string>();
  const check = (image: string, range: Range) => {
    const img = stripQuotes(image);
    if (!img || img.includes('$') || stages.has(img.toLowerCase())) return;
    const registry = registryOf(img);
    const ok = registry ? registryAllowed(allowed, registry) : img === 'scratch' || registryAllowed(allowed, 'docker.io') || registryAllowed(allowed, 'hub.docker.com');
    if (!ok) emit(range, `"${img}" comes from ${registry ?? 'Docker Hub'}, which is not in trustedRegistries (${allowed.join(', ')}). Use an image from a trusted registry.`);
  };
  for (const step of model.steps) {
    const ins = step.instruction;
    if (step.keyword === 'FROM' && !step.onbuild) {
      const w = step.args[0];
      if (w) check(unquote(w.raw, model.escape), model.wordRange(ins, w));
      if (step.stage.name) stages.add(step.stage.name);
    }
    if (step.keyword === 'COPY') {
      const from = flagValue(step, 'from');
      if (from && !/^\d+$/.test(from.value)) check(from.value, model.wordRange(ins, from.word));
    }
    if (step.run) {
      for (const m of step.run.mounts) {
        if ((m.type === 'cache' || m.type === 'bind') && m.options.from) check(m.options.from, model.wordRange(ins, m.word));
      }
    }
  }
});

export const INSTRUCTION_RULES: DockerfileRule[] = [
  copyInsteadOfAdd, deferringTo('copy-destination-not-directory', COPY_DEST_SLASH, copyDestSlash), copyFromKnownStage, copyFromSelf, copyRelativeNeedsWorkdir, noCopyWholeFilesystem,
  addToExtractArchives, exposeValidPort, envSelfReference, numericUserId, deferringTo('invalid-onbuild', ONBUILD_TRIGGER, onbuildInvalidTrigger), noInlineIgnore,
  trustedRegistry,
];
