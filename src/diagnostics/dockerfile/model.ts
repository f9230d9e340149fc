/**
 * The stage model rules share: stages with their names, parent stage and root image, ARGs before the first FROM,
 * and the variables in scope at every instruction as BuildKit sees them (ARG and ENV of the stage and of the
 * stages it is built FROM, PATH, the proxy ARGs; the platform ARGs before the first FROM). Built once per lint.
 */
import { Flag, Instruction, ParsedDockerfile, unquote, Word } from './parse';
import { declare, expand, Expansion, Scope, UNKNOWN } from './variables';

export interface KeyValue {
  key: string;
  /** Unquoted; null for `ARG NAME` with no default. */
  value: string | null;
  /** As written (quotes and variables kept), for expansion; null for `ARG NAME` with no default. */
  rawValue: string | null;
  /** The word (or, for the legacy `ENV key value` form, the key's word). */
  word: Word;
  /** BuildKit's LegacyKeyValueFormat: written `KEY value` without `=`. */
  legacy: boolean;
}

export interface Stage {
  index: number;
  from: Instruction;
  /** The image word as written (`node:${V}-alpine`), undefined for a FROM with no argument. */
  imageWord?: Word;
  /**
   * The image word expanded with the global ARGs' defaults and quotes removed, as BuildKit reads it (`node:20`,
   * `builder`); UNKNOWN marks what a build argument without a default hides. Undefined for a FROM with no argument.
   */
  image?: string;
  /** Lower-cased stage name after AS, and its word. */
  name?: string;
  nameWord?: Word;
  asWord?: Word;
  platform?: Flag;
  /** Index of the earlier stage this one is built FROM, if it names one (case-insensitively). */
  parent?: number;
  /**
   * The image at the root of the chain of stages this one is built FROM: `scratch`, an image reference, or
   * undefined when a variable hides it. Variables this file does not declare may come from that image's ENV.
   */
  root?: string;
  instructions: Instruction[];
  /** ARG and ENV in scope at the end of the stage: what a stage built FROM this one starts with. */
  scopeOut: Scope | undefined;
}

/** Predefined in the global scope (usable in FROM without declaring them). */
export const PLATFORM_ARGS = [
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
];
/** Usable anywhere without an ARG. */
export const PROXY_ARGS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

export interface DockerfileModel {
  stages: Stage[];
  /** ARGs declared before the first FROM (the only variables FROM can use). */
  globalArgs: KeyValue[];
  /** Instructions before the first FROM. */
  preamble: Instruction[];
  /** Variables in scope before each instruction runs. */
  scopeOf(ins: Instruction): Scope | undefined;
  /** The scope FROM lines are expanded in (global ARGs and the predefined platform ARGs). */
  globalScope: Scope | undefined;
  finalStage?: Stage;
  /** The stage a name refers to (case-insensitive), among stages before `before`. */
  stageByName(name: string, before?: number): Stage | undefined;
  expand(word: string, ins: Instruction): Expansion;
}

/** ENV/LABEL pairs: `K=V K2=V2`, or the legacy `K V…` form. */
export function keyValues(ins: Instruction, escape: string): KeyValue[] {
  const args = ins.args;
  if (!args.length) return [];
  if (!args[0].raw.includes('=')) {
    if (args.length === 1) return [{ key: unquote(args[0].raw, escape), value: null, rawValue: null, word: args[0], legacy: false }];
    const value = args.length > 1 ? ins.text.slice(args[1].start, args[args.length - 1].end) : '';
    return [{ key: unquote(args[0].raw, escape), value: unquote(value, escape), rawValue: value, word: args[0], legacy: true }];
  }
  return args.map((w) => {
    const eq = w.raw.indexOf('=');
    return eq < 0
      ? { key: unquote(w.raw, escape), value: '', rawValue: '', word: w, legacy: false }
      : { key: unquote(w.raw.slice(0, eq), escape), value: unquote(w.raw.slice(eq + 1), escape), rawValue: w.raw.slice(eq + 1), word: w, legacy: false };
  });
}

/** ARG words: `NAME` or `NAME=default`. */
export function argDecls(ins: Instruction, escape: string): KeyValue[] {
  return ins.args.map((w) => {
    const eq = w.raw.indexOf('=');
    return eq < 0
      ? { key: w.raw, value: null, rawValue: null, word: w, legacy: false }
      : { key: w.raw.slice(0, eq), value: unquote(w.raw.slice(eq + 1), escape), rawValue: w.raw.slice(eq + 1), word: w, legacy: false };
  });
}

