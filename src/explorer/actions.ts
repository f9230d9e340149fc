/**
 * What a person can do from the explorer: inspect, copy an ID, follow logs, open a shell, start/stop/restart/remove,
 * prune, create. Everything that changes the daemon asks for a trusted workspace, and everything that destroys
 * asks for confirmation first. Each message says what Docker did, so the action teaches as it goes.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import * as vscode from 'vscode';
import { DaemonCallError } from '../docker/api';
import { DaemonWatcher } from '../docker/daemonWatcher';
import { formatBytes, shortId } from '../docker/model';
import { ExplorerNode, resourceOf } from './trees';

export const INSPECT_SCHEME = 'dockwise-inspect';

/** Read-only JSON documents for `docker inspect`: dockwise-inspect:/<kind>/<id>.json */
export class InspectDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly watcher: DaemonWatcher) {}

  static uri(kind: string, id: string, label: string): vscode.Uri {
    return vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${kind}/${label.replace(/[/\\:]/g, '_')}.json`, query: new URLSearchParams({ id }).toString() });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const kind = uri.path.split('/')[1];
    const id = new URLSearchParams(uri.query).get('id') ?? '';
    const paths: Record<string, string> = { image: `/images/${encodeURIComponent(id)}/json`, container: `/containers/${encodeURIComponent(id)}/json`, volume: `/volumes/${encodeURIComponent(id)}`, network: `/networks/${encodeURIComponent(id)}` };
    const path = paths[kind];
    if (!path) return `// nothing to inspect at ${uri.toString()}`;
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      return JSON.stringify(await this.watcher.api.get(path, { signal: ac.signal }), null, 2) + '\n';
    } catch (e) {
      return `// docker inspect ${id} failed: ${(e as Error).message}\n`;
    } finally {
      sub.dispose();
    }
  }
}

function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`${action} changes your Docker daemon, so it needs a trusted workspace.`, 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

async function confirm(message: string, detail: string, button: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, button)) === button;
}

function report(e: unknown, what: string, log: vscode.LogOutputChannel): void {
  const msg = e instanceof DaemonCallError ? e.message : String((e as Error)?.message ?? e);
  log.error(`${what}: ${msg}`);
  void vscode.window.showErrorMessage(`${what} failed: ${msg}`);
}

/** Names a Docker object without a tree element, so other features can call the explorer's actions. */
export interface ResourceRef {
  kind: 'image' | 'container' | 'volume' | 'network';
  id: string;
  label: string;
}

function isResourceRef(x: unknown): x is ResourceRef {
  const r = x as ResourceRef;
  return !!r && typeof r === 'object' && ['image', 'container', 'volume', 'network'].includes(r.kind) && typeof r.id === 'string' && typeof r.label === 'string';
}

export class ExplorerActions implements vscode.Disposable {
  private readonly logStreams = new Map<string, { channel: vscode.OutputChannel; stream?: IncomingMessage }>();

  constructor(
    private readonly watcher: DaemonWatcher,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    for (const { channel, stream } of this.logStreams.values()) {
      stream?.destroy();
      channel.dispose();
    }
    this.logStreams.clear();
  }

  private get api() {
    return this.watcher.api;
  }

  register(): vscode.Disposable[] {
    const cmd = (id: string, fn: (node?: ExplorerNode | ResourceRef) => unknown) => vscode.commands.registerCommand(id, fn);
    return [
      cmd('dockwise.explorer.inspect', (n) => this.inspect(n)),
      cmd('dockwise.explorer.copyId', (n) => this.copyId(n)),
      cmd('dockwise.explorer.container.logs', (n) => this.logs(n)),
      cmd('dockwise.explorer.container.shell', (n) => this.shell(n)),
      cmd('dockwise.explorer.container.start', (n) => this.containerAction(n, 'start')),
      cmd('dockwise.explorer.container.stop', (n) => this.containerAction(n, 'stop')),
      cmd('dockwise.explorer.container.restart', (n) => this.containerAction(n, 'restart')),
      cmd('dockwise.explorer.container.remove', (n) => this.removeContainer(n)),
      cmd('dockwise.explorer.image.remove', (n) => this.removeImage(n)),
      cmd('dockwise.explorer.volume.remove', (n) => this.removeVolume(n)),
      cmd('dockwise.explorer.network.remove', (n) => this.removeNetwork(n)),
      cmd('dockwise.explorer.images.prune', () => this.prune('images')),
      cmd('dockwise.explorer.volumes.prune', () => this.prune('volumes')),
      cmd('dockwise.explorer.volume.create', (name) => this.createVolume(typeof name === 'string' ? name : undefined)),
      cmd('dockwise.explorer.network.create', (name) => this.createNetwork(typeof name === 'string' ? name : undefined)),
    ];
  }

  /** The object an action works on: a tree element, or `{ kind, id, label }` from another command or a test. */
  private pick(node: ExplorerNode | ResourceRef | undefined, kind?: string) {
    const r = node && ('type' in node ? resourceOf(node) : isResourceRef(node) ? node : undefined);
    if (!r || (kind && r.kind !== kind)) {
      void vscode.window.showInformationMessage(`Run this from a ${kind ?? 'Docker object'} in the Docker explorer.`);
      return undefined;
    }
    return r;
  }

