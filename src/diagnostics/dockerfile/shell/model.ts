/**
 * The Dockerfile as the package and shell rules see it: instructions in order with their stage (ONBUILD triggers
 * included, as hadolint checks them too), and every RUN body as a parsed shell script whose offsets map back to
 * exact Dockerfile positions. Built once per lint and shared by the rules.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileContext } from '../context';
import type { Range } from '../../types';
import { analyseScript, ShellCommand, ShellScript } from './script';
import { dialectOf, ShellDialect, shellPragma } from './dialect';

export interface Stage {
  index: number;
  /** The FROM instruction; undefined for instructions before any FROM. */
  from?: Instruction;
  image: string;
  /** Lower-cased `AS` name. */
  name?: string;
  /** The earlier stage this one is built on (`FROM builder`). */
  parent?: Stage;
  dialect: ShellDialect;
}

export interface Step {
  instruction: Instruction;
  /** Upper-cased keyword; for ONBUILD triggers, the trigger's keyword. */
  keyword: string;
  onbuild: boolean;
  stage: Stage;
}

export interface Mount {
  type: string;
  target?: string;
  options: Record<string, string>;
  range: Range;
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
  /** Dockerfile lines split once (without line terminators). */
  lines: string[];
}

const models = new WeakMap<object, ShellModel>();

export function shellModel(ctx: DockerfileContext): ShellModel {
  let m = models.get(ctx.dockerfile);
  if (!m) {
    m = build(ctx);
    models.set(ctx.dockerfile, m);
  }
  return m;
}

function build(ctx: DockerfileContext): ShellModel {
  const lines = ctx.text.split(/\r\n|\r|\n/);
  const escape = ctx.dockerfile.getEscapeCharacter() || '\\';
  const stages: Stage[] = [];
  const steps: Step[] = [];
  const runs: RunBody[] = [];
  const pragmas = ctx.dockerfile
    .getComments()
    .map((c) => ({ line: c.getRange().start.line, dialect: shellPragma(c.getContent()) }))
    .filter((p): p is { line: number; dialect: ShellDialect } => !!p.dialect);
  let defaultDialect: ShellDialect = 'sh';
  let pragmaIndex = 0;
  let stage: Stage = { index: -1, image: '', dialect: defaultDialect };

  for (const ins of ctx.dockerfile.getInstructions()) {
    const line = ins.getRange().start.line;
    while (pragmaIndex < pragmas.length && pragmas[pragmaIndex].line < line) {
      defaultDialect = pragmas[pragmaIndex++].dialect;
      stage.dialect = defaultDialect;
    }
    const keyword = ins.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      const from = ins as unknown as { getImageName(): string | null; getImage(): string | null; getBuildStage(): string | null };
      const image = from.getImage() ?? '';
      const parent = stages.find((s) => s.name && s.name === image.toLowerCase());
      stage = {
        index: stages.length,
        from: ins,
        image,
        name: from.getBuildStage()?.toLowerCase() ?? undefined,
        parent,
        dialect: parent?.dialect ?? defaultDialect,
      };
      stages.push(stage);
    }
    let target = ins;
    let onbuild = false;
    if (keyword === 'ONBUILD') {
      const trigger = (ins as unknown as { getTriggerInstruction(): Instruction | null }).getTriggerInstruction();
      if (!trigger) {
        steps.push({ instruction: ins, keyword, onbuild: false, stage });
        continue;
      }
      target = trigger;
      onbuild = true;
    }
    const step: Step = { instruction: target, keyword: onbuild ? target.getKeyword().toUpperCase() : keyword, onbuild, stage };
    steps.push(step);
    if (step.keyword === 'SHELL' && !onbuild) stage.dialect = dialectOf(shellWords(target));
    if (step.keyword === 'RUN') {
      const body = runBody(step, lines, escape, stage.dialect);
      if (body) runs.push(body);
    }
  }
  return { stages, steps, runs, lines };
}

function shellWords(ins: Instruction): string[] {
  const json = (ins as unknown as { getJSONStrings?(): { getValue(): string }[] }).getJSONStrings?.();
  if (json?.length) return json.map((j) => j.getValue());
  return (ins.getArgumentsContent() ?? '').split(/\s+/).filter(Boolean);
}

/** Maps offsets of a script assembled from pieces of Dockerfile lines back to Dockerfile positions. */
class OffsetMap {
  private starts: number[] = [];
  private lines: number[] = [];
  private chars: number[] = [];
  add(offset: number, line: number, character: number) {
    this.starts.push(offset);
    this.lines.push(line);
    this.chars.push(character);
  }
  position(offset: number) {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    if (!this.starts.length) return { line: 0, character: 0 };
    return { line: this.lines[lo], character: this.chars[lo] + (offset - this.starts[lo]) };
  }
}

