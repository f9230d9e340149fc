import { pinTag } from './pinTag';
import { at, Lines } from './text';
import type { Fix, FixProvider } from './types';

/** The indentation of the first child line under `line`, or two more spaces than `line` when it has none. */
function childIndent(lines: Lines, line: number): string {
  const own = lines.indentOf(line).length;
  for (let l = line + 1; l < lines.lines.length; l++) {
    const t = lines.line(l);
    if (!t.trim() || /^\s*#/.test(t)) continue;
    const ind = lines.indentOf(l);
    return ind.length > own ? ind : ' '.repeat(own + 2);
  }
  return ' '.repeat(own + 2);
}

const step = (lines: Lines, line: number) => childIndent(lines, line).length - lines.indentOf(line).length;

const removeVersion: FixProvider = ({ finding, text }) => {
  const lines = new Lines(text);
  const l = finding.range.start.line;
  if (!/^version\s*:/.test(lines.line(l))) return [];
  const blankAfter = l + 1 < lines.lines.length - 1 && !lines.line(l + 1).trim();
  return [{ title: 'Remove the obsolete version field', edits: [{ range: lines.wholeLines(l, blankAfter ? l + 1 : l), newText: '' }], preferred: true, safe: true }];
};

const bindToLoopback: FixProvider = ({ finding, text }) => {
  const lines = new Lines(text);
  const r = finding.range;
  if (r.start.line !== r.end.line) return [];
  const written = lines.line(r.start.line).slice(r.start.character, r.end.character);
  const quote = /^["']/.test(written) ? 1 : 0;
  if (!/^\d/.test(written.slice(quote))) return [];
  return [{ title: 'Publish the port on 127.0.0.1 only', edits: [{ range: at(r.start.line, r.start.character + quote), newText: '127.0.0.1:' }], preferred: true, safe: true }];
};

const addRestartPolicy: FixProvider = ({ finding, text }) => {
  const lines = new Lines(text);
  const l = finding.range.start.line;
  return [{ title: 'Add restart: unless-stopped', edits: [{ range: at(l + 1, 0), newText: `${childIndent(lines, l)}restart: unless-stopped${lines.eol}` }], preferred: true, safe: true }];
};

/** `KEY: value` or `- KEY=value` → the same key read from the environment, failing loudly when it is unset. */
const secretToVariable: FixProvider = ({ finding, text }) => {
  const lines = new Lines(text);
  const l = finding.range.start.line;
  const line = lines.line(l);
  const m = /^(\s*-\s*["']?)([A-Za-z_][\w]*)=.*?(["']?)\s*$/.exec(line) ?? /^(\s*)([A-Za-z_][\w]*)\s*:\s*.*$/.exec(line);
  if (!m) return [];
  const name = m[2];
  const variable = `\${${name}:?set ${name} in the environment or an .env file}`;
  const newLine = line.includes('=') && /^\s*-/.test(line) ? `${m[1]}${name}=${variable}${m[3] ?? ''}` : `${m[1]}${name}: "${variable}"`;
  return [{ title: `Read ${name} from the environment`, edits: [{ range: { start: { line: l, character: 0 }, end: { line: l, character: line.length } }, newText: newLine }], preferred: true, safe: true }];
};

const HEALTHCHECKS: Array<[RegExp, string]> = [
  [/(^|\/)postgres(:|$)/, '["CMD-SHELL", "pg_isready -U $${POSTGRES_USER:-postgres}"]'],
  [/(^|\/)(mysql|mariadb)(:|$)/, '["CMD", "mysqladmin", "ping", "-h", "127.0.0.1"]'],
  [/(^|\/)(redis|valkey)(:|$)/, '["CMD", "redis-cli", "ping"]'],
  [/(^|\/)mongo(:|$)/, '["CMD", "mongosh", "--quiet", "--eval", "db.adminCommand(\'ping\')"]'],
];

const addHealthcheck: FixProvider = ({ finding, text }) => {
  const lines = new Lines(text);
  const l = finding.range.start.line;
  const indent = childIndent(lines, l);
  // The image this service runs, to pick a probe that ships in it.
  let image = '';
  for (let k = l + 1; k < lines.lines.length && (lines.indentOf(k).length >= indent.length || !lines.line(k).trim()); k++) {
    const m = new RegExp(`^${indent}image:\\s*["']?([^"'\\s#]+)`).exec(lines.line(k));
    if (m) image = m[1];
  }
  const known = HEALTHCHECKS.find(([re]) => re.test(image.split('@')[0].toLowerCase()));
  const test = known?.[1] ?? '["CMD", "wget", "-q", "--spider", "http://localhost:8080/"]';
  const inner = indent + ' '.repeat(step(lines, l));
  const block = [`${indent}healthcheck:`, `${inner}test: ${test}`, `${inner}interval: 10s`, `${inner}timeout: 5s`, `${inner}retries: 5`];
  return [{ title: known ? `Add a healthcheck for ${image.split(':')[0]}` : 'Add a healthcheck (adjust the probe)', edits: [{ range: at(l + 1, 0), newText: block.join(lines.eol) + lines.eol }], preferred: true, safe: !!known }];
};

/** `depends_on: [db]` → the long form, waiting for the flagged service to be healthy and the others to start. */
const waitHealthy: FixProvider = ({ finding, text }) => {
  const lines = new Lines(text);
  const l = finding.range.start.line;
  const item = /^(\s*)-\s*["']?([\w.-]+)["']?\s*$/.exec(lines.line(l));
  if (item) {
    let first = l;
    while (first > 0 && /^\s*-\s*/.test(lines.line(first - 1)) && lines.indentOf(first - 1) === item[1]) first--;
    let last = l;
    while (/^\s*-\s*/.test(lines.line(last + 1)) && lines.indentOf(last + 1) === item[1]) last++;
    const keyLine = first - 1;
    const keyIndent = lines.indentOf(keyLine);
    const unit = Math.max(2, step(lines, keyLine) || 2);
    const inner = keyIndent + ' '.repeat(unit);
    const out: string[] = [];
    for (let k = first; k <= last; k++) {
      const name = /^\s*-\s*["']?([\w.-]+)/.exec(lines.line(k))![1];
      out.push(`${inner}${name}:`, `${inner}${' '.repeat(unit)}condition: ${k === l ? 'service_healthy' : 'service_started'}`);
    }
    return [{ title: `Wait for ${item[2]} to be healthy`, edits: [{ range: { start: { line: first, character: 0 }, end: { line: last, character: lines.line(last).length } }, newText: out.join(lines.eol) }], preferred: true, safe: true }];
  }
  const key = /^(\s*)["']?([\w.-]+)["']?\s*:\s*$/.exec(lines.line(l));
  if (!key) return [];
  const inner = childIndent(lines, l);
  for (let k = l + 1; k < lines.lines.length && lines.indentOf(k).length >= inner.length; k++) {
    const cond = new RegExp(`^${inner}condition:\\s*(\\S+)`).exec(lines.line(k));
    if (cond) {
      const start = lines.line(k).indexOf(cond[1]);
      return [{ title: `Wait for ${key[2]} to be healthy`, edits: [{ range: { start: { line: k, character: start }, end: { line: k, character: start + cond[1].length } }, newText: 'service_healthy' }], preferred: true, safe: true }];
    }
  }
  return [{ title: `Wait for ${key[2]} to be healthy`, edits: [{ range: at(l + 1, 0), newText: `${inner}condition: service_healthy${lines.eol}` }], preferred: true, safe: true }];
};

export const COMPOSE_FIXES: Array<[names: string[], provider: FixProvider]> = [
  [['no-version-field'], removeVersion],
  [['no-public-admin-port'], bindToLoopback],
  [['require-restart-policy'], addRestartPolicy],
  [['no-plaintext-secret'], secretToVariable],
  [['require-healthcheck'], addHealthcheck],
  [['depends-on-healthy'], waitHealthy],
  [['no-latest-tag'], pinTag],
];
