import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { attachTestDaemon, SEED, TestDaemon } from '../../support/testDaemon';
import { activateExtension, screenshot, waitFor, workspaceRoot } from '../support';
import { manifest, snapshot, waitUp, widenSidebar } from './explorerSupport';

interface RunResult {
  command?: string;
  exitCode?: number;
  error?: string;
}

const COMPOSE = `services:
  web:
    image: ${SEED.busyboxImage}
    command: ["/bin/sh", "-c", "trap 'exit 0' TERM; echo web up; while true; do sleep 1; done"]
    network_mode: none
    stop_grace_period: 1s
  worker:
    image: ${SEED.busyboxImage}
    command: ["/bin/sh", "-c", "trap 'exit 0' TERM; echo worker up; while true; do sleep 1; done"]
    network_mode: none
    stop_grace_period: 1s
`;

describe('Docker explorer: compose', function () {
  this.timeout(180_000);
  let narrow: (() => Promise<void>) | undefined;
  let daemon: TestDaemon;
  // A folder whose name a shell would expand: the compose command must get it as one argument, untouched.
  const folderName = "it's $(touch pwned) demo";
  let folder: string;
  let file: string;

  before(async () => {
    daemon = attachTestDaemon(process.env.DOCKWISE_TEST_DAEMON_ROOT!);
    await activateExtension();
    folder = path.join(workspaceRoot(), folderName);
    fs.mkdirSync(folder, { recursive: true });
    file = path.join(folder, 'compose.yaml');
    fs.writeFileSync(file, COMPOSE);
    await vscode.commands.executeCommand('dockwise.containers.focus');
    await waitUp();
    narrow = await widenSidebar();
  });
  after(async () => {
    await narrow?.();
    const left = await daemon.docker.listContainers({ all: true, filters: { label: ['com.docker.compose.project.working_dir'] } });
    await Promise.all(left.map((c) => daemon.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    for (const t of vscode.window.terminals) t.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('offers Compose Up, Down, Restart and Logs on compose files and projects', () => {
    const menus = manifest().contributes.menus;
    for (const where of ['explorer/context', 'editor/context']) {
      assert.deepEqual(menus[where].filter((e) => e.command.startsWith('dockwise.compose.')).map((e) => e.command), ['dockwise.compose.up', 'dockwise.compose.down', 'dockwise.compose.restart', 'dockwise.compose.logs'], where);
    }
    const project = menus['view/item/context'].filter((e) => e.when?.includes('dockwise.composeProject')).map((e) => e.command);
    for (const a of ['up', 'down', 'restart', 'logs']) assert.ok(project.includes(`dockwise.compose.${a}`), a);
  });

  it('runs Compose Up on a file in a terminal, with the path as one argument, and groups the containers by project', async () => {
    const result = await vscode.commands.executeCommand<RunResult>('dockwise.compose.up', vscode.Uri.file(file));
    assert.equal(result.error, undefined);
    assert.equal(result.exitCode, 0, `${result.command} failed`);
    assert.match(result.command ?? '', /(docker compose|docker-compose) -f '.*it'\\''s \$\(touch pwned\) demo\/compose\.yaml' up -d$/);
    assert.ok(!fs.existsSync(path.join(folder, 'pwned')) && !fs.existsSync(path.join(workspaceRoot(), 'pwned')), 'nothing in the path was run');

    const project = await waitFor(
      'the compose project in the containers view',
      async () => (await snapshot({ views: ['containers'], depth: 2 })).views.containers?.find((n) => n.contextValue === 'dockwise.composeProject' && n.tooltip?.includes(folder)),
      10_000,
    );
    assert.equal(project.description, 'compose · 2 of 2 running');
    assert.deepEqual(project.children?.map((c) => c.description?.split(' · ')[0]).sort(), ['service web', 'service worker']);
    const loose = (await snapshot({ views: ['containers'] })).views.containers ?? [];
    assert.ok(!loose.some((n) => n.contextValue?.startsWith('dockwise.container') && n.label.includes('_web_')), 'project containers are not listed loose too');
    await vscode.commands.executeCommand('dockwise.explorer.reveal', 'containers', [project.label]);
    await screenshot('explorer-compose-up');
  });

  it('restarts, follows the logs of and takes down a project from the Containers view', async () => {
    const s = await snapshot({ views: ['containers'] });
    const projectName = s.views.containers!.find((n) => n.contextValue === 'dockwise.composeProject' && n.tooltip?.includes(folder))!.label;
    const node = await vscode.commands.executeCommand('dockwise.explorer.reveal', 'containers', [projectName], { expand: false });
    assert.ok(node, 'the project element');
    const before = (await daemon.docker.listContainers({ filters: { label: [`com.docker.compose.project=${projectName}`] } })).map((c) => c.Id);
    const startedAt = async () => Promise.all(before.map(async (id) => (await daemon.docker.getContainer(id).inspect()).State.StartedAt));
    const firstStart = await startedAt();

    const restart = await vscode.commands.executeCommand<RunResult>('dockwise.compose.restart', node);
    assert.equal(restart.exitCode, 0, restart.command);
    assert.match(restart.command ?? '', new RegExp(`-p ${projectName} .*-f .*compose\\.yaml' restart$`));
    const secondStart = await startedAt();
    assert.ok(secondStart.every((t, i) => t !== firstStart[i]), 'every container started again');

    const logs = await vscode.commands.executeCommand<RunResult>('dockwise.compose.logs', node);
    assert.match(logs.command ?? '', /logs -f --tail 200$/);
    await waitFor('the logs terminal', () => (vscode.window.terminals.some((t) => t.name.includes('Compose Logs')) ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 2000));
    await screenshot('explorer-compose-logs');

    const down = await vscode.commands.executeCommand<RunResult>('dockwise.compose.down', node);
    assert.equal(down.exitCode, 0, down.command);
    await waitFor('the project gone from the view', async () => ((await snapshot({ views: ['containers'] })).views.containers?.some((n) => n.label === projectName) ? undefined : true), 10_000);
    assert.equal((await daemon.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${projectName}`] } })).length, 0);
  });

  it('says clearly when neither the compose plugin nor docker-compose is installed', async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const result = await vscode.commands.executeCommand<RunResult>('dockwise.compose.up', vscode.Uri.file(file));
      assert.match(result.error ?? '', /Docker Compose is not installed here: neither the "docker compose" plugin nor "docker-compose"/);
      assert.equal(result.exitCode, undefined);
      await new Promise((r) => setTimeout(r, 500));
      await screenshot('explorer-compose-missing');
    } finally {
      process.env.PATH = savedPath;
    }
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
