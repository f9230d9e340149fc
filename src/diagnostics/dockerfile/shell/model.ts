/**
 * The Dockerfile as the package and shell rules see it: instructions in order with their stage (ONBUILD triggers
 * included, as hadolint checks them too), and every RUN body as a parsed shell script whose offsets map back to
 * exact Dockerfile positions. Built once per lint and shared by the rules.
 */
import { lastAtOrBefore } from '../../sortedSearch';
import type { DockerfileContext } from '../context';
import { argDecls, KeyValue, keyValues } from '../model';
import { execForm, Instruction, positionAt, unquote, Word } from '../parse';
import type { Position, Range } from '../../types';
import { analyseScript, ShellCommand, ShellScript } from './script';
import { dialectOf, isPosixLike, ShellDialect, shellPragma } from './dialect';
import { isShellParserReady } from './parser';
import { imageRoles, isWindowsImage } from '../imageRole';
import { UNKNOWN } from '../variables';

export interface Stage {
  index: number;
  /** The FROM instruction; undefined for instructions before any FROM. */
  from?: Instruction;
  /** The image as written, unquoted (`node:20`, `builder`). */
  image: string;
  /** Lower-cased `AS` name. */
  name?: string;
  /** The earlier stage this one is built on (`FROM builder`, `FROM base-${V}` with V's default). */
  parent?: Stage;
  dialect: ShellDialect;
  /** Its layers are in the image the file builds (imageRole.ts); true before the first FROM. */
  ships: boolean;
  /** The image at the root of its FROM chain, lower-cased (`scratch`, `alpine:3.20`); undefined when hidden by a variable. */
  root?: string;
}

export interface Step {
  /** The instruction; for ONBUILD triggers, the ONBUILD instruction that holds it. */
  instruction: Instruction;
  /** Upper-cased keyword; for ONBUILD triggers, the trigger's keyword. */
  keyword: string;
  onbuild: boolean;
  /** The words after the keyword (after the trigger keyword for ONBUILD), flags excluded. */
  args: Word[];
  flags: { name: string; value: string | null; word: Word }[];
  stage: Stage;
  /** For RUN steps, the parsed body. */
  run?: RunBody;
}

export interface Mount {
  type: string;
  target?: string;
  options: Record<string, string>;
  word: Word;
}

export interface RunBody {
  step: Step;
  form: 'shell' | 'exec' | 'heredoc';
  dialect: ShellDialect;
  /** The script as the shell receives it (continuations joined, heredoc scripts unwrapped). */
  text: string;
  /** Undefined when the parser is not loaded or the body is not a POSIX shell script. */
  script?: ShellScript;
  commands: ShellCommand[];
  mounts: Mount[];
  /** Dockerfile range of a span of `text`. */
  rangeOf(start: number, end: number): Range;
}

export interface ShellModel {
  stages: Stage[];
  steps: Step[];
  runs: RunBody[];
  /** Dockerfile lines (without line terminators). */
  lines: string[];
  /** Document range of a word of an instruction. */
  wordRange(ins: Instruction, w: Pick<Word, 'start' | 'end'>): Range;
  escape: string;
}

/** The key/value pairs of an ENV, LABEL or ARG step (ONBUILD triggers included). */
export function stepPairs(model: ShellModel, step: Step): KeyValue[] {
  const ins = { ...step.instruction, args: step.args };
  if (step.keyword === 'ARG') return argDecls(ins, model.escape);
  if (step.keyword === 'ENV' || step.keyword === 'LABEL') return keyValues(ins, model.escape);
  return [];
}

const models = new WeakMap<object, ShellModel>();

export function shellModel(ctx: DockerfileContext): ShellModel {
  let m = models.get(ctx.parsed);
  if (!m) {
    m = build(ctx);
    models.set(ctx.parsed, m);
  }
  return m;
}

