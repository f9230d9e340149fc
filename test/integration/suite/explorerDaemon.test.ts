import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { attachTestDaemon, TestDaemon } from '../../support/testDaemon';
import { activateExtension, screenshot, waitFor } from '../support';
import { evaluateWhen, manifest, snapshot, waitUp, widenSidebar } from './explorerSupport';

interface PickerItem {
  label: string;
  description?: string;
  detail?: string;
  choice?: { kind: string; name?: string };
  automatic?: boolean;
}

/** A Docker config folder as the CLI writes it: config.json and one meta.json per context. */
function dockerConfig(contexts: Record<string, string>, current?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-dockercfg-'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(current ? { currentContext: current } : {}));
  for (const [name, host] of Object.entries(contexts)) {
    const meta = path.join(dir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    fs.mkdirSync(meta, { recursive: true });
    fs.writeFileSync(path.join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
  }
  return dir;
}

describe('Docker explorer: which daemon', function () {
  this.timeout(120_000);
  let narrow: (() => Promise<void>) | undefined;
  let daemon: TestDaemon;
  let configDir: string;
  const saved = process.env.DOCKER_CONFIG;

  before(async () => {
    daemon = attachTestDaemon(process.env.DOCKWISE_TEST_DAEMON_ROOT!);
    // The extension host is this process: the Docker config it reads is the one set here.
    configDir = dockerConfig({ 'dockwise-test': daemon.host, 'nowhere': 'unix:///nonexistent/docker.sock' });
    process.env.DOCKER_CONFIG = configDir;
    await activateExtension();
    await vscode.commands.executeCommand('dockwise.explorer.focus');
    await waitUp();
    narrow = await widenSidebar();
  });
  after(async () => {
    await narrow?.();
    await vscode.commands.executeCommand('dockwise.explorer.chooseDaemon', { pick: 'automatic' });
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
    fs.rmSync(configDir, { recursive: true, force: true });
    await waitUp();
  });

  it('offers the daemons Docker knows: DOCKER_HOST, the default socket and every context, in a picker', async () => {
    const items = await vscode.commands.executeCommand<PickerItem[]>('dockwise.explorer.chooseDaemon', { list: true });
    const rows = items.map((i) => `${i.label.replace(/\$\([\w-]+\) /g, '')} | ${i.description ?? ''}`);
    assert.match(rows[0], /^Automatic, as the docker CLI decides \| DOCKER_HOST \(unix:\/\/\/tmp\/dw-/);
    assert.ok(rows.includes(`DOCKER_HOST | ${daemon.host}`), rows.join('\n'));
    assert.ok(rows.includes('default | unix:///var/run/docker.sock'), rows.join('\n'));
    assert.ok(rows.includes(`dockwise-test | ${daemon.host}`), rows.join('\n'));
    assert.ok(rows.includes('nowhere | unix:///nonexistent/docker.sock'), rows.join('\n'));
    assert.match(rows[rows.length - 1], /^Enter an address…/);
    assert.match(items.find((i) => i.label.includes('DOCKER_HOST'))?.detail ?? '', /what docker uses in a terminal now/);

    // The picker itself, as a person sees it (closed again without a choice).
    const shown = vscode.commands.executeCommand('dockwise.explorer.chooseDaemon');
    await new Promise((r) => setTimeout(r, 800));
    await screenshot('explorer-choose-daemon');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await shown, undefined);
  });

  it('switches to a Docker context, says so in the view, remembers it, and goes back to automatic', async () => {
    const described = await vscode.commands.executeCommand<string>('dockwise.explorer.chooseDaemon', { pick: { kind: 'context', name: 'dockwise-test' } });
    assert.match(described, /^context "dockwise-test" \(unix:\/\/\/tmp\/dw-.*\), chosen in Dockwise$/);
    await waitUp();
    const s = await snapshot({ views: ['containers'] });
    assert.equal(s.endpoint, described);
    assert.deepEqual(s.choice, { kind: 'context', name: 'dockwise-test' }, 'the choice is remembered in the extension state');
    assert.ok((s.views.containers ?? []).length > 0, 'the context reaches the same daemon');
    await vscode.commands.executeCommand('dockwise.containers.focus');
    await screenshot('explorer-context-chosen');

    // A context whose daemon is not there: down, with the reason, and the welcome view.
    await vscode.commands.executeCommand('dockwise.explorer.chooseDaemon', { pick: { kind: 'context', name: 'nowhere' } });
    await waitFor('the explorer down on the missing daemon', async () => ((await snapshot({ views: [] })).state === 'down' ? true : undefined), 10_000);
    const down = await snapshot({ views: [] });
    assert.equal(down.problem, 'unreachable');
    assert.match(down.lastError ?? '', /Cannot reach the Docker daemon at \/nonexistent\/docker\.sock/);

    assert.match(await vscode.commands.executeCommand<string>('dockwise.explorer.chooseDaemon', { pick: 'automatic' }), /^DOCKER_HOST/);
    await waitUp();
    assert.equal((await snapshot({ views: [] })).choice, undefined);
  });

  it('shows the daemon-down guidance once on every platform, VS Code for the web included, with a link to the course', async () => {
    const welcome = manifest().contributes.viewsWelcome.filter((w) => w.view === 'dockwise.images');
    const platforms = [
      { isLinux: true },
      { isMac: true },
      { isWindows: true },
      { isLinux: true, isWeb: true },
      { isMac: true, isWeb: true },
      { isWindows: true, isWeb: true },
    ];
    for (const problem of ['', 'unreachable', 'denied', 'frozen', 'config']) {
      for (const p of platforms) {
        const shown = welcome.filter((w) => evaluateWhen(w.when, { ...p, 'dockwise.docker.state': 'down', 'dockwise.docker.problem': problem }));
        assert.equal(shown.length, 1, `${JSON.stringify(p)} problem "${problem}": ${shown.map((w) => w.when).join(' | ')}`);
      }
    }
    const walkthroughs = (vscode.extensions.getExtension('dockwise.dockwise')!.packageJSON as { contributes: { walkthroughs: { id: string }[] } }).contributes.walkthroughs.map((w) => `dockwise.dockwise#${w.id}`);
    for (const w of welcome.filter((x) => x.contents.includes('see how'))) {
      const link = /\[see how\]\(command:([\w.]+)\?([^)]*)\)/.exec(w.contents);
      assert.ok(link, w.contents);
      const args = JSON.parse(decodeURIComponent(link[2])) as [string, boolean];
      assert.ok(walkthroughs.includes(args[0]), `${args[0]} is one of ${walkthroughs.join(', ')}`);
    }
    // Follow the link as the view would.
    const link = /\[see how\]\(command:([\w.]+)\?([^)]*)\)/.exec(welcome[0].contents)!;
    await vscode.commands.executeCommand(link[1], ...(JSON.parse(decodeURIComponent(link[2])) as unknown[]));
    await waitFor('the walkthrough tab', () => (/Welcome|Walkthrough/.test(vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '') ? true : undefined));
    await screenshot('explorer-see-how-walkthrough');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('notices a frozen daemon within seconds and says so, then comes back', async () => {
    await vscode.commands.executeCommand('dockwise.explorer.focus');
    const t0 = Date.now();
    process.kill(daemon.pid, 'SIGSTOP');
    try {
      await waitFor('the explorer to see the daemon frozen', async () => ((await snapshot({ views: [] })).problem === 'frozen' ? true : undefined), 10_000);
      const ms = Date.now() - t0;
      assert.ok(ms < 8000, `noticed after ${ms} ms`);
      assert.match((await snapshot({ views: [] })).lastError ?? '', /does not answer/);
      await screenshot('explorer-daemon-frozen');
      console.log(`      frozen daemon noticed after ${ms} ms`);
    } finally {
      process.kill(daemon.pid, 'SIGCONT');
    }
    await waitUp(20_000);
  });
});
