/**
 * A parsed shell script reduced to what Dockerfile rules ask about: the simple commands it runs (wherever they
 * are: in lists, pipelines, subshells, `$(...)`, `if`/`for` bodies), each with its words unquoted, and the pipes.
 * Offsets are into the script text; `RunBody` maps them back to the Dockerfile.
 */
import { parseShell, SyntaxNode } from './parser';

export interface ShellWord {
  /** The word with quotes and backslash escapes removed; expansions (`$V`, `${V}`, `$(...)`) kept as written. */
  value: string;
  start: number;
  end: number;
}

export interface ShellCommand {
  /** The command's name as written, unquoted (`apt-get`, `/usr/bin/pip3`). */
  name: string;
  nameWord: ShellWord;
  /** Arguments after the name, redirections and assignments excluded. */
  args: ShellWord[];
  /** Index of this command in the script, in source order. */
  index: number;
  /** Inside `( ... )` or `$( ... )`: a `cd` there does not leak to the rest of the script. */
  inSubshell: boolean;
}

export interface ShellScript {
  text: string;
  commands: ShellCommand[];
  /**
   * `|` pipelines (for `pipefail`). `statusIgnored`: inside a `$(...)` whose result is only text for an
   * argument (`tar czf "x-$(echo $V | sed …)"`), where the pipe's status never reaches the RUN.
   */
  pipelines: { start: number; end: number; statusIgnored: boolean }[];
  /** True when the parser met syntax it could not read; the commands found are still reported. */
  hasErrors: boolean;
}

/** Parsing is the expensive part; editors re-lint files whose RUN bodies mostly did not change. */
const cache = new Map<string, ShellScript | null>();
const CACHE_LIMIT = 2000;

/** Forgets parsed scripts (benchmarks measure parsing from cold). */
export function clearScriptCache(): void {
  cache.clear();
}

/** The script's commands, or undefined when the parser is not loaded. */
export function analyseScript(text: string): ShellScript | undefined {
  const hit = cache.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const tree = parseShell(text);
  if (!tree) return undefined;
  let script: ShellScript;
  try {
    script = fromTree(text, tree.rootNode);
  } finally {
    tree.delete();
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, script);
  return script;
}

function fromTree(text: string, root: SyntaxNode): ShellScript {
  const commands: ShellCommand[] = [];
  const inSubshell = subshellTest(root);
  for (const node of root.descendantsOfType('command')) {
    const nameNode = node.childForFieldName('name');
    if (!nameNode) continue;
    const nameWord = word(nameNode);
    const args: ShellWord[] = [];
    for (const a of node.childrenForFieldName('argument')) if (a) args.push(word(a));
    commands.push({ name: nameWord.value, nameWord, args, index: commands.length, inSubshell: inSubshell(node.startIndex) });
  }
  const spans = (types: string[]) => root.descendantsOfType(types).map((n) => [n.startIndex, n.endIndex] as const);
  const substitutions = spans(['command_substitution']);
  const assignments = spans(['variable_assignment']);
  const within = (list: (readonly [number, number])[], a: number, b: number) => list.some(([s, e]) => s <= a && b <= e);
  const pipelines = root.descendantsOfType('pipeline').map((p) => ({
    start: p.startIndex,
    end: p.endIndex,
    statusIgnored: within(substitutions, p.startIndex, p.endIndex) && !within(assignments, p.startIndex, p.endIndex),
  }));
  return { text, commands, pipelines, hasErrors: root.hasError };
}

/**
 * Whether an offset lies inside `( ... )` or `$( ... )`, asked in increasing offset order. Computed from the
 * subshells' spans in one sweep: a tree-sitter node has no parent pointer (`node.parent` walks down from the
 * root), so climbing parents per command costs the square of the nesting depth, which a long `a && b && …`
 * chain makes as deep as it is long.
 */
function subshellTest(root: SyntaxNode): (offset: number) => boolean {
  const spans = root
    .descendantsOfType(['subshell', 'command_substitution'])
    .map((n) => [n.startIndex, n.endIndex] as const)
    .sort((a, b) => a[0] - b[0]);
  let next = 0;
  let openUntil = -1;
  return (offset) => {
    while (next < spans.length && spans[next][0] < offset) openUntil = Math.max(openUntil, spans[next++][1]);
    return offset < openUntil;
  };
}

function word(node: SyntaxNode): ShellWord {
  return { value: unquote(node.text), start: node.startIndex, end: node.endIndex };
}

/** Removes shell quoting the way the shell would, leaving expansions in place (as hadolint compares words). */
export function unquote(s: string): string {
  if (!/["'\\]/.test(s)) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === "'") {
      const close = s.indexOf("'", i + 1);
      if (close < 0) return out + s.slice(i + 1);
      out += s.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) {
          out += s[i + 1];
          i += 2;
        } else out += s[i++];
      }
      i++;
    } else if (c === '\\' && i + 1 < s.length) {
      out += s[i + 1];
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** A command's flags as hadolint reads them: `--name[=v]` gives `name`, `-abc` gives `a`, `b`, `c`. */
export interface ShellFlag {
  name: string;
  /** Index into `args` of the word that holds the flag. */
  argIndex: number;
}

export function flagsOf(cmd: ShellCommand): ShellFlag[] {
  const out: ShellFlag[] = [];
  cmd.args.forEach((a, argIndex) => {
    const v = a.value;
    if (v === '--' || v === '-' || !v.startsWith('-')) return;
    if (v.startsWith('--')) out.push({ name: v.slice(2).split('=')[0], argIndex });
    else for (const ch of v.slice(1)) out.push({ name: ch, argIndex });
  });
  return out;
}