function build(ctx: DockerfileContext): ShellModel {
  const { lines, escape } = ctx.parsed;
  const stages: Stage[] = [];
  const steps: Step[] = [];
  const runs: RunBody[] = [];
  const pragmas = ctx.parsed.comments
    .map((c) => ({ line: c.line, dialect: shellPragma(c.text) }))
    .filter((p): p is { line: number; dialect: ShellDialect } => !!p.dialect);
  let defaultDialect: ShellDialect = 'sh';
  let pragmaIndex = 0;
  let stage: Stage = { index: -1, image: '', dialect: defaultDialect, ships: true };
  const roles = imageRoles(ctx).stages;

  for (const ins of ctx.instructions) {
    while (pragmaIndex < pragmas.length && pragmas[pragmaIndex].line < ins.line) {
      defaultDialect = pragmas[pragmaIndex++].dialect;
      stage.dialect = defaultDialect;
    }
    if (ins.keyword === 'FROM') {
      // The stage model (model.ts) has expanded the image and found the parent stage.
      const st = ctx.stages[ins.stage];
      const image = st.image !== undefined ? st.image.split(UNKNOWN).join('$') : '';
      const parent = st.parent !== undefined ? stages[st.parent] : undefined;
      // A Windows image runs RUN with cmd unless SHELL says otherwise.
      const dialect = parent?.dialect ?? (isWindowsImage(st.image) ? 'cmd' : defaultDialect);
      stage = { index: st.index, from: ins, image, name: st.name, parent, dialect, ships: roles[st.index]?.ships ?? true, root: st.root?.toLowerCase() };
      stages.push(stage);
    }
    let step: Step = { instruction: ins, keyword: ins.keyword, onbuild: false, args: ins.args, flags: ins.flags, stage };
    if (ins.keyword === 'ONBUILD' && ins.args.length) {
      // ONBUILD's scanner does not peel the trigger's flags; do it here.
      const rest = ins.args.slice(1);
      const flags: Step['flags'] = [];
      let k = 0;
      while (k < rest.length && rest[k].raw.startsWith('--') && rest[k].raw.length > 2) {
        const raw = rest[k].raw.slice(2);
        const eq = raw.indexOf('=');
        flags.push({ name: eq < 0 ? raw : raw.slice(0, eq), value: eq < 0 ? null : raw.slice(eq + 1), word: rest[k] });
        k++;
      }
      step = { instruction: ins, keyword: ins.args[0].raw.toUpperCase(), onbuild: true, args: rest.slice(k), flags, stage };
    }
    steps.push(step);
    if (step.keyword === 'SHELL' && !step.onbuild) {
      stage.dialect = dialectOf(execForm(ins) ?? ins.args.map((w) => unquote(w.raw, escape)));
    }
    if (step.keyword === 'RUN') runs.push((step.run = runBody(step, lines, stage.dialect)));
  }
  return { stages, steps, runs, lines, escape, wordRange: (ins, w) => ctx.rangeOf(ins, w) };
}

/** Maps offsets of a script assembled from pieces back to Dockerfile positions. */
class OffsetMap {
  private starts: number[] = [];
  private at: ((delta: number) => Position)[] = [];
  add(offset: number, at: (delta: number) => Position) {
    this.starts.push(offset);
    this.at.push(at);
  }
  position(offset: number): Position {
    if (!this.starts.length) return { line: 0, character: 0 };
    const k = lastAtOrBefore(this.starts, offset);
    return this.at[k](offset - this.starts[k]);
  }
}