function runBody(step: Step, lines: string[], escape: string, dialect: ShellDialect): RunBody | undefined {
  const ins = step.instruction;
  const args = ins.getArgumentsRange();
  const mounts = mountsOf(ins);
  const map = new OffsetMap();
  const make = (form: RunBody['form'], text: string, parse: boolean): RunBody => {
    const script = parse && dialect !== 'powershell' && dialect !== 'cmd' ? analyseScript(text) : undefined;
    return {
      step,
      form,
      dialect,
      text,
      script,
      commands: script?.commands ?? [],
      mounts,
      rangeOf: (s, e) => {
        const start = map.position(s);
        const end = map.position(Math.max(s, e));
        return { start, end };
      },
    };
  };
  if (!args) return make('shell', '', false);

  const json = (ins as unknown as { getJSONStrings?(): { getValue(): string; getRange(): Range }[] }).getJSONStrings?.();
  const first = ins.getArgumentsContent()?.trimStart() ?? '';
  if (json?.length && first.startsWith('[')) {
    // Exec form: the words are the command; no shell is involved, but the rules still read the command.
    let text = '';
    for (const j of json) {
      if (text) text += ' ';
      const r = j.getRange();
      map.add(text.length, r.start.line, r.start.character + 1);
      text += /[\s"'\\$`|&;<>()]/.test(j.getValue()) ? `'${j.getValue().replace(/'/g, `'\\''`)}'` : j.getValue();
    }
    return make('exec', text, true);
  }

  const heredocs = (ins as unknown as { getHeredocs?(): { getContentRange(): Range | null }[] }).getHeredocs?.() ?? [];
  if (heredocs.length && /^<<-?\s*["']?[\w.-]/.test(first) === true) return heredocBody(step, lines, args, heredocs, make, map);

  // Shell form: join continuation lines; comment and blank lines inside a continuation are dropped by the builder.
  let text = '';
  for (let l = args.start.line; l <= args.end.line && l < lines.length; l++) {
    let seg = lines[l];
    let from = 0;
    if (l === args.start.line) from = args.start.character;
    if (l === args.end.line) seg = seg.slice(0, args.end.character);
    seg = seg.slice(from);
    if (l !== args.start.line && (/^\s*#/.test(seg) || !seg.trim())) continue;
    const trimmed = seg.replace(/\s+$/, '');
    const continued = l < args.end.line && trimmed.endsWith(escape);
    map.add(text.length, l, from);
    text += continued ? trimmed.slice(0, -1) : seg;
  }
  return make('shell', text, true);
}

/**
 * `RUN <<EOF` runs the heredoc as a script when nothing else is on the first line (or only a shell); otherwise
 * the heredoc is input to the command on the first line (`RUN python3 <<EOF`, `RUN cat <<EOF > file`), and only
 * that command is shell.
 */
function heredocBody(
  step: Step,
  lines: string[],
  args: Range,
  heredocs: { getContentRange(): Range | null }[],
  make: (form: RunBody['form'], text: string, parse: boolean) => RunBody,
  map: OffsetMap,
): RunBody {
  const firstLine = lines[args.start.line]?.slice(args.start.character) ?? '';
  const command = firstLine.replace(/<<-?\s*(["']?)[\w.-]+\1/g, '').trim();
  const runsScript = !command || /^(\/usr)?(\/bin\/)?(ba|da|k|mk|a)?sh(\s+-\w+)*$/.test(command);
  if (!runsScript) {
    map.add(0, args.start.line, args.start.character);
    return make('heredoc', firstLine.replace(/<<-?\s*(["']?)([\w.-]+)\1/g, (m) => ' '.repeat(m.length)), true);
  }
  let text = '';
  for (const h of heredocs) {
    const r = h.getContentRange();
    if (!r) continue;
    for (let l = r.start.line; l <= r.end.line && l < lines.length; l++) {
      const seg = l === r.end.line ? lines[l].slice(0, r.end.character) : lines[l];
      map.add(text.length, l, 0);
      text += seg + '\n';
    }
  }
  return make('heredoc', text, true);
}

/** `--mount=type=cache,target=/root/.cache,sharing=locked` → { type: 'cache', target: '/root/.cache', ... }. */
function mountsOf(ins: Instruction): Mount[] {
  const flags = (ins as unknown as { getFlags?(): { getName(): string; getValue(): string | null; getRange(): Range }[] }).getFlags?.() ?? [];
  const out: Mount[] = [];
  for (const f of flags) {
    if (f.getName().toLowerCase() !== 'mount') continue;
    const options: Record<string, string> = {};
    for (const part of (f.getValue() ?? '').split(',')) {
      const eq = part.indexOf('=');
      const k = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
      if (k) options[k] = eq < 0 ? 'true' : part.slice(eq + 1).trim();
    }
    out.push({
      type: (options.type ?? 'bind').toLowerCase(),
      target: options.target ?? options.dst ?? options.destination,
      options,
      range: f.getRange(),
    });
  }
  return out;
}

/** True when a cache or tmpfs mount's target contains `fragment` (hadolint's `hasCacheOrTmpfsMountWith`). */
export function hasCacheMount(run: RunBody, fragment: string): boolean {
  return run.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== undefined && m.target.includes(fragment));
}
