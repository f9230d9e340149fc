/** "Build Image" on a Dockerfile, clicked in the real workbench, built by the test daemon (offline, from busybox). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import * as vscode from 'vscode';
import type { BuildReport } from '../../../src/insights/buildImage';
import { SEED } from '../../support/testDaemon';
import { activateExtension, queryWorkbench, screenshot, waitFor, workbench, workspaceRoot } from '../support';

function writeProject(folder: string, files: Record<string, string>): vscode.Uri {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(workspaceRoot(), folder, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return vscode.Uri.file(path.join(workspaceRoot(), folder, 'Dockerfile'));
}

const buildDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'docker build');

async function lensTitles(uri: vscode.Uri): Promise<Map<number, string>> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
  return new Map(lenses.map((l) => [l.range.start.line, l.command?.title ?? '']));
}

describe('Build Image from the editor', function () {
  this.timeout(180_000);

  before(async () => {
    await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  // Other suites count the images that share the seeded base layer: leave the daemon as it was.
  after(async () => {
    const docker = new Dockerode();
    for (const tag of ['buildapp:latest', 'dockwise-test/buildfat:1.0']) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    await docker.pruneImages({ filters: JSON.stringify({ dangling: ['true'] }) }).catch(() => undefined);
  });

  it('builds from the editor title button with the offered tag, shows progress and the log, then the layer sizes', async () => {
    const uri = writeProject('buildapp', {
      Dockerfile: `FROM ${SEED.busyboxImage}\nRUN mkdir -p /data && head -c 2000000 /dev/zero > /data/blob\nCOPY . /app\nRUN sleep 3\nCMD ["sh"]\n`,
      '.dockerignore': 'node_modules\n',
      'app.txt': 'hello',
      'node_modules/big.js': 'x'.repeat(100_000),
    });
    await vscode.window.showTextDocument(uri);
    await waitFor('the Build Image button in the editor title', async () => ((await queryWorkbench('.editor-actions a.codicon-package')).length ? true : undefined));
    await workbench({ action: 'click', selector: '.editor-actions a.codicon-package' });
    const input = await waitFor('the tag input', async () => (await queryWorkbench('.quick-input-widget .quick-input-title')).find((t) => t.text.includes('Build Image from buildapp/Dockerfile')));
    assert.ok(input);
    await screenshot('build-tag-input');

    // The build the button started waits on this input: a second one for the same file is refused meanwhile.
    assert.equal(await vscode.commands.executeCommand('dockwise.buildImage', uri, { tag: 'dockwise-test/buildapp:second' }), undefined);
    await workbench({ action: 'press', key: 'Enter' });
    await waitFor('the progress notification', async () => (await queryWorkbench('.notification-toast')).find((n) => n.text.includes('Building buildapp:latest')), 30_000);
    await screenshot('build-progress');
    const lenses = await waitFor('the layer sizes of the image just built', async () => {
      const titles = await lensTitles(uri);
      return /in buildapp:latest/.test(titles.get(1) ?? '') ? titles : undefined;
    }, 60_000);
    assert.match(lenses.get(1) ?? '', /\+2\.0 MB — the largest layer in buildapp:latest/);
    assert.match(lenses.get(2) ?? '', /^\+\d+ B in buildapp:latest/, 'the COPY holds app.txt, the Dockerfile and .dockerignore, not node_modules');
    await waitFor('the build to say it is done, and how big its context was', async () =>
      (await queryWorkbench('.notification-toast')).find((n) => /Built buildapp:latest in [\d.]+ s \(context .* in 3 files \(\.dockerignore applied\)\)/.test(n.text)),
    30_000);
    await screenshot('build-done-lenses');
  });

  it('puts a failed step on the instruction that failed, with the last lines it printed', async () => {
    const uri = writeProject('buildfail', {
      Dockerfile: `FROM ${SEED.busyboxImage}\nRUN echo fine\nRUN echo "about to fail" && \\\n    echo "the last line" && exit 3\nCMD ["sh"]\n`,
    });
    const editor = await vscode.window.showTextDocument(uri);
    const report = await vscode.commands.executeCommand<BuildReport>('dockwise.buildImage', uri, { tag: 'dockwise-test/buildfail:1.0' });
    assert.equal(report.ok, false);
    assert.equal(report.failedLine, 2);
    const [d] = buildDiagnostics(uri);
    assert.ok(d, 'a diagnostic from the build');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([d.range.start.line, d.range.end.line], [2, 3], 'the whole RUN, both lines');
    assert.match(d.message, /^docker build failed at step 3\/4: The command '\/bin\/sh -c echo "about to fail" && +echo "the last line" && exit 3' returned a non-zero code: 3/);
    assert.match(d.message, /Last lines of its output:\n {2}about to fail\n {2}the last line$/);
    editor.selection = new vscode.Selection(2, 1, 2, 1);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.commands.executeCommand('editor.action.showHover');
    await waitFor('the failure in the hover', async () => ((await queryWorkbench('.monaco-hover')).some((h) => h.text.includes('docker build failed at step 3/4')) ? true : undefined));
    await screenshot('build-failure-diagnostic');
    await vscode.commands.executeCommand('editor.action.hideHover');
    await workbench({ action: 'click', selector: '.notification-toast .monaco-button', text: 'Show Build Log' });
    await waitFor('the build log in the Output panel', async () => ((await queryWorkbench('.part.panel .view-line')).some((l) => l.text.replace(/\u00a0/g, ' ').includes('Step 3/4 : RUN echo')) ? true : undefined));
    await screenshot('build-log');

    // Editing the file makes the mark out of date: it goes.
    await editor.edit((e) => e.replace(new vscode.Range(2, 0, 2, 0), ''));
    await editor.edit((e) => e.insert(new vscode.Position(4, 0), '# fixed later\n'));
    assert.deepEqual(buildDiagnostics(uri), []);
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(editor.document.isDirty, false);
  });

  it('cancels a build from the progress notification', async () => {
    const uri = writeProject('buildslow', { Dockerfile: `FROM ${SEED.busyboxImage}\nRUN echo started && sleep 60\n` });
    await vscode.window.showTextDocument(uri);
    const started = Date.now();
    const pending = vscode.commands.executeCommand<BuildReport>('dockwise.buildImage', uri, { tag: 'dockwise-test/buildslow:1.0' });
    await waitFor('the progress notification at the sleeping step', async () => (await queryWorkbench('.notification-toast')).find((n) => n.text.includes('step 2/2')), 30_000);
    await screenshot('build-cancellable');
    await workbench({ action: 'click', selector: '.notification-toast .monaco-button', text: 'Cancel' });
    const report = await pending;
    assert.equal(report.cancelled, true);
    assert.ok(Date.now() - started < 40_000, 'well before the 60 s step ends');
    assert.deepEqual(buildDiagnostics(uri), [], 'a cancelled build marks nothing');
  });

  it('says how big the context was and teaches .dockerignore when it holds node_modules', async () => {
    const uri = writeProject('buildfat', {
      Dockerfile: `FROM ${SEED.busyboxImage}\nCOPY app.txt /app.txt\n`,
      'app.txt': 'hello',
      'node_modules/dep/index.js': 'x'.repeat(300_000),
    });
    const report = await vscode.commands.executeCommand<BuildReport>('dockwise.buildImage', uri, { tag: 'dockwise-test/buildfat:1.0' });
    assert.equal(report.ok, true, report.error);
    assert.equal(report.context.files, 3);
    assert.ok(report.context.bytes > 300_000);
    assert.match(report.context.warning ?? '', /holds node_modules\/ \(300 kB\)/);
    await waitFor('the lesson offer', async () => (await queryWorkbench('.notification-toast')).find((n) => n.text.includes('Add it to .dockerignore')));
    await screenshot('build-context-lesson');
    await workbench({ action: 'click', selector: '.notification-toast .monaco-button', text: 'Learn why' });
    await waitFor('the COPY vs ADD lesson', () => (/Welcome|Walkthrough/.test(vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '') ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