const HEREDOC_MARK = /<<-?\s*(["']?)[\w.-]+\1/g;

function runBody(step: Step, lines: string[], dialect: ShellDialect): RunBody {
  const ins = step.instruction;
  const mounts = mountsOf(step);
  const map = new OffsetMap();
  /** `runs` null: an interpreter that is no shell (a `#!/usr/bin/env python3` heredoc). */
  const make = (form: RunBody['form'], text: string, runs: ShellDialect | null = dialect): RunBody => {
    // Parsed on first use: ShellCheck's scripts need only the text, so its processes start before any body is parsed
    // (and before the parser has loaded: an attempt then is not kept).
    let parsed: { script?: ShellScript } | undefined;
    const parse = () => {
      if (parsed) return parsed;
      const shell = runs !== null && isPosixLike(runs);
      const now = { script: shell ? analyseScript(text) : undefined };
      if (!shell || isShellParserReady()) parsed = now;
      return now;
    };
    return {
      step,
      form,
      dialect: runs ?? 'other',
      text,
      get script() {
        return parse().script;
      },
      get commands() {
        return parse().script?.commands ?? [];
      },
      mounts,
      rangeOf: (s, e) => {
        if (e <= s) return { start: map.position(s), end: map.position(s) };
        const last = map.position(e - 1);
        return { start: map.position(s), end: { line: last.line, character: last.character + 1 } };
      },
    };
  };
  const first = step.args[0];
  if (!first) return make('shell', '');
  const bodyStart = first.start;
  const body = ins.text.slice(bodyStart);
  const inText = (base: number) => (delta: number) => positionAt(ins, base + delta);

  if (body.trimStart().startsWith('[')) {
    const words = execForm({ ...ins, text: body });
    if (words) {
      // Exec form: no shell runs, but the rules still read the command and its arguments.
      let text = '';
      let from = 0;
      for (const w of words) {
        const quoted = JSON.stringify(w);
        const at = body.indexOf(quoted, from);
        if (text) text += ' ';
        if (at >= 0) {
          map.add(text.length, inText(bodyStart + at + 1));
          from = at + quoted.length;
        }
        text += /[\s"'\\$`|&;<>()*?#~]/.test(w) || !w ? `'${w.replace(/'/g, `'\\''`)}'` : w;
      }
      return make('exec', text);
    }
  }

  if (ins.heredocs.length && /^\d*<<-?/.test(first.raw)) {
    // `RUN <<EOF` runs the heredoc as the script when nothing else (or only a shell) is on the first line;
    // otherwise the heredoc is input to that command (`RUN python3 <<EOF`), and only that command is shell.
    const command = body.replace(HEREDOC_MARK, '').trim();
    if (command && !/^(\/usr)?(\/bin\/)?(ba|da|k|mk|a)?sh(\s+-\w+)*$/.test(command)) {
      map.add(0, inText(bodyStart));
      return make('heredoc', body.replace(HEREDOC_MARK, (m) => ' '.repeat(m.length)));
    }
    let text = '';
    for (const h of ins.heredocs) {
      const last = h.terminated ? h.endLine - 1 : h.endLine;
      for (let l = h.startLine; l <= last && l < lines.length; l++) {
        const line = l;
        map.add(text.length, (d) => ({ line, character: d }));
        text += lines[l] + '\n';
      }
    }
    // BuildKit runs a heredoc that starts with #! as a file, with that interpreter: Python is not shell.
    return make('heredoc', text, text.startsWith('#!') ? shebangDialect(text) ?? null : dialect);
  }

  map.add(0, inText(bodyStart));
  return make('shell', body);
}

/** The shell a `#!` line names (`#!/usr/bin/env bash` → bash), or undefined for any other interpreter. */
function shebangDialect(text: string): ShellDialect | undefined {
  const words = text.slice(2, text.indexOf('\n') >>> 0).trim().split(/\s+/);
  const exe = words[0]?.endsWith('/env') || words[0] === 'env' ? words.slice(1).find((w) => !w.startsWith('-')) : words[0];
  const d = dialectOf([exe ?? '']);
  return d === 'other' ? undefined : d;
}

/** `--mount=type=cache,target=/root/.cache,sharing=locked` → { type: 'cache', target: '/root/.cache', ... }. */
function mountsOf(step: Step): Mount[] {
  const out: Mount[] = [];
  for (const f of step.flags) {
    if (f.name.toLowerCase() !== 'mount') continue;
    const options: Record<string, string> = {};
    for (const part of unquote(f.value ?? '').split(',')) {
      const eq = part.indexOf('=');
      const k = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
      if (k) options[k] = eq < 0 ? 'true' : part.slice(eq + 1).trim();
    }
    out.push({ type: (options.type ?? 'bind').toLowerCase(), target: options.target ?? options.dst ?? options.destination, options, word: f.word });
  }
  return out;
}

/** True when a cache or tmpfs mount's target contains `fragment` (hadolint's `hasCacheOrTmpfsMountWith`). */
export function hasCacheMount(run: RunBody, fragment: string): boolean {
  return run.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== undefined && m.target.includes(fragment));
}
