/**
 * Shared by the explorer's integration tests: reading the explorer (as data, and as VS Code last drew it),
 * evaluating `when` clauses of the manifest, and a tiny in-memory image registry (Docker Registry HTTP API v2,
 * enough for `docker push` and `docker pull`) on 127.0.0.1, which the daemon trusts without TLS.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { EXTENSION_ID, queryWorkbench, waitFor } from '../support';

export interface SnapshotNode {
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  children?: SnapshotNode[];
}
export interface RenderedItem {
  label: string;
  description?: string;
  contextValue?: string;
  tooltip?: string;
}
export type Kind = 'images' | 'containers' | 'volumes' | 'networks';
export interface Snapshot {
  state: 'connecting' | 'up' | 'down';
  endpoint: string;
  problem?: string;
  lastError?: string;
  version?: string;
  choice?: unknown;
  views: Partial<Record<Kind, SnapshotNode[]>>;
  rendered?: Partial<Record<Kind, Record<string, RenderedItem>>>;
  followingStats?: string[];
}

export const snapshot = (opts: { depth?: number; views?: Kind[]; under?: string[] } = {}) => vscode.commands.executeCommand<Snapshot>('dockwise.explorer.snapshot', opts);
export const labels = (nodes: SnapshotNode[] | undefined) => (nodes ?? []).map((n) => n.label);

/** What VS Code last drew in a view, by element key: it reads nothing, so it cannot refresh what it checks. */
export async function rendered(kind: Kind): Promise<Record<string, RenderedItem>> {
  return (await vscode.commands.executeCommand<Snapshot>('dockwise.explorer.snapshot', { rendered: true, views: [kind] })).rendered?.[kind] ?? {};
}

/** Waits until VS Code has drawn the element with this key as `pred` wants. */
export async function waitRendered(kind: Kind, key: string, pred: (item: RenderedItem) => boolean, what: string, timeoutMs = 2000): Promise<RenderedItem> {
  let last: RenderedItem | undefined;
  try {
    return await waitFor(what, async () => {
      last = (await rendered(kind))[key];
      return last && pred(last) ? last : undefined;
    }, timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last drawn: ${JSON.stringify(last)}`);
  }
}

export async function waitUp(timeoutMs = 20_000): Promise<void> {
  await waitFor('the explorer to be up', async () => ((await snapshot({ views: [] })).state === 'up' ? true : undefined), timeoutMs);
}

/** Waits until the workbench shows a notification whose text matches, and returns that text. */
export async function toastShown(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const matches = (t: string) => (typeof text === 'string' ? t.includes(text) : text.test(t));
  let seen: string[] = [];
  try {
    return await waitFor(`a notification saying ${text}`, async () => (seen = (await queryWorkbench('.notification-toast')).map((n) => n.text)).find(matches), timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}; shown: ${JSON.stringify(seen)}`);
  }
}

// ---- `when` clauses -----------------------------------------------------------------------------------------------

/**
 * Evaluates the subset of VS Code's `when` grammar the manifest uses: `||`, `&&`, `!key`, `key`, `==`, `!=` and
 * `=~ /regex/`, with unset keys as undefined.
 */
export function evaluateWhen(when: string, ctx: Record<string, string | boolean | undefined>): boolean {
  return when.split('||').some((alt) =>
    alt.split('&&').every((raw) => {
      const term = raw.trim();
      let m: RegExpExecArray | null;
      if ((m = /^(\S+)\s*=~\s*\/(.*)\/$/.exec(term))) return new RegExp(m[2]).test(String(ctx[m[1]] ?? ''));
      if ((m = /^(\S+)\s*(==|!=)\s*(\S+)$/.exec(term))) return (String(ctx[m[1]] ?? '') === m[3]) === (m[2] === '==');
      if (term.startsWith('!')) return !ctx[term.slice(1)];
      if (term === 'true' || term === 'false') return term === 'true';
      return !!ctx[term];
    }),
  );
}

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

export function manifest(): { contributes: { menus: Record<string, MenuEntry[]>; viewsWelcome: { view: string; when: string; contents: string }[]; commands: { command: string; title: string }[] } } {
  return vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
}

