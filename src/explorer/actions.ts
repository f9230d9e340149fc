/**
 * What a person can do from the explorer: inspect, copy an ID, an address or the ports, follow logs, open a shell or
 * a browser, start/stop/restart/pause/remove, run, tag, push and pull images, prune, create. Everything that changes
 * the daemon asks for a trusted workspace, and everything that destroys says what will go and asks first. Each
 * message says what Docker did, so the action teaches as it goes.
 *
 * Commands take an optional last argument for scripts and tests: `{ answer }` answers the confirmation instead of
 * the modal dialog (the question is still logged and returned), and `{ ports, name, network, ref, port }` fill in
 * what an input box would ask.
 */
import { execFile } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import * as vscode from 'vscode';
import { DaemonCallError } from '../docker/api';
import { dockerCliEnv } from '../docker/connection';
import { DaemonWatcher } from '../docker/daemonWatcher';
import { describePlan, fetchPrunePlan, imageDependents, pruneVolumes, systemPrune } from '../docker/maintenance';
import { formatBytes, isReference, parsePorts, shortId, splitRef, uniquePublished } from '../docker/model';
import { runCliTask } from './cliTask';
import { containerState, ExplorerNode, portUrl, PublishedPort, resourceOf } from './trees';

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

/** What a command may be given besides its target, by scripts and tests. */
export interface ActionOptions {
  /** Answers the confirmation (a button's title, or anything else for Cancel) instead of showing it. */
  answer?: string;
  ports?: string[];
  name?: string;
  network?: string;
  ref?: string;
  port?: number;
}

function optionsOf(x: unknown): ActionOptions {
  return x && typeof x === 'object' && !Array.isArray(x) && !('type' in x) && !('kind' in x) ? (x as ActionOptions) : {};
}

/** The question asked last, as shown: tests check that what is said matches what is done. */
export interface Asked {
  message: string;
  detail: string;
  buttons: string[];
}

