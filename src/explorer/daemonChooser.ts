/**
 * "Choose Docker Daemon": a picker of the daemons Docker itself knows (DOCKER_HOST, the contexts in the Docker
 * config, the default socket), an address typed in, or back to automatic. The choice is remembered per machine in
 * the extension's state, not in settings, so it works the same in local, remote and web windows; changing the
 * `dockwise.dockerHost` setting afterwards makes the setting win again (the latest explicit choice wins).
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { DaemonChoice, EndpointError, knownDaemons, parseChoice, parseHost, resolveEndpoint, sameChoice } from '../docker/connection';
import type { DaemonWatcher } from '../docker/daemonWatcher';

/** Per machine: the extension runs where Docker is, and a remote machine has its own daemons. */
const choiceKey = () => `dockwise.daemonChoice@${os.hostname()}`;

export class DaemonChoices {
  constructor(private readonly memento: vscode.Memento) {}

  get(): DaemonChoice | undefined {
    return parseChoice(this.memento.get(choiceKey()));
  }

  set(choice: DaemonChoice | undefined): Thenable<void> {
    return this.memento.update(choiceKey(), choice);
  }
}

function setting(): string {
  return vscode.workspace.getConfiguration('dockwise').get<string>('dockerHost') ?? '';
}

/** The daemon to use: the remembered choice, else the setting (an invalid one is reported and skipped), else as docker does. */
export function currentEndpoint(choices: DaemonChoices, log?: vscode.LogOutputChannel) {
  const choice = choices.get();
  try {
    return resolveEndpoint({ choice, setting: setting() });
  } catch (e) {
    if (!(e instanceof EndpointError)) throw e;
    log?.warn(`Docker address: ${e.message}; using DOCKER_HOST or the Docker context instead`);
    void vscode.window.showWarningMessage(`Not a Docker address: ${e.message}`);
    try {
      return resolveEndpoint({});
    } catch {
      return resolveEndpoint({ env: {} });
    }
  }
}

interface Item extends vscode.QuickPickItem {
  choice?: DaemonChoice;
  automatic?: boolean;
  typeIn?: boolean;
}

/** What the chooser offers, in order; also returned to scripts asking for `{ list: true }`. */
export function chooserItems(choices: DaemonChoices): Item[] {
  const chosen = choices.get();
  const set = setting().trim();
  const items: Item[] = [];
  const auto = resolveAutomatic(set);
  items.push({
    label: `${!chosen ? '$(check) ' : ''}${set ? 'The dockwise.dockerHost setting' : 'Automatic, as the docker CLI decides'}`,
    description: auto,
    detail: set ? 'The setting, for this machine' : 'DOCKER_HOST, else the current Docker context, else the default socket',
    automatic: true,
  });
  items.push({ label: 'Docker contexts and DOCKER_HOST', kind: vscode.QuickPickItemKind.Separator });
  for (const k of knownDaemons()) {
    const mark = chosen && sameChoice(chosen, k.choice) ? '$(check) ' : '';
    const what = k.choice.kind === 'env' ? 'environment variable' : k.label === 'default' ? 'default socket' : 'Docker context';
    items.push({
      label: `${mark}$(${k.endpoint ? 'vm' : 'warning'}) ${k.label}`,
      description: k.detail,
      detail: `${what}${k.dockerCurrent ? ' · what docker uses in a terminal now' : ''}`,
      choice: k.endpoint ? k.choice : undefined,
    });
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(edit) Enter an address…', detail: 'unix://, tcp://, ssh:// or npipe://', typeIn: true });
  return items;
}

function resolveAutomatic(set: string): string {
  try {
    return resolveEndpoint({ setting: set }).description;
  } catch (e) {
    return (e as Error).message;
  }
}

export interface ChooseOptions {
  /** Choose without the picker: a choice, or 'automatic' to forget the remembered one. */
  pick?: DaemonChoice | 'automatic';
  /** Return the items instead of showing them. */
  list?: boolean;
}

export async function chooseDaemon(choices: DaemonChoices, watcher: DaemonWatcher, log: vscode.LogOutputChannel, opts: ChooseOptions = {}): Promise<string | Item[] | undefined> {
  if (opts.list) return chooserItems(choices).filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
  let pick: DaemonChoice | 'automatic' | undefined = opts.pick;
  if (!pick) {
    const item = await vscode.window.showQuickPick(chooserItems(choices), {
      title: 'Choose the Docker daemon Dockwise talks to',
      placeHolder: `Now: ${watcher.endpoint.description}`,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!item) return undefined;
    if (item.automatic) pick = 'automatic';
    else if (item.choice) pick = item.choice;
    else if (item.typeIn) {
      const host = await vscode.window.showInputBox({
        title: 'Docker daemon address',
        prompt: 'For example unix:///var/run/docker.sock, tcp://10.0.0.5:2376 or ssh://me@build-box',
        validateInput: (v) => {
          try {
            parseHost(v);
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
      });
      if (!host) return undefined;
      pick = { kind: 'host', host: host.trim() };
    }
  }
  if (!pick) return undefined;
  await choices.set(pick === 'automatic' ? undefined : pick);
  const endpoint = currentEndpoint(choices, log);
  log.info(`Docker daemon chosen: ${endpoint.description}`);
  watcher.setEndpoint(endpoint);
  vscode.window.setStatusBarMessage(`Dockwise now talks to ${endpoint.description}`, 5000);
  return endpoint.description;
}