/** BuildKit's PATH for an image that sets none (`scratch`): system.DefaultPathEnv for Linux. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function buildModel(parsed: ParsedDockerfile): DockerfileModel {
  const escape = parsed.escape;
  const stages: Stage[] = [];
  const preamble: Instruction[] = [];
  const globalArgs: KeyValue[] = [];
  const scopes = new Map<Instruction, Scope | undefined>();
  const byName = new Map<string, Stage[]>();

  let globalScope: Scope | undefined;
  for (const a of PLATFORM_ARGS) globalScope = declare(globalScope, a, null, 'builtin');
  for (const a of PROXY_ARGS) globalScope = declare(globalScope, a, null, 'builtin');

  let scope: Scope | undefined = globalScope;
  let current: Stage | undefined;

  for (const ins of parsed.instructions) {
    if (ins.keyword === 'FROM') {
      if (current) current.scopeOut = scope;
      scopes.set(ins, globalScope);
      const st = fromStage(ins, stages.length);
      if (st.imageWord) {
        st.image = expand(st.imageWord.raw, globalScope, escape).value;
        const parent = byName.get(st.image.toLowerCase())?.[0];
        if (parent) st.parent = parent.index;
      }
      const parent = st.parent !== undefined ? stages[st.parent] : undefined;
      st.root = parent ? parent.root : st.image === undefined || st.image.includes(UNKNOWN) ? undefined : st.image.toLowerCase() === 'scratch' ? 'scratch' : st.image;
      stages.push(st);
      if (st.name) {
        const list = byName.get(st.name);
        if (list) list.push(st);
        else byName.set(st.name, [st]);
      }
      current = st;
      if (parent) {
        // A stage built FROM another starts with its ARGs and ENV (BuildKit copies both).
        scope = parent.scopeOut;
      } else {
        // PATH is always set: from the image's ENV, or BuildKit's default when the image (scratch) sets none.
        scope = undefined;
        for (const a of PROXY_ARGS) scope = declare(scope, a, null, 'builtin');
        scope = declare(scope, 'PATH', st.root === 'scratch' ? DEFAULT_PATH : null, 'builtin');
      }
      continue;
    }
    scopes.set(ins, scope);
    if (!current) {
      preamble.push(ins);
      if (ins.keyword === 'ARG') {
        for (const kv of argDecls(ins, escape)) {
          const value = kv.rawValue === null ? null : expand(kv.rawValue, globalScope, escape);
          globalArgs.push(kv);
          globalScope = declare(globalScope, kv.key, value && !value.unknown ? value.value : null, 'arg');
        }
        scope = globalScope;
      }
      continue;
    }
    current.instructions.push(ins);
    if (ins.keyword === 'ARG') {
      for (const kv of argDecls(ins, escape)) {
        let value: string | null;
        if (kv.rawValue === null) {
          // `ARG NAME` in a stage brings the global ARG's default into the stage.
          const g = globalArgs.filter((a) => a.key === kv.key).pop();
          value = g ? resolved(g.rawValue, globalScope, escape) : null;
        } else value = resolved(kv.rawValue, scope, escape);
        scope = declare(scope, kv.key, value, 'arg');
      }
    } else if (ins.keyword === 'ENV') {
      for (const kv of keyValues(ins, escape)) {
        scope = declare(scope, kv.key, resolved(kv.rawValue, scope, escape), 'env');
      }
    }
  }
  if (current) current.scopeOut = scope;

  return {
    stages,
    globalArgs,
    preamble,
    globalScope,
    finalStage: stages[stages.length - 1],
    scopeOf: (ins) => scopes.get(ins),
    stageByName(name, before = stages.length) {
      const list = byName.get(name.toLowerCase());
      return list?.find((s) => s.index < before);
    },
    expand: (word, ins) => expand(word, scopes.get(ins), escape),
  };
}

function resolved(value: string | null, scope: Scope | undefined, escape: string): string | null {
  if (value === null) return null;
  const e = expand(value, scope, escape);
  return e.unknown ? null : e.value;
}

function fromStage(ins: Instruction, index: number): Stage {
  const st: Stage = { index, from: ins, instructions: [], scopeOut: undefined };
  st.platform = ins.flags.find((f) => f.name.toLowerCase() === 'platform');
  const [image, as, name] = ins.args;
  st.imageWord = image;
  if (as && name && as.raw.toLowerCase() === 'as') {
    st.asWord = as;
    st.nameWord = name;
    st.name = name.raw.toLowerCase();
  }
  return st;
}
