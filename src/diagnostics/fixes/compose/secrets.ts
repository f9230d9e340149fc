/**
 * Moves a secret written in a compose file into the project's `.env`, which Compose reads for interpolation, so
 * `compose up` still gets the same value: `POSTGRES_PASSWORD: hunter2` becomes `POSTGRES_PASSWORD: "${POSTGRES_PASSWORD}"`
 * and `.env` gets `POSTGRES_PASSWORD='hunter2'` (created, or appended to; a variable it already has with the same
 * value is reused). `.gitignore` is told about `.env` unless a `.gitignore` up to the repository root already is.
 *
 * A suggestion, not a safe fix: a variable of that name set in the shell, or another file given with --env-file,
 * takes precedence over `.env`.
 */
import * as path from 'node:path';
import { isPair, isScalar, isSeq, Node, Pair, Scalar } from 'yaml';
import { ancestors } from '../../host';
import type { ComposeFixContext } from '../context';
import { Lines } from '../text';
import type { FileChange, FixDefinition, Proposal } from '../types';
import { nodeStartingAt, quoted, replaceNode } from './yamlEdit';

/** `.env` as Compose reads it: `KEY=value`, `export KEY=value`, values single- or double-quoted or bare. */
export function parseDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) continue;
    let v = m[2];
    if (v.startsWith("'")) v = v.slice(1, v.indexOf("'", 1) < 0 ? undefined : v.indexOf("'", 1));
    else if (v.startsWith('"')) v = v.slice(1, v.lastIndexOf('"') > 0 ? v.lastIndexOf('"') : undefined).replace(/\\(["\\$])/g, '$1');
    else v = v.replace(/\s+#.*$/, '').trim();
    out.set(m[1], v);
  }
  return out;
}

/** Whether a `.gitignore` from the compose file's folder up to the repository root already ignores `.env`. */
function gitignoreFor(fx: ComposeFixContext, dir: string): { ignored: boolean; file: string; text?: string } {
  const own = path.join(dir, '.gitignore');
  const ownText = fx.host.readFile(own);
  for (const d of ancestors(dir)) {
    const text = d === dir ? ownText : fx.host.readFile(path.join(d, '.gitignore'));
    const rel = path.relative(d, path.join(dir, '.env')).split(path.sep).join('/');
    if (text && text.split(/\r?\n/).some((l) => ignores(l.trim(), rel))) return { ignored: true, file: own };
    if (fx.host.readFile(path.join(d, '.git', 'HEAD')) !== undefined) break;
  }
  return { ignored: false, file: own, text: ownText };
}

function ignores(pattern: string, rel: string): boolean {
  if (!pattern || pattern.startsWith('#') || pattern.startsWith('!')) return false;
  const p = pattern.replace(/\/$/, '');
  const glob = (g: string) => {
    let re = '';
    for (let i = 0; i < g.length; i++) {
      if (g.startsWith('**/', i)) {
        re += '(?:.*/)?';
        i += 2;
      } else if (g[i] === '*') re += '[^/]*';
      else if (g[i] === '?') re += '[^/]';
      else re += g[i].replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
  };
  // Without a slash a pattern matches a name at any depth; with one, a path from the .gitignore's folder.
  if (!p.replace(/^\*\*\//, '').includes('/')) return glob(p.replace(/^\*\*\//, '')).test(rel.slice(rel.lastIndexOf('/') + 1));
  return glob(p.replace(/^\//, '')).test(rel);
}

/** Appends lines to a file through `host`, or creates it. */
function append(fx: ComposeFixContext, file: string, existing: string | undefined, add: string): FileChange {
  if (existing === undefined) return { path: file, create: true, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: add + '\n' }] };
  const l = new Lines(existing);
  const lastLine = l.count - 1;
  const end = l.endOf(lastLine);
  const eol = l.count > 1 ? l.eolAt(0) : '\n';
  const needsBreak = l.line(lastLine) !== '';
  return { path: file, create: false, edits: [{ range: { start: end, end }, newText: (needsBreak ? eol : '') + add + eol }] };
}

interface Secret {
  /** The node to rewrite, and how. */
  node: Node;
  rewrite(variable: string): string;
  /** The value as Compose reads it. */
  value: string;
  /** Names to try for the variable, best first. */
  names: string[];
}

function secretAt(fx: ComposeFixContext, offset: number): Secret | undefined {
  const hit = nodeStartingAt(fx, offset);
  if (!hit || !isScalar(hit.node)) return undefined;
  // The service it belongs to (path: document, root map, the services pair, the services map, the service's pair, …).
  const at = hit.path.findIndex((p) => isPair(p) && isScalar(p.key) && p.key.value === 'services');
  const svcPair = at >= 0 ? hit.path[at + 2] : undefined;
  const service = isPair(svcPair) && isScalar(svcPair.key) ? String(svcPair.key.value) : undefined;
  const scalar = hit.node as Scalar;
  const raw = scalar.value;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const parent = hit.path[hit.path.length - 1];
  let name: string;
  let text = String(raw);
  let seqForm = false;
  if (isSeq(parent)) {
    const eq = text.indexOf('=');
    if (eq <= 0) return undefined;
    name = text.slice(0, eq);
    text = text.slice(eq + 1);
    seqForm = true;
  } else if (isPair(parent) && (parent as Pair).value === scalar && isScalar((parent as Pair).key)) {
    name = String(((parent as Pair).key as Scalar).value);
  } else return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  const value = text.replace(/\$\$/g, '$');
  if (/[\r\n'\0]/.test(value)) return undefined;
  const prefix = service ? `${service.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_` : '';
  // A URL with a password in it: only the password moves.
  const url = /^([a-z][a-z0-9+.-]*:\/\/[^/@:\s]*:)([^/@\s]+)(@.*)$/i.exec(text);
  if (url) {
    const password = url[2].replace(/\$\$/g, '$');
    const names = [`${name}_PASSWORD`, `${prefix}${name}_PASSWORD`];
    return { node: scalar, value: password, names, rewrite: (v) => quoted(`${seqForm ? `${name}=` : ''}${url[1]}\${${v}}${url[3]}`) };
  }
  return { node: scalar, value, names: [name, `${prefix}${name}`], rewrite: (v) => quoted(`${seqForm ? `${name}=` : ''}\${${v}}`) };
}

export const secretToDotenv: FixDefinition<ComposeFixContext> = {
  id: 'secret-to-dotenv',
  kind: 'compose',
  rules: ['no-plaintext-secret'],
  safety: 'review',
  risk: 'a variable of that name set in your shell, or an --env-file, then takes precedence over .env',
  propose(fx, finding): Proposal[] {
    if (!fx.filePath) return [];
    const secret = secretAt(fx, fx.lines.offsetAt(finding.range.start));
    if (!secret) return [];
    const dir = path.dirname(fx.filePath);
    const envFile = path.join(dir, '.env');
    const envText = fx.host.readFile(envFile);
    const known = parseDotenv(envText ?? '');
    const variable = secret.names.find((n) => !known.has(n) || known.get(n) === secret.value);
    if (!variable) return [];
    const files: FileChange[] = [];
    if (!known.has(variable)) files.push(append(fx, envFile, envText, `${variable}='${secret.value}'`));
    const git = gitignoreFor(fx, dir);
    if (!git.ignored) files.push(append(fx, git.file, git.text, '.env'));
    const edit = replaceNode(fx, secret.node, secret.rewrite(variable));
    if (!edit) return [];
    const told = git.ignored ? '' : ', and add .env to .gitignore';
    return [{ title: `Move the value of ${variable} to .env${told}`, edits: [edit], files }];
  },
};
