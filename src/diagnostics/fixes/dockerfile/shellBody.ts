/**
 * What joining a RUN body to another one needs to know, read from tree-sitter-bash's tree rather than from text:
 * where its last statement ends (before a trailing `;`, `&` or comment), its trailing comment, and whether it
 * leaves shell state behind that commands joined after it would see (`cd`, `export`, `set -e`, a loop variable)
 * or ends the shell early (`exit 0`, `exec`).
 */
import { parseShell } from '../../dockerfile/shell/parser';

export interface BodyShape {
  /** Offset just after the last statement, before a trailing `;`, `&`, blanks and comment. */
  end: number;
  /** The trailing comment (`# certs`), which would swallow anything joined after it. */
  comment?: { start: number; text: string };
  /** The last statement runs in the background (`… &`). */
  background: boolean;
  /** The first construct that changes state later commands in the same shell would see, or ends it early. */
  stateful?: string;
  hasErrors: boolean;
}

/** Commands that change the shell itself rather than the file system, or leave it early. */
const STATEFUL = new Set([
  'cd', 'pushd', 'popd', 'export', 'unset', 'set', 'shopt', 'umask', 'ulimit', 'alias', 'unalias', 'source', '.',
  'eval', 'exec', 'exit', 'return', 'trap', 'readonly', 'local', 'declare', 'typeset', 'read', 'mapfile', 'readarray',
  'getopts', 'let', 'hash', 'shift', 'enable',
]);

/** Nodes whose state stays inside them: a subshell, `$(…)`, and the parts of a pipeline (each runs in a subshell). */
const CONTAINED = new Set(['subshell', 'command_substitution', 'process_substitution', 'pipeline']);

const STATE_NODES: Record<string, string> = {
  function_definition: 'a function definition',
  declaration_command: 'export/declare',
  unset_command: 'unset',
  for_statement: 'a for loop variable',
  c_style_for_statement: 'a for loop variable',
  select_statement: 'a select variable',
};

const ASSIGNING_ARITHMETIC = /(^|[^=!<>])=(?!=)|\+\+|--|[-+*/%&|^]=|<<=|>>=/;

const cache = new Map<string, BodyShape | null>();
const CACHE_LIMIT = 2000;

/** The body's shape, or undefined when the shell parser is not loaded. */
export function bodyShape(text: string): BodyShape | undefined {
  const hit = cache.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const tree = parseShell(text);
  if (!tree) return undefined;
  let shape: BodyShape;
  try {
    shape = read(text, tree);
  } finally {
    tree.delete();
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, shape);
  return shape;
}

function read(_text: string, tree: NonNullable<ReturnType<typeof parseShell>>): BodyShape {
  const root = tree.rootNode;
  const shape: BodyShape = { end: 0, background: false, hasErrors: root.hasError };
  // Top level: the last statement, and what trails it.
  const cursor = tree.walk();
  try {
    let lastTerminator = '';
    if (cursor.gotoFirstChild()) {
      do {
        const type = cursor.nodeType;
        if (type === 'comment') shape.comment = { start: cursor.startIndex, text: cursor.nodeText };
        else if (type === ';' || type === '&' || type === '\n' || type === ';;') lastTerminator = type;
        else {
          shape.end = cursor.endIndex;
          shape.comment = undefined;
          lastTerminator = '';
        }
      } while (cursor.gotoNextSibling());
    }
    shape.background = lastTerminator === '&';
    cursor.reset(root);
    shape.stateful = findState(cursor);
  } finally {
    cursor.delete();
  }
  return shape;
}

/** Depth-first over the tree, not entering nodes whose state stays inside them. */
function findState(cursor: ReturnType<NonNullable<ReturnType<typeof parseShell>>['walk']>): string | undefined {
  const parents: string[] = [];
  for (;;) {
    const type = cursor.nodeType;
    const parent = parents[parents.length - 1];
    let found: string | undefined;
    if (type === '&') found = 'a background job';
    else if (STATE_NODES[type]) found = STATE_NODES[type];
    else if (type === 'variable_assignment' && parent !== 'command') found = 'a variable assignment';
    else if (type === 'command') found = statefulCommand(cursor.currentNode);
    else if (type === 'expansion' && /^\$\{[#!]?\w+:?=/.test(cursor.nodeText)) found = 'an assigning expansion';
    else if ((type === 'arithmetic_expansion' || type === 'compound_statement') && cursor.nodeText.startsWith('$((') && ASSIGNING_ARITHMETIC.test(cursor.nodeText.slice(3, -2))) found = 'an arithmetic assignment';
    else if (type === 'compound_statement' && cursor.nodeText.startsWith('((') && ASSIGNING_ARITHMETIC.test(cursor.nodeText.slice(2, -2))) found = 'an arithmetic assignment';
    if (found) return found;
    const enter = !CONTAINED.has(type) || (type === 'pipeline' && pipelineOfOne(cursor.nodeText));
    if (enter && cursor.gotoFirstChild()) {
      parents.push(type);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return undefined;
      parents.pop();
    }
  }
}

/** tree-sitter never makes a pipeline of one command, but keep the subshell rule honest if it ever does. */
const pipelineOfOne = (t: string) => !t.includes('|');

function statefulCommand(node: { childForFieldName(name: string): { text: string } | null; childrenForFieldName(name: string): ({ text: string } | null)[] }): string | undefined {
  const name = unquoteName(node.childForFieldName('name')?.text ?? '');
  if (STATEFUL.has(name)) return name;
  if (name === 'command' || name === 'builtin') {
    const first = unquoteName(node.childrenForFieldName('argument')[0]?.text ?? '');
    if (STATEFUL.has(first)) return first;
  }
  return undefined;
}

const unquoteName = (s: string) => s.replace(/^["']|["']$/g, '').replace(/^\\/, '');
