/** Fixes of compose files that add to or change a service definition. All but the version removal change it. */
import { isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { parseImageRef } from '../../dockerfile/imageRef';
import type { Finding } from '../../types';
import type { ComposeFixContext } from '../context';
import { pos } from '../text';
import type { FixDefinition, Proposal } from '../types';
import { flow, insertIntoMap, nodeStartingAt, quoted, replaceNode, serviceAt } from './yamlEdit';

const offsetOf = (fx: ComposeFixContext, f: Finding) => fx.lines.offsetAt(f.range.start);

/** The obsolete top-level `version:` line: Compose ignores it, so removing it changes nothing. */
export const removeVersion: FixDefinition<ComposeFixContext> = {
  id: 'remove-version',
  kind: 'compose',
  rules: ['no-version-field'],
  safety: 'safe',
  propose(fx, finding) {
    const root = fx.compose.doc.contents;
    if (!isMap(root) || root.flow) return [];
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'version' && (p.key as Node).range?.[0] === offsetOf(fx, finding));
    const key = pair?.key as Node | undefined;
    const val = pair?.value as Node | undefined;
    if (!key?.range || !val?.range) return [];
    const lines = fx.lines;
    const first = lines.positionAt(key.range[0]);
    const last = lines.positionAt(val.range[1]);
    // Only a pair that has its lines to itself (a trailing comment goes with it).
    if (first.character !== 0 || !/^\s*(#.*)?$/.test(lines.line(last.line).slice(last.character))) return [];
    const blankAfter = lines.hasEol(last.line) && last.line + 1 < lines.count - 1 && !lines.line(last.line + 1).trim() && (first.line === 0 || !lines.line(first.line - 1).trim());
    return [{ title: 'Remove the obsolete version field', edits: [{ range: lines.wholeLines(first.line, blankAfter ? last.line + 1 : last.line), newText: '' }] }];
  },
};

function addToService(fx: ComposeFixContext, finding: Finding, key: string, v: Parameters<typeof insertIntoMap>[4]) {
  const svc = serviceAt(fx, offsetOf(fx, finding));
  if (!svc?.map) return undefined;
  if (svc.map.items.some((p) => isScalar(p.key) && p.key.value === key)) return undefined;
  return insertIntoMap(fx, svc.pair, svc.map, key, v);
}

export const addRestartPolicy: FixDefinition<ComposeFixContext> = {
  id: 'add-restart-policy',
  kind: 'compose',
  rules: ['require-restart-policy'],
  safety: 'review',
  risk: 'the container then also comes back after a crash and whenever Docker starts',
  propose(fx, finding) {
    const edit = addToService(fx, finding, 'restart', 'unless-stopped');
    return edit ? [{ title: 'Add restart: unless-stopped', edits: [edit] }] : [];
  },
};

/** Probes that ship in every tag of these official images (pg_isready since PostgreSQL 9.3, redis-cli always). */
const PROBES: Record<string, { name: string; test: string[] }> = {
  postgres: { name: 'pg_isready', test: ['"CMD-SHELL"', '"pg_isready -U $${POSTGRES_USER:-postgres}"'] },
  redis: { name: 'redis-cli ping', test: ['"CMD"', '"redis-cli"', '"ping"'] },
  valkey: { name: 'valkey-cli ping', test: ['"CMD"', '"valkey-cli"', '"ping"'] },
};

export const addComposeHealthcheck: FixDefinition<ComposeFixContext> = {
  id: 'add-compose-healthcheck',
  kind: 'compose',
  rules: ['require-healthcheck'],
  safety: 'review',
  risk: 'the service is then marked unhealthy when the probe fails, and services that wait for it to be healthy wait for the probe',
  propose(fx, finding) {
    const svc = serviceAt(fx, offsetOf(fx, finding));
    const image = svc?.map?.items.find((p) => isScalar(p.key) && p.key.value === 'image')?.value;
    if (!isScalar(image) || typeof image.value !== 'string' || image.value.includes('$')) return [];
    const official = /^(?:docker\.io\/)?(?:library\/)?([a-z0-9._-]+)$/.exec(parseImageRef(image.value.toLowerCase()).repository)?.[1];
    const probe = official ? PROBES[official] : undefined;
    if (!probe) return [];
    const edit = addToService(fx, finding, 'healthcheck', { test: { flowList: probe.test }, interval: '10s', timeout: '5s', retries: '5' });
    return edit ? [{ title: `Add a healthcheck that runs ${probe.name}`, edits: [edit] }] : [];
  },
};

const ALL_INTERFACES = /^(0\.0\.0\.0|::|\[::\]):/;

export const bindToLoopback: FixDefinition<ComposeFixContext> = {
  id: 'bind-to-loopback',
  kind: 'compose',
  rules: ['no-public-admin-port'],
  safety: 'review',
  risk: 'other machines can no longer connect to it (services on the compose network still can)',
  propose(fx, finding) {
    // A short-syntax port is a scalar; a long-syntax one a mapping starting where its first key does.
    const hit = nodeStartingAt(fx, offsetOf(fx, finding), (n) => isScalar(n) || isMap(n));
    const node0 = hit && isScalar(hit.node) && isPair(hit.path[hit.path.length - 1]) ? nodeStartingAt(fx, offsetOf(fx, finding), isMap) : hit;
    if (!node0) return [];
    const title = 'Publish the port on 127.0.0.1 only';
    const node = node0.node;
    if (isMap(node)) {
      const parent = [...node0.path].reverse().find((p) => isPair(p)) as Pair | undefined;
      if (!parent || node.items.some((p) => isScalar(p.key) && p.key.value === 'host_ip')) return [];
      // A long-syntax port in a sequence: add host_ip as its first key, in flow or block style.
      const edit = node.flow ? insertIntoMap(fx, parent, node, 'host_ip', '127.0.0.1') : insertFirstInSeqItem(fx, node, 'host_ip: 127.0.0.1');
      return edit ? [{ title, edits: [edit] }] : [];
    }
    if (!isScalar(node) || !node.range) return [];
    const written = fx.text.slice(node.range[0], node.range[1]);
    const quote = /^["']/.test(written) ? written[0] : '';
    const inner = quote ? written.slice(1, -1) : written;
    const rest = inner.replace(ALL_INTERFACES, '');
    const value = `127.0.0.1:${/^\d+(-\d+)?(\/\w+)?$/.test(rest) ? ':' : ''}${rest}`;
    const edit = replaceNode(fx, node, quote === "'" ? `'${value}'` : quoted(value));
    return edit ? [{ title, edits: [edit] }] : [];
  },
};

/** `- target: 5432` → `- host_ip: 127.0.0.1` + `  target: 5432` (the new key takes the first key's place after the dash). */
function insertFirstInSeqItem(fx: ComposeFixContext, map: YAMLMap, entry: string) {
  const first = map.items[0]?.key as Node | undefined;
  if (!first?.range) return undefined;
  const p = fx.lines.positionAt(first.range[0]);
  const eol = fx.lines.eolAt(p.line);
  return { range: { start: p, end: p }, newText: `${entry}${eol}${' '.repeat(p.character)}` };
}

/** The dependency a finding points at: an item of a `depends_on` list, or a key of its long form. */
export const waitForHealthy: FixDefinition<ComposeFixContext> = {
  id: 'wait-for-healthy',
  kind: 'compose',
  rules: ['depends-on-healthy'],
  safety: 'review',
  risk: 'compose up then waits for its healthcheck to pass, and stops with an error if it never does',
  propose(fx, finding): Proposal[] {
    const hit = nodeStartingAt(fx, offsetOf(fx, finding));
    if (!hit || !isScalar(hit.node)) return [];
    const name = String((hit.node as Scalar).value);
    const title = `Wait for ${name} to be healthy`;
    const parent = hit.path[hit.path.length - 1];
    if (isSeq(parent)) return waitInList(fx, hit.path, parent, hit.node, title);
    // Long form: `db:` with a map (set or add condition) or with nothing.
    const pair = parent as Pair;
    if (!isPair(pair) || pair.key !== hit.node) return [];
    const dep = pair.value;
    if (isMap(dep)) {
      const cond = dep.items.find((p) => isScalar(p.key) && p.key.value === 'condition');
      if (cond && isScalar(cond.value)) {
        const edit = replaceNode(fx, cond.value, 'service_healthy');
        return edit ? [{ title, edits: [edit] }] : [];
      }
      const edit = insertIntoMap(fx, pair, dep, 'condition', 'service_healthy');
      return edit ? [{ title, edits: [edit] }] : [];
    }
    if (dep === null || (isScalar(dep) && dep.value === null)) {
      const end = fx.lines.positionAt((hit.node as Node).range![1]);
      const colon = fx.lines.line(end.line).indexOf(':', end.character);
      if (colon < 0) return [];
      const afterColon = fx.lines.line(end.line).slice(colon + 1);
      if (afterColon.trim() && !afterColon.trim().startsWith('#')) return [];
      const at = pos(end.line, colon + 1);
      return [{ title, edits: [{ range: { start: at, end: at }, newText: ' {condition: service_healthy}' }] }];
    }
    return [];
  },
};

/** `depends_on: [db, cache]` or its block list → the long form, waiting for `target` to be healthy and the others to start. */
function waitInList(fx: ComposeFixContext, path: readonly unknown[], seq: YAMLSeq, target: Node, title: string): Proposal[] {
  const names = seq.items.map((i) => (isScalar(i) ? String(i.value) : undefined));
  if (names.some((n) => n === undefined || !/^[\w.-]+$/.test(n)) || !seq.range) return [];
  const cond = (i: number) => (seq.items[i] === target ? 'service_healthy' : 'service_started');
  if (seq.flow) {
    const edit = replaceNode(fx, seq, flow(Object.fromEntries(names.map((n, i) => [n!, { condition: cond(i) }]))));
    return edit ? [{ title, edits: [edit] }] : [];
  }
  const pair = path[path.length - 2];
  if (!isPair(pair) || !(pair.key as Node | null)?.range) return [];
  const lines = fx.lines;
  const keyAt = lines.positionAt((pair.key as Node).range![0]);
  const items = seq.items.map((i) => lines.positionAt((i as Node).range![0]));
  if (items.some((p, k) => !/^\s*-\s*$/.test(lines.line(p.line).slice(0, p.character)) || (k > 0 && p.line === items[k - 1].line))) return [];
  const firstLine = items[0].line;
  const lastItem = seq.items[seq.items.length - 1] as Node;
  const lastAt = lines.positionAt(lastItem.range![1]);
  const dash = lines.line(firstLine).indexOf('-');
  const inner = ' '.repeat(Math.max(dash, keyAt.character + 2));
  const unit = ' '.repeat(Math.max(2, inner.length - keyAt.character));
  const eol = lines.eolAt(firstLine);
  const out = names.flatMap((n, i) => [`${inner}${n}:`, `${inner}${unit}condition: ${cond(i)}`]);
  return [{ title, edits: [{ range: { start: pos(firstLine, 0), end: lines.endOf(lastAt.line) }, newText: out.join(eol) }] }];
}