  async inspect(node?: ExplorerNode | ResourceRef): Promise<vscode.TextEditor | undefined> {
    const r = this.pick(node);
    if (!r) return undefined;
    const doc = await vscode.workspace.openTextDocument(InspectDocuments.uri(r.kind, r.id, r.label));
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  async copyId(node?: ExplorerNode | ResourceRef): Promise<string | undefined> {
    const r = this.pick(node);
    if (!r) return undefined;
    const id = r.id.replace(/^sha256:/, '');
    await vscode.env.clipboard.writeText(id);
    vscode.window.setStatusBarMessage(`Copied ${r.kind} ID ${shortId(id)}`, 3000);
    return id;
  }

  /** Streams `docker logs --follow` into an output channel named for the container. */
  async logs(node?: ExplorerNode | ResourceRef): Promise<void> {
    const r = this.pick(node, 'container');
    if (!r) return;
    let entry = this.logStreams.get(r.id);
    if (!entry) {
      entry = { channel: vscode.window.createOutputChannel(`Docker logs: ${r.label}`) };
      this.logStreams.set(r.id, entry);
    }
    entry.channel.show(true);
    if (entry.stream && !entry.stream.destroyed) return;
    try {
      const info = await this.api.get<{ Config?: { Tty?: boolean } }>(`/containers/${r.id}/json`);
      const stream = await this.api.stream(`/containers/${r.id}/logs`, { query: { follow: true, stdout: true, stderr: true, tail: 1000 } });
      entry.stream = stream;
      const channel = entry.channel;
      channel.appendLine(`$ docker logs --follow --tail 1000 ${r.label}`);
      const sink = new PassThrough();
      sink.setEncoding('utf8');
      sink.on('data', (s: string) => channel.append(s));
      if (info.Config?.Tty) stream.pipe(sink);
      else this.watcher.docker.modem.demuxStream(stream, sink, sink);
      stream.on('end', () => channel.appendLine('--- the container stopped; the log ends here ---'));
    } catch (e) {
      report(e, `Logs of ${r.label}`, this.log);
    }
  }

  /** `docker exec -it <id> sh` in a terminal: the CLI owns the TTY, which a terminal is for. */
  shell(node?: ExplorerNode | ResourceRef): vscode.Terminal | undefined {
    const r = this.pick(node, 'container');
    if (!r) return undefined;
    const ep = this.watcher.endpoint;
    const env: Record<string, string> = {};
    if (ep.source === 'setting' || ep.source === 'env') {
      env.DOCKER_HOST = ep.host;
      if (ep.tls?.certPath) env.DOCKER_CERT_PATH = ep.tls.certPath;
      if (ep.tls?.verify) env.DOCKER_TLS_VERIFY = '1';
    } else if (ep.source === 'context' && ep.contextName) env.DOCKER_CONTEXT = ep.contextName;
    const terminal = vscode.window.createTerminal({ name: `sh: ${r.label}`, shellPath: 'docker', shellArgs: ['exec', '-it', r.id, 'sh'], env, iconPath: new vscode.ThemeIcon('terminal') });
    terminal.show();
    return terminal;
  }

  async containerAction(node: ExplorerNode | ResourceRef | undefined, action: 'start' | 'stop' | 'restart'): Promise<boolean> {
    const r = this.pick(node, 'container');
    if (!r || !requireTrust(`${action[0].toUpperCase()}${action.slice(1)}ing a container`)) return false;
    return vscode.window.withProgress({ location: { viewId: 'dockwise.containers' } }, async () => {
      try {
        await this.api.post(`/containers/${r.id}/${action}`, { timeoutMs: 60_000 });
        this.log.info(`docker ${action} ${r.label}`);
        return true;
      } catch (e) {
        report(e, `docker ${action} ${r.label}`, this.log);
        return false;
      }
    });
  }

  async removeContainer(node?: ExplorerNode | ResourceRef): Promise<boolean> {
    const r = this.pick(node, 'container');
    if (!r || !requireTrust('Removing a container')) return false;
    const running = node && 'type' in node && node.type === 'container' ? node.container.running : true;
    if (!(await confirm(`Remove container ${r.label}?`, `${running ? 'It is running and will be stopped first. ' : ''}Its writable layer (files it changed) is deleted; named volumes are kept.`, 'Remove'))) return false;
    try {
      await this.api.delete(`/containers/${r.id}`, { query: { force: running }, timeoutMs: 60_000 });
      this.log.info(`docker rm ${running ? '--force ' : ''}${r.label}`);
      return true;
    } catch (e) {
      report(e, `Removing ${r.label}`, this.log);
      return false;
    }
  }

  async removeImage(node?: ExplorerNode | ResourceRef): Promise<boolean> {
    const r = this.pick(node, 'image');
    if (!r || !requireTrust('Removing an image')) return false;
    const ref = node && 'type' in node && node.type === 'image' && node.image.repository !== '<none>' ? node.image.ref : r.label;
    if (!(await confirm(`Remove image ${ref}?`, ref === r.id ? 'Its layers are deleted unless another image uses them.' : 'This removes the tag; the layers go too when no other tag or image uses them.', 'Remove'))) return false;
    try {
      const answer = await this.api.delete<{ Untagged?: string; Deleted?: string }[]>(`/images/${encodeURIComponent(ref)}`, { timeoutMs: 60_000 });
      const deleted = (answer ?? []).filter((a) => a.Deleted).length;
      void vscode.window.showInformationMessage(`Removed ${ref}: ${deleted ? `${deleted} layer${deleted === 1 ? '' : 's'} and config deleted` : 'untagged, its layers are still used'}.`);
      return true;
    } catch (e) {
      if (e instanceof DaemonCallError && e.statusCode === 409) {
        void vscode.window.showWarningMessage(`${ref} is still in use: ${e.message}. Remove the containers that use it first.`);
        return false;
      }
      report(e, `Removing ${ref}`, this.log);
      return false;
    }
  }

  async removeVolume(node?: ExplorerNode | ResourceRef): Promise<boolean> {
    const r = this.pick(node, 'volume');
    if (!r || !requireTrust('Removing a volume')) return false;
    if (!(await confirm(`Remove volume ${r.label}?`, 'The data in it is deleted for good.', 'Remove'))) return false;
    try {
      await this.api.delete(`/volumes/${encodeURIComponent(r.id)}`);
      return true;
    } catch (e) {
      report(e, `Removing volume ${r.label}`, this.log);
      return false;
    }
  }

  async removeNetwork(node?: ExplorerNode | ResourceRef): Promise<boolean> {
    const r = this.pick(node, 'network');
    if (!r || !requireTrust('Removing a network')) return false;
    if (!(await confirm(`Remove network ${r.label}?`, 'Containers still attached to it keep it from being removed.', 'Remove'))) return false;
    try {
      await this.api.delete(`/networks/${encodeURIComponent(r.id)}`);
      return true;
    } catch (e) {
      report(e, `Removing network ${r.label}`, this.log);
      return false;
    }
  }

  /** Prunes dangling images or unused volumes and says what went and how much space it freed. */
  async prune(what: 'images' | 'volumes'): Promise<string | undefined> {
    if (!requireTrust(`Pruning ${what}`)) return undefined;
    const detail = what === 'images' ? 'Images with no tag and no container are deleted.' : 'Volumes no container uses are deleted, with their data.';
    if (!(await confirm(`Prune unused ${what}?`, detail, 'Prune'))) return undefined;
    try {
      const answer = await this.api.post<{ ImagesDeleted?: unknown[] | null; VolumesDeleted?: string[] | null; SpaceReclaimed?: number }>(`/${what}/prune`, {
        query: what === 'images' ? { filters: { dangling: ['true'] } } : {},
        timeoutMs: 120_000,
      });
      const count = (what === 'images' ? answer.ImagesDeleted : answer.VolumesDeleted)?.length ?? 0;
      const summary = count ? `Pruned ${count} ${what === 'images' ? 'image layer' : 'volume'}${count === 1 ? '' : 's'}, freeing ${formatBytes(answer.SpaceReclaimed ?? 0)}.` : `Nothing to prune: no unused ${what}.`;
      this.log.info(summary);
      void vscode.window.showInformationMessage(summary);
      return summary;
    } catch (e) {
      report(e, `Pruning ${what}`, this.log);
      return undefined;
    }
  }

  async createVolume(name?: string): Promise<string | undefined> {
    if (!requireTrust('Creating a volume')) return undefined;
    const chosen =
      typeof name === 'string'
        ? name
        : await vscode.window.showInputBox({ title: 'Create a Docker volume', prompt: 'Name (empty for a generated one)', validateInput: (v) => (!v || /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v) ? undefined : 'Letters, digits, _ . - only, starting with a letter or digit') });
    if (chosen === undefined) return undefined;
    try {
      const v = await this.api.post<{ Name: string }>('/volumes/create', { body: chosen ? { Name: chosen } : {} });
      return v.Name;
    } catch (e) {
      report(e, 'Creating a volume', this.log);
      return undefined;
    }
  }

  async createNetwork(name?: string): Promise<string | undefined> {
    if (!requireTrust('Creating a network')) return undefined;
    const chosen =
      typeof name === 'string'
        ? name
        : await vscode.window.showInputBox({ title: 'Create a Docker network', prompt: 'Name', validateInput: (v) => (/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v) ? undefined : 'Letters, digits, _ . - only, starting with a letter or digit') });
    if (!chosen) return undefined;
    const internal = typeof name === 'string' ? false : (await vscode.window.showQuickPick(['Can reach outside', 'Internal (no route outside)'], { title: `Network ${chosen}` })) === 'Internal (no route outside)';
    try {
      await this.api.post('/networks/create', { body: { Name: chosen, Driver: 'bridge', Internal: internal, CheckDuplicate: true } });
      return chosen;
    } catch (e) {
      report(e, 'Creating a network', this.log);
      return undefined;
    }
  }
}