export async function confirm(message: string, detail: string, buttons: string | string[], opts: ActionOptions = {}, asked?: (a: Asked) => void): Promise<string | undefined> {
  const list = Array.isArray(buttons) ? buttons : [buttons];
  asked?.({ message, detail, buttons: list });
  if (opts.answer !== undefined) return list.includes(opts.answer) ? opts.answer : undefined;
  return vscode.window.showWarningMessage(message, { modal: true, detail }, ...list);
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
  /** The last confirmation asked, for tests and scripts. */
  lastAsked: Asked | undefined;
  private readonly remember = (a: Asked) => {
    this.lastAsked = a;
    this.log.info(`Asked: ${a.message} ${a.detail}`);
  };

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
    const cmd = (id: string, fn: (node: ExplorerNode | ResourceRef | undefined, opts: ActionOptions) => unknown) =>
      vscode.commands.registerCommand(id, (node?: ExplorerNode | ResourceRef, more?: unknown) => fn(node, optionsOf(more)));
    return [
      cmd('dockwise.explorer.inspect', (n) => this.inspect(n)),
      cmd('dockwise.explorer.copyId', (n) => this.copyId(n)),
      cmd('dockwise.explorer.copyAddress', (n) => this.copyAddress(n)),
      cmd('dockwise.explorer.container.copyPorts', (n) => this.copyPorts(n)),
      cmd('dockwise.explorer.container.openInBrowser', (n, o) => this.openInBrowser(n, o)),
      cmd('dockwise.explorer.container.logs', (n) => this.logs(n)),
      cmd('dockwise.explorer.container.shell', (n) => this.shell(n)),
      cmd('dockwise.explorer.container.start', (n) => this.containerAction(n, 'start')),
      cmd('dockwise.explorer.container.stop', (n) => this.containerAction(n, 'stop')),
      cmd('dockwise.explorer.container.restart', (n) => this.containerAction(n, 'restart')),
      cmd('dockwise.explorer.container.pause', (n) => this.containerAction(n, 'pause')),
      cmd('dockwise.explorer.container.unpause', (n) => this.containerAction(n, 'unpause')),
      cmd('dockwise.explorer.container.remove', (n, o) => this.removeContainer(n, o)),
      cmd('dockwise.explorer.image.run', (n, o) => this.runImage(n, o)),
      cmd('dockwise.explorer.image.tag', (n, o) => this.tagImage(n, o)),
      cmd('dockwise.explorer.image.push', (n) => this.pushImage(n)),
      cmd('dockwise.explorer.image.pull', (n, o) => this.pullImage(n, o)),
      cmd('dockwise.explorer.image.remove', (n, o) => this.removeImage(n, o)),
      cmd('dockwise.explorer.volume.remove', (n, o) => this.removeVolume(n, o)),
      cmd('dockwise.explorer.network.remove', (n, o) => this.removeNetwork(n, o)),
      cmd('dockwise.explorer.images.prune', (_n, o) => this.prune('images', optionsOf(_n ?? o))),
      cmd('dockwise.explorer.volumes.prune', (_n, o) => this.prune('volumes', optionsOf(_n ?? o))),
      cmd('dockwise.explorer.system.prune', (_n, o) => this.systemPrune(optionsOf(_n ?? o))),
      cmd('dockwise.explorer.layer.openSource', (n) => this.openLayerSource(n)),
      vscode.commands.registerCommand('dockwise.explorer.volume.create', (name?: unknown) => this.createVolume(typeof name === 'string' ? name : undefined)),
      vscode.commands.registerCommand('dockwise.explorer.network.create', (name?: unknown) => this.createNetwork(typeof name === 'string' ? name : undefined)),
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

  /** A container's current state from the daemon, whatever the tree element says. */
  private async inspectContainer(id: string) {
    return this.api.get<{
      Id: string;
      Name: string;
      State: { Status: string; Running: boolean; Paused: boolean };
      Config?: { Tty?: boolean };
      NetworkSettings?: { Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null; Networks?: Record<string, { IPAddress?: string }> };
    }>(`/containers/${encodeURIComponent(id)}/json`);
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

  /** Copies an IP address: a network row's, or a container's (its first network's, or the one picked). */
  async copyAddress(node?: ExplorerNode | ResourceRef): Promise<string | undefined> {
    let address: string | undefined;
    if (node && 'type' in node && node.type === 'detail') address = node.copy;
    else {
      const r = this.pick(node, 'container');
      if (!r) return undefined;
      const info = await this.inspectContainer(r.id).catch((e) => void report(e, `Reading ${r.label}`, this.log));
      if (!info) return undefined;
      const addresses = Object.entries(info.NetworkSettings?.Networks ?? {}).filter(([, n]) => n.IPAddress).map(([name, n]) => ({ label: n.IPAddress!, description: name }));
      if (!addresses.length) {
        void vscode.window.showInformationMessage(`${r.label} has no IP address: it is not running, or it is on no network (network "none" or "host").`);
        return undefined;
      }
      address = addresses.length === 1 ? addresses[0].label : (await vscode.window.showQuickPick(addresses, { title: `IP address of ${r.label}` }))?.label;
    }
    if (!address) return undefined;
    await vscode.env.clipboard.writeText(address);
    vscode.window.setStatusBarMessage(`Copied ${address}`, 3000);
    return address;
  }

  /** Copies a container's published ports, one `host address → container port` per line. */
  async copyPorts(node?: ExplorerNode | ResourceRef): Promise<string | undefined> {
    const r = this.pick(node, 'container');
    if (!r) return undefined;
    const ports = await this.publishedPorts(r.id);
    if (!ports.length) {
      void vscode.window.showInformationMessage(`${r.label} publishes no ports. Publish one with docker run -p HOST:CONTAINER.`);
      return undefined;
    }
    const text = ports.map((p) => `${portUrl(p).replace(/^http:\/\//, '').replace(/\/$/, '')} -> ${p.containerPort}/${p.protocol}`).join('\n');
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Copied ${ports.length} port${ports.length === 1 ? '' : 's'} of ${r.label}`, 3000);
    return text;
  }

  private async publishedPorts(id: string): Promise<PublishedPort[]> {
    const info = await this.inspectContainer(id);
    const out: PublishedPort[] = [];
    for (const [key, bindings] of Object.entries(info.NetworkSettings?.Ports ?? {})) {
      const [port, protocol = 'tcp'] = key.split('/');
      for (const b of bindings ?? []) if (b.HostPort) out.push({ ip: b.HostIp || undefined, hostPort: Number(b.HostPort), containerPort: Number(port), protocol });
    }
    return uniquePublished(out);
  }

  /** Opens a published TCP port in the browser (forwarded by VS Code when the window is remote). */
  async openInBrowser(node?: ExplorerNode | ResourceRef, opts: ActionOptions = {}): Promise<string | undefined> {
    let port: PublishedPort | undefined = node && 'type' in node && node.type === 'port' ? node.port : undefined;
    if (!port) {
      const r = this.pick(node, 'container');
      if (!r) return undefined;
      const ports = (await this.publishedPorts(r.id).catch(() => [])).filter((p) => p.protocol === 'tcp');
      if (!ports.length) {
        void vscode.window.showInformationMessage(`${r.label} publishes no TCP port to open.`);
        return undefined;
      }
      port = opts.port !== undefined ? ports.find((p) => p.hostPort === opts.port || p.containerPort === opts.port) : ports.length === 1 ? ports[0] : (await vscode.window.showQuickPick(ports.map((p) => ({ label: portUrl(p), description: `→ ${p.containerPort}/tcp`, port: p })), { title: `Open ${r.label} in the browser` }))?.port;
      if (!port) return undefined;
    }
    const url = portUrl(port);
    await vscode.env.openExternal(vscode.Uri.parse(url));
    return url;
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
      const info = await this.inspectContainer(r.id);
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
    const terminal = vscode.window.createTerminal({ name: `sh: ${r.label}`, shellPath: 'docker', shellArgs: ['exec', '-it', r.id, 'sh'], env: dockerCliEnv(this.watcher.endpoint), iconPath: new vscode.ThemeIcon('terminal') });
    terminal.show();
    return terminal;
  }

  /**
   * Start, stop, restart, pause or unpause. The daemon's current state decides what makes sense: a paused container
   * is unpaused, not started (Docker refuses to start it).
   */
  async containerAction(node: ExplorerNode | ResourceRef | undefined, action: 'start' | 'stop' | 'restart' | 'pause' | 'unpause'): Promise<boolean> {
    const r = this.pick(node, 'container');
    const doing = { start: 'Starting', stop: 'Stopping', restart: 'Restarting', pause: 'Pausing', unpause: 'Unpausing' }[action];
    if (!r || !requireTrust(`${doing} a container`)) return false;
    return vscode.window.withProgress({ location: { viewId: 'dockwise.containers' } }, async () => {
      try {
        if (action === 'start') {
          const info = await this.inspectContainer(r.id);
          if (info.State.Paused) {
            void vscode.window.showInformationMessage(`${r.label} is paused, not stopped: its processes are frozen in memory. Unpause it to let them run again.`);
            return false;
          }
        }
        await this.api.post(`/containers/${encodeURIComponent(r.id)}/${action}`, { timeoutMs: 60_000 });
        this.log.info(`docker ${action} ${r.label}`);
        if (action === 'pause') vscode.window.setStatusBarMessage(`Paused ${r.label}: its processes are frozen (cgroup freezer) until you unpause it.`, 5000);
        return true;
      } catch (e) {
        report(e, `docker ${action} ${r.label}`, this.log);
        return false;
      }
    });
  }

  async removeContainer(node?: ExplorerNode | ResourceRef, opts: ActionOptions = {}): Promise<boolean> {
    const r = this.pick(node, 'container');
    if (!r || !requireTrust('Removing a container')) return false;
    const state = node && 'type' in node && node.type === 'container' ? containerState(node.container) : 'running';
    const live = state !== 'stopped';
    if ((await confirm(`Remove container ${r.label}?`, `${live ? 'It is running and will be stopped first. ' : ''}Its writable layer (files it changed) is deleted; named volumes are kept.`, 'Remove', opts, this.remember)) !== 'Remove') return false;
    try {
      await this.api.delete(`/containers/${encodeURIComponent(r.id)}`, { query: { force: live }, timeoutMs: 60_000 });
      this.log.info(`docker rm ${live ? '--force ' : ''}${r.label}`);
      return true;
    } catch (e) {
      report(e, `Removing ${r.label}`, this.log);
      return false;
    }
  }

  /**
   * `docker run -d` from an image, publishing the ports it exposes: each on the same host port unless changed
   * (`8080:80`), or on a free one (`80`).
   */
  async runImage(node?: ExplorerNode | ResourceRef, opts: ActionOptions = {}): Promise<{ id: string; name: string; ports: PublishedPort[] } | undefined> {
    const r = this.pick(node, 'image');
    if (!r || !requireTrust('Running a container')) return undefined;
    const ref = node && 'type' in node && node.type === 'image' && node.image.repository !== '<none>' ? node.image.ref : r.id;
    try {
      const image = await this.api.get<{ Config?: { ExposedPorts?: Record<string, unknown> | null } }>(`/images/${encodeURIComponent(ref)}/json`);
      const exposed = Object.keys(image.Config?.ExposedPorts ?? {});
      let specs = opts.ports;
      if (!specs) {
        const answer = await vscode.window.showInputBox({
          title: `Run ${ref}`,
          prompt: exposed.length ? `Ports to publish, HOST:CONTAINER (the image exposes ${exposed.join(', ')}); empty for none` : 'Ports to publish, HOST:CONTAINER (the image exposes none); empty for none',
          value: exposed.map((p) => `${p.split('/')[0]}:${p}`).join(', '),
          validateInput: (v) => (parsePorts(v) ? undefined : 'Use HOST:CONTAINER or CONTAINER, optionally /tcp or /udp, separated by commas'),
        });
        if (answer === undefined) return undefined;
        specs = answer.split(',');
      }
      const ports = parsePorts(specs.join(','));
      if (!ports) throw new Error(`not a port list: ${specs.join(', ')}`);
      const bindings: Record<string, { HostPort: string }[]> = {};
      const exposedPorts: Record<string, object> = {};
      for (const p of ports) {
        const key = `${p.container}/${p.protocol}`;
        exposedPorts[key] = {};
        (bindings[key] ??= []).push({ HostPort: p.host ? String(p.host) : '' });
      }
      const created = await this.api.post<{ Id: string }>('/containers/create', {
        query: opts.name ? { name: opts.name } : {},
        body: { Image: ref, ExposedPorts: exposedPorts, HostConfig: { PortBindings: bindings, ...(opts.network ? { NetworkMode: opts.network } : {}) } },
      });
      await this.api.post(`/containers/${created.Id}/start`, { timeoutMs: 60_000 });
      const info = await this.inspectContainer(created.Id);
      const published = await this.publishedPorts(created.Id);
      const name = info.Name.replace(/^\//, '');
      this.log.info(`docker run -d${ports.map((p) => ` -p ${p.host ? `${p.host}:` : ''}${p.container}/${p.protocol}`).join('')} ${ref} → ${name}`);
      const where = published.map((p) => `${portUrl(p)} → ${p.containerPort}`).join(', ');
      void vscode.window.showInformationMessage(`Started ${name} from ${ref}${where ? `: ${where}` : ''}.`, ...(published.some((p) => p.protocol === 'tcp') ? ['Open in Browser'] : [])).then((pick) => {
        if (pick) void this.openInBrowser({ kind: 'container', id: created.Id, label: name });
      });
      return { id: created.Id, name, ports: published };
    } catch (e) {
      report(e, `Running ${ref}`, this.log);
      return undefined;
    }
  }

  /** `docker tag`: another name for the same image, no bytes copied. */
  async tagImage(node?: ExplorerNode | ResourceRef, opts: ActionOptions = {}): Promise<string | undefined> {
    const r = this.pick(node, 'image');
    if (!r || !requireTrust('Tagging an image')) return undefined;
    const current = node && 'type' in node && node.type === 'image' && node.image.repository !== '<none>' ? node.image.ref : '';
    const target =
      opts.ref ??
      (await vscode.window.showInputBox({
        title: `Tag ${current || shortId(r.id)}`,
        prompt: 'New reference, such as registry.example.com/team/app:1.2 (the image is not copied: it gets one more name)',
        value: current,
        validateInput: (v) => (isReference(v) ? undefined : 'A reference is [registry/]name[:tag], lowercase, with a tag of letters, digits, _ . -'),
      }));
    if (!target) return undefined;
    if (!isReference(target)) {
      void vscode.window.showErrorMessage(`"${target}" is not an image reference.`);
      return undefined;
    }
    const { repository, tag } = splitRef(target);
    try {
      await this.api.post(`/images/${encodeURIComponent(r.id)}/tag`, { query: { repo: repository, tag } });
      this.log.info(`docker tag ${current || shortId(r.id)} ${repository}:${tag}`);
      return `${repository}:${tag}`;
    } catch (e) {
      report(e, `Tagging ${current || shortId(r.id)}`, this.log);
      return undefined;
    }
  }

  /** `docker push` in a terminal: the CLI reads the user's registry credentials (and their helpers) itself. */
  async pushImage(node?: ExplorerNode | ResourceRef): Promise<number | undefined> {
    const r = this.pick(node, 'image');
    if (!r || !requireTrust('Pushing an image')) return undefined;
    const ref = node && 'type' in node && node.type === 'image' && node.image.repository !== '<none>' ? node.image.ref : r.label;
    if (!isReference(ref)) {
      void vscode.window.showInformationMessage('Only a tagged image can be pushed: tag it with the registry and name first.');
      return undefined;
    }
    return this.dockerCli(`push ${ref}`, ['push', ref]);
  }

  /** `docker pull` in a terminal, for an image node's reference or one typed in. */
  async pullImage(node?: ExplorerNode | ResourceRef, opts: ActionOptions = {}): Promise<number | undefined> {
    if (!requireTrust('Pulling an image')) return undefined;
    let ref = opts.ref;
    if (!ref && node && 'type' in node && node.type === 'image' && node.image.repository !== '<none>') ref = node.image.ref;
    if (!ref && node && 'type' in node && node.type === 'repository') ref = node.group.tags[0]?.ref;
    ref ??= await vscode.window.showInputBox({ title: 'Pull an image', prompt: 'Reference, such as nginx:1.27-alpine', validateInput: (v) => (isReference(v) ? undefined : 'A reference is [registry/]name[:tag]') });
    if (!ref) return undefined;
    return this.dockerCli(`pull ${ref}`, ['pull', ref]);
  }

  private async dockerCli(name: string, args: string[]): Promise<number | undefined> {
    const found = await new Promise<boolean>((resolve) => execFile('docker', ['--version'], { timeout: 10_000 }, (err) => resolve(!err)));
    if (!found) {
      void vscode.window.showErrorMessage('The docker command-line client is not on PATH, and it is what pushes and pulls with your registry credentials. Install the Docker CLI.');
      return undefined;
    }
    const run = await runCliTask({ name: `docker ${name}`, command: 'docker', args, env: dockerCliEnv(this.watcher.endpoint), log: this.log });
    const code = await run.exitCode;
    if (code === 0) vscode.window.setStatusBarMessage(`docker ${name}: done`, 5000);
    else if (code !== undefined) void vscode.window.showErrorMessage(`docker ${name} failed (exit code ${code}); the terminal shows why.`);
    return code;
  }

  /**
   * Removes an image (or one of its tags) and says first what depends on it: the other tags that keep it, the
   * containers that use it (Docker refuses while they exist), images built on it.
   */
  async removeImage(node?: ExplorerNode | ResourceRef, opts: ActionOptions = {}): Promise<{ removed: boolean; asked?: Asked; containersRemoved: string[] }> {
    const r = this.pick(node, 'image');
    const none = { removed: false, containersRemoved: [] as string[] };
    if (!r || !requireTrust('Removing an image')) return none;
    const ref = node && 'type' in node && node.type === 'image' && node.image.repository !== '<none>' ? node.image.ref : r.label;
    let deps;
    try {
      const id = (await this.api.get<{ Id: string }>(`/images/${encodeURIComponent(r.id)}/json`)).Id;
      deps = await imageDependents(this.api, id);
    } catch (e) {
      report(e, `Reading ${ref}`, this.log);
      return none;
    }
    const otherTags = deps.tags.filter((t) => t !== ref);
    const isTag = deps.tags.includes(ref);
    const lines: string[] = [];
    if (isTag && otherTags.length) lines.push(`Only the tag ${ref} goes: the image stays under ${otherTags.join(', ')}.`);
    else lines.push(`${isTag ? `${ref} is its only tag: the` : 'The'} image and its layers go, except layers other images share.`);
    if (deps.containers.length && !(isTag && otherTags.length)) {
      lines.push(`Containers created from it: ${deps.containers.map((c) => `${c.name} (${c.state})`).join(', ')}. Docker will not remove an image a container uses; they must go first, with their writable layers.`);
    }
    if (deps.children.length) lines.push(`Images built on it: ${deps.children.join(', ')}. They keep the layers they need.`);
    const withContainers = deps.containers.length > 0 && !(isTag && otherTags.length);
    const button = withContainers ? `Remove ${deps.containers.length} Container${deps.containers.length === 1 ? '' : 's'} and the Image` : isTag && otherTags.length ? 'Remove Tag' : 'Remove';
    const answer = await confirm(`Remove ${isTag && otherTags.length ? 'tag' : 'image'} ${ref}?`, lines.join('\n\n'), button, opts, this.remember);
    const asked = this.lastAsked;
    if (answer !== button) return { ...none, asked };
    const containersRemoved: string[] = [];
    try {
      if (withContainers) {
        for (const c of deps.containers) {
          await this.api.delete(`/containers/${c.id}`, { query: { force: true }, timeoutMs: 60_000 });
          containersRemoved.push(c.name);
        }
      }
      const target = isTag ? ref : r.id;
      const answer = await this.api.delete<{ Untagged?: string; Deleted?: string }[]>(`/images/${encodeURIComponent(target)}`, { timeoutMs: 60_000 });
      const deleted = (answer ?? []).filter((a) => a.Deleted).length;
      void vscode.window.showInformationMessage(
        `Removed ${ref}${containersRemoved.length ? ` and ${containersRemoved.join(', ')}` : ''}: ${deleted ? `${deleted} layer${deleted === 1 ? '' : 's'} and config deleted` : 'untagged, its layers are still used'}.`,
      );
      return { removed: true, asked, containersRemoved };
    } catch (e) {
      if (e instanceof DaemonCallError && e.statusCode === 409) void vscode.window.showWarningMessage(`${ref} is still in use: ${e.message}`);
      else report(e, `Removing ${ref}`, this.log);
      return { removed: false, asked, containersRemoved };
    }
  }

  async removeVolume(node?: ExplorerNode | ResourceRef, opts: ActionOptions = {}): Promise<boolean> {
    const r = this.pick(node, 'volume');
    if (!r || !requireTrust('Removing a volume')) return false;
    if ((await confirm(`Remove volume ${r.label}?`, 'The data in it is deleted for good.', 'Remove', opts, this.remember)) !== 'Remove') return false;
    try {
      await this.api.delete(`/volumes/${encodeURIComponent(r.id)}`);
      return true;
    } catch (e) {
      report(e, `Removing volume ${r.label}`, this.log);
      return false;
    }
  }

  async removeNetwork(node?: ExplorerNode | ResourceRef, opts: ActionOptions = {}): Promise<boolean> {
    const r = this.pick(node, 'network');
    if (!r || !requireTrust('Removing a network')) return false;
    if ((await confirm(`Remove network ${r.label}?`, 'Containers still attached to it keep it from being removed.', 'Remove', opts, this.remember)) !== 'Remove') return false;
    try {
      await this.api.delete(`/networks/${encodeURIComponent(r.id)}`);
      return true;
    } catch (e) {
      report(e, `Removing network ${r.label}`, this.log);
      return false;
    }
  }

  /**
   * Prunes dangling images, or every volume no container uses (named and anonymous alike, on every API version),
   * and says what went and how much space it freed.
   */
  async prune(what: 'images' | 'volumes', opts: ActionOptions = {}): Promise<{ asked?: Asked; summary?: string; removed: string[] }> {
    if (!requireTrust(`Pruning ${what}`)) return { removed: [] };
    const detail = what === 'images' ? 'Images with no tag and no container are deleted.' : 'Every volume no container uses, named or anonymous, is deleted with its data. Volumes of stopped containers stay.';
    const answer = await confirm(what === 'images' ? 'Prune dangling images?' : 'Prune all unused volumes?', detail, 'Prune', opts, this.remember);
    const asked = this.lastAsked;
    if (answer !== 'Prune') return { asked, removed: [] };
    try {
      let removed: string[];
      let bytes: number;
      if (what === 'images') {
        const a = await this.api.post<{ ImagesDeleted?: { Deleted?: string; Untagged?: string }[] | null; SpaceReclaimed?: number }>('/images/prune', { query: { filters: { dangling: ['true'] } }, timeoutMs: 120_000 });
        removed = (a.ImagesDeleted ?? []).map((d) => d.Deleted ?? d.Untagged ?? '').filter(Boolean);
        bytes = a.SpaceReclaimed ?? 0;
      } else ({ deleted: removed, bytes } = await pruneVolumes(this.api, this.watcher.version?.ApiVersion));
      const count = removed.length;
      const summary = count ? `Pruned ${count} ${what === 'images' ? 'image layer' : 'volume'}${count === 1 ? '' : 's'}, freeing ${formatBytes(bytes)}.` : `Nothing to prune: no unused ${what}.`;
      this.log.info(summary);
      void vscode.window.showInformationMessage(summary);
      return { asked, summary, removed };
    } catch (e) {
      report(e, `Pruning ${what}`, this.log);
      return { asked, removed: [] };
    }
  }

  /** `docker system prune`, said before it is done: what goes and about how much space it frees, from /system/df. */
  async systemPrune(opts: ActionOptions = {}): Promise<{ asked?: Asked; summary?: string }> {
    if (!requireTrust('Pruning Docker')) return {};
    let plan;
    try {
      plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Measuring what Docker can clean up (docker system df)…' }, () => fetchPrunePlan(this.api));
    } catch (e) {
      report(e, 'Reading disk usage', this.log);
      return {};
    }
    const what = describePlan(plan);
    if (what === 'nothing') {
      const summary = 'Nothing to prune: no stopped containers, unused networks, dangling images or unused build cache.';
      void vscode.window.showInformationMessage(summary);
      return { summary };
    }
    const answer = await confirm(
      `Remove ${what}?`,
      `This frees about ${formatBytes(plan.bytes)}. Running containers, tagged images, images a container uses, and volumes stay (prune volumes separately).${plan.networks.length ? `\n\nNetworks: ${plan.networks.join(', ')}.` : ''}${plan.containers.length ? `\n\nContainers: ${plan.containers.map((c) => c.name).join(', ')}.` : ''}`,
      'Prune',
      opts,
      this.remember,
    );
    const asked = this.lastAsked;
    if (answer !== 'Prune') return { asked };
    try {
      const done = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'docker system prune…' }, () => systemPrune(this.api));
      const summary = `Removed ${done.containers} container${done.containers === 1 ? '' : 's'}, ${done.networks} network${done.networks === 1 ? '' : 's'}, ${done.images} image layer${done.images === 1 ? '' : 's'} and ${done.buildCache} build cache record${done.buildCache === 1 ? '' : 's'}, freeing ${formatBytes(done.bytes)}.`;
      this.log.info(summary);
      void vscode.window.showInformationMessage(summary);
      return { asked, summary };
    } catch (e) {
      report(e, 'docker system prune', this.log);
      return { asked };
    }
  }

  /** Shows the Dockerfile line that made a layer. */
  async openLayerSource(node?: ExplorerNode | ResourceRef): Promise<vscode.TextEditor | undefined> {
    if (!node || !('type' in node) || node.type !== 'layer' || !node.source) return undefined;
    const { uri, line } = node.source;
    return vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), preview: false });
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
