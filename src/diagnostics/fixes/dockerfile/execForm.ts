/**
 * Shell form → exec form for CMD and ENTRYPOINT, only where the words mean the same without a shell.
 *
 * - The words must be plain shell words: no variables, globs, redirections, operators or comments, and the first
 *   one a program rather than a variable assignment (`NODE_ENV=production node …`) or a shell builtin (`cd`).
 *   `exec java …` becomes `["java", …]`: exec only told the shell to step aside.
 * - A CMD's words go to the ENTRYPOINT when there is one. Without a shell they arrive as themselves instead of
 *   `/bin/sh -c "…"`, so the fix is safe only where the ENTRYPOINT is known: none (`FROM scratch`), an empty one, or
 *   a shell-form one (which ignores CMD). Otherwise it is a suggestion that says so.
 * - A shell-form ENTRYPOINT ignores CMD and `docker run`'s arguments; in exec form it receives them. Always a
 *   suggestion.
 */
import { execForm as execWords, Instruction, positionAt } from '../../dockerfile/parse';
import { isPosixLike } from '../../dockerfile/shell/dialect';
import type { Finding } from '../../types';
import type { DockerfileFixContext } from '../context';
import type { FixDefinition, Proposal } from '../types';
import { baseOf, inherited, stageChain, stageOf } from './baseImage';
import { instructionAt } from './runs';

/** Builtins with no program of the same name, or that change the shell: without a shell they mean nothing. */
const BUILTINS = new Set([
  'cd', 'export', 'unset', 'set', 'source', '.', 'eval', 'exit', 'return', 'trap', 'ulimit', 'umask', 'read', 'wait',
  'alias', 'shift', 'readonly', 'local', 'declare', 'typeset', 'hash', 'type', 'command', 'builtin', 'times', 'jobs',
  'fg', 'bg', 'getopts', 'let', 'shopt', 'enable', 'break', 'continue', ':', 'if', 'then', 'else', 'elif', 'fi', 'for',
  'while', 'until', 'do', 'done', 'case', 'esac', 'function', 'select', 'time', 'coproc', '{', '}', '[[', '!',
]);
/** Builtins most images also ship as programs; without the shell, the program runs. */
const ALSO_PROGRAMS = new Set(['echo', 'printf', 'test', '[', 'true', 'false', 'pwd', 'kill', 'sleep']);

/** Splits plain shell words; undefined as soon as anything needs a shell to mean what it says. */
export function plainWords(text: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= n) break;
    let word = '';
    let quoted = false;
    while (i < n && text[i] !== ' ' && text[i] !== '\t') {
      const c = text[i];
      if (c === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0) return undefined;
        word += text.slice(i + 1, close);
        i = close + 1;
        quoted = true;
      } else if (c === '"') {
        const close = text.indexOf('"', i + 1);
        if (close < 0) return undefined;
        const inner = text.slice(i + 1, close);
        if (/[$`\\!]/.test(inner)) return undefined;
        word += inner;
        i = close + 1;
        quoted = true;
      } else if (/[$`\\*?[\]{}~;&|<>()#!\n\r]/.test(c)) {
        return undefined;
      } else {
        word += c;
        i++;
      }
    }
    if (!word && !quoted) return undefined;
    out.push(word);
  }
  return out.length ? out : undefined;
}

interface Plan {
  ins: Instruction;
  words: string[];
  edit: Proposal['edits'][number];
  /** Why the exec form may behave differently, or undefined when it provably does not. */
  risk?: string;
  /** The words need a program that is also a shell builtin. */
  builtin?: string;
}

function plan(fx: DockerfileFixContext, finding: Finding): Plan | undefined {
  const ins = instructionAt(fx, finding.range.start.line);
  if (!ins || (ins.keyword !== 'CMD' && ins.keyword !== 'ENTRYPOINT') || !ins.args.length || execWords(ins)) return undefined;
  const stage = stageOf(fx.df, ins);
  if (!stage) return undefined;
  let words = plainWords(ins.text.slice(ins.args[0].start).trim());
  if (!words) return undefined;
  if (words[0] === 'exec') words = words.slice(1);
  if (!words.length || words[0].startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]) || BUILTINS.has(words[0])) return undefined;
  const json = JSON.stringify(words).replace(/","/g, '", "');
  const edit = { range: { start: positionAt(ins, ins.args[0].start), end: fx.lines.endOf(ins.endLine) }, newText: json };

  // A SHELL that is not a POSIX shell may read the same words differently.
  const shell = inherited(fx.df, stage, 'SHELL');
  const dialect = fx.shell.stages[stage.index]?.dialect ?? 'sh';
  const builtin = ALSO_PROGRAMS.has(words[0]) ? words[0] : undefined;
  if (shell && (!isPosixLike(dialect) || dialect === 'other')) {
    return { ins, words, edit, builtin, risk: `the words no longer go through the SHELL on line ${shell.line + 1}` };
  }
  if (ins.keyword === 'ENTRYPOINT') {
    const cmd = stage.instructions.find((i) => i.keyword === 'CMD');
    return {
      ins, words, edit, builtin,
      risk: cmd ? `the CMD on line ${cmd.line + 1} and docker run's arguments are then passed to it as arguments` : "docker run's arguments (and a CMD, if one is added) are then passed to it as arguments",
    };
  }
  const entrypoint = inherited(fx.df, stage, 'ENTRYPOINT');
  if (entrypoint) {
    const ep = execWords(entrypoint);
    if (!ep || ep.length === 0) return { ins, words, edit, builtin }; // a shell-form ENTRYPOINT ignores CMD; an empty one runs it
    return { ins, words, edit, builtin, risk: `the ENTRYPOINT on line ${entrypoint.line + 1} then receives these words instead of "/bin/sh -c '…'"` };
  }
  const root = stageChain(fx.df, stage).pop()!;
  if (baseOf(fx.df, root).family === 'scratch') return { ins, words, edit, builtin };
  return { ins, words, edit, builtin, risk: `if the base image has an ENTRYPOINT, it then receives these words instead of "/bin/sh -c '…'"` };
}

const title = (p: Plan) => `Use the exec form: ${p.ins.keyword} ${p.edit.newText}`;

export const execFormSafe: FixDefinition<DockerfileFixContext> = {
  id: 'exec-form',
  kind: 'dockerfile',
  rules: ['JSONArgsRecommended', 'DL3025'],
  safety: 'safe',
  propose(fx, finding) {
    const p = fx.memo(`exec:${finding.range.start.line}`, () => plan(fx, finding));
    return p && !p.risk && !p.builtin ? [{ title: title(p), edits: [p.edit] }] : [];
  },
};

export const execFormReview: FixDefinition<DockerfileFixContext> = {
  id: 'exec-form-review',
  kind: 'dockerfile',
  rules: ['JSONArgsRecommended', 'DL3025'],
  safety: 'review',
  risk: 'the words then run without a shell',
  propose(fx, finding) {
    const p = fx.memo(`exec:${finding.range.start.line}`, () => plan(fx, finding));
    if (!p || (!p.risk && !p.builtin)) return [];
    const risks = [p.risk, p.builtin && `the image needs a ${p.builtin} program, as the shell's own ${p.builtin} no longer runs`].filter(Boolean);
    return [{ title: title(p), edits: [p.edit], risk: risks.join('; ') }];
  },
};