/** The commands an element's context menu offers (inline buttons included), for a context value. */
export function menuFor(contextValue: string, view: string): string[] {
  const entries = manifest().contributes.menus['view/item/context'];
  return [...new Set(entries.filter((e) => evaluateWhen(e.when ?? 'true', { viewItem: contextValue, view, isWorkspaceTrusted: true })).map((e) => e.command))];
}

// ---- A registry ---------------------------------------------------------------------------------------------------

export interface Registry {
  host: string;
  manifests: Map<string, { type: string; body: Buffer }>;
  close(): Promise<void>;
}

const digestOf = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');

/** A registry on `address` (the daemon must be able to reach it, and trust it over plain HTTP). */
export async function startRegistry(address = '127.0.0.1'): Promise<Registry> {
  const blobs = new Map<string, Buffer>();
  const uploads = new Map<string, Buffer[]>();
  const manifests = new Map<string, { type: string; body: Buffer }>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://registry');
      const send = (status: number, headers: Record<string, string> = {}, data?: Buffer) => {
        res.writeHead(status, { 'Docker-Distribution-API-Version': 'registry/2.0', 'Content-Length': String(data?.length ?? 0), ...headers });
        res.end(req.method === 'HEAD' ? undefined : data);
      };
      let m: RegExpExecArray | null;
      if (url.pathname === '/v2/' || url.pathname === '/v2') return send(200, { 'Content-Type': 'application/json' }, Buffer.from('{}'));
      if ((m = /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/.exec(url.pathname))) {
        const [, name, id] = m;
        if (req.method === 'POST') {
          const uuid = randomUUID();
          uploads.set(uuid, body.length ? [body] : []);
          return send(202, { Location: `/v2/${name}/blobs/uploads/${uuid}`, Range: '0-0', 'Docker-Upload-UUID': uuid });
        }
        const parts = uploads.get(id);
        if (!parts) return send(404);
        if (body.length) parts.push(body);
        const size = parts.reduce((s, p) => s + p.length, 0);
        if (req.method === 'PATCH') return send(202, { Location: `/v2/${name}/blobs/uploads/${id}`, Range: `0-${Math.max(0, size - 1)}`, 'Docker-Upload-UUID': id });
        if (req.method === 'PUT') {
          const data = Buffer.concat(parts);
          const digest = url.searchParams.get('digest') ?? '';
          if (digestOf(data) !== digest) return send(400, { 'Content-Type': 'application/json' }, Buffer.from('{"errors":[{"code":"DIGEST_INVALID"}]}'));
          blobs.set(digest, data);
          uploads.delete(id);
          return send(201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
        }
      }
      if ((m = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]+)$/.exec(url.pathname))) {
        const data = blobs.get(m[2]);
        return data ? send(200, { 'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': m[2] }, data) : send(404);
      }
      if ((m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname))) {
        const key = `${m[1]}:${m[2]}`;
        if (req.method === 'PUT') {
          const digest = digestOf(body);
          const entry = { type: String(req.headers['content-type'] ?? ''), body };
          manifests.set(key, entry);
          manifests.set(`${m[1]}:${digest}`, entry);
          return send(201, { Location: `/v2/${m[1]}/manifests/${digest}`, 'Docker-Content-Digest': digest });
        }
        const found = manifests.get(key);
        return found ? send(200, { 'Content-Type': found.type, 'Docker-Content-Digest': digestOf(found.body) }, found.body) : send(404, { 'Content-Type': 'application/json' }, Buffer.from('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}'));
      }
      send(404);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `${address}:${port}`,
    manifests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Widens the side bar for readable screenshots of the explorer; returns what puts it back for the suites after. */
export async function widenSidebar(steps = 4): Promise<() => Promise<void>> {
  // These commands size the editor area, whatever has focus: a narrower editor makes a wider side bar.
  const resize = async (command: string) => {
    for (let i = 0; i < steps; i++) await vscode.commands.executeCommand(command);
  };
  await resize('workbench.action.decreaseViewWidth');
  return () => resize('workbench.action.increaseViewWidth');
}
