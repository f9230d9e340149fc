/**
 * Links in the editor that take the user somewhere: a hover's "Learn more in the course", a rule code in the
 * Problems panel, and daemon strings in hovers that must never become links. Clicked in the real workbench.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import MarkdownIt from 'markdown-it';
import * as vscode from 'vscode';
import { makeTar, SEED } from '../../support/testDaemon';
import { activateExtension, codeOf, dockwiseDiagnostics, queryWorkbench, screenshot, waitFor, workbench, workspaceRoot } from '../support';

const md = new MarkdownIt({ html: true, linkify: true });

/** What hovers may run: open a lesson or a rule page, nothing that changes the daemon. */
const HOVER_COMMANDS = ['dockwise.openLesson', 'dockwise.showRule'];

async function openFile(relative: string, text: string): Promise<vscode.TextEditor> {
  const file = path.join(workspaceRoot(), relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

async function build(docker: Dockerode, tag: string, dockerfile: string): Promise<void> {
  const context = makeTar([{ type: 'file', name: 'Dockerfile', content: Buffer.from(dockerfile) }]);
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: tag });
  const out = await new Promise<Array<{ error?: string }>>((resolve, reject) => docker.modem.followProgress(stream, (e, r) => (e ? reject(e) : resolve(r))));
  const failed = out.find((o) => o.error);
  if (failed) throw new Error(`building ${tag}: ${failed.error}`);
}

const markdownOf = (hovers: vscode.Hover[]) => hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString);

async function showHoverAt(editor: vscode.TextEditor, pos: vscode.Position): Promise<void> {
  await vscode.commands.executeCommand('editor.action.hideHover');
  editor.selection = new vscode.Selection(pos, pos);
  await vscode.commands.executeCommand('editor.action.showHover');
}

const EVIL_USER = '[Prune](command:dockwise.explorer.images.prune)<img/src=x>';
const EVIL_CHECK = 'echo [Remove](command:dockwise.explorer.image.remove) www.evil.example';

describe('Links in the editor', function () {
  this.timeout(120_000);
  const docker = new Dockerode();

  before(async () => {
    await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('editor.action.hideHover');
  });

  // Other suites count the images that share the seeded base layer: leave the daemon as it was.
  after(async () => {
    for (const tag of ['dockwise-test/hostile:1.0', 'dockwise-test/commented:1.0']) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
  });

  it('runs "Learn more in the course" from an instruction hover, allowing only Dockwise commands', async () => {
    const editor = await openFile('links/Dockerfile', `FROM ${SEED.busyboxImage}\nRUN echo hello\n`);
    const run = new vscode.Position(1, 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, run);
    const learn = markdownOf(hovers).find((m) => m.value.includes('Learn more in the course'));
    assert.ok(learn, 'the RUN hover links its lesson');
    assert.deepEqual(learn.isTrusted, { enabledCommands: HOVER_COMMANDS });

    await showHoverAt(editor, run);
    const link = await waitFor('the lesson link in the shown hover', async () =>
      (await queryWorkbench('.monaco-hover a')).find((a) => a.text === 'Learn more in the course' && /^command:dockwise\.openLesson/.test(a.dataHref ?? a.href ?? '')),
    );
    assert.ok(link);
    await screenshot('hover-learn-more-link');
    await workbench({ action: 'click', selector: '.monaco-hover a', text: 'Learn more in the course' });
    await waitFor('the walkthrough tab', () => (/Welcome|Walkthrough/.test(vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '') ? true : undefined));
    await screenshot('hover-learn-more-opened');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('shows an image built with hostile USER and HEALTHCHECK strings as text in its hover', async () => {
    await build(docker, 'dockwise-test/hostile:1.0', `FROM ${SEED.busyboxImage}\nHEALTHCHECK CMD ${EVIL_CHECK}\nUSER ${EVIL_USER}\n`);
    const editor = await openFile('hostile/Dockerfile', 'FROM dockwise-test/hostile:1.0\nCMD ["sh"]\n');
    const onImage = new vscode.Position(0, 8);
    const card = await waitFor('the image hover', async () =>
      markdownOf(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, onImage)).find((m) => m.value.includes('on the local daemon')),
    );
    const html = md.render(card.value);
    assert.doesNotMatch(html, /<a |<img/, html);
    assert.ok(html.includes(EVIL_USER.replace(/</g, '&lt;').replace(/>/g, '&gt;')), html);
    assert.ok(html.includes(`<code>${EVIL_CHECK}</code>`), html);

    await showHoverAt(editor, onImage);
    await waitFor('the image hover on screen', async () => ((await queryWorkbench('.monaco-hover table')).length ? true : undefined));
    const links = await queryWorkbench('.monaco-hover a');
    assert.deepEqual(links.filter((a) => /command:|evil/.test(`${a.href} ${a.dataHref}`)), [], 'no daemon string became a link');
    const cells = (await queryWorkbench('.monaco-hover td')).map((c) => c.text);
    assert.ok(cells.includes(EVIL_USER), `the user shown as written: ${cells.join(' | ')}`);
    await screenshot('hover-hostile-image');
  });

  it('shows hostile history comments as text in the explorer layer tooltips', async () => {
    const container = await docker.createContainer({ Image: SEED.busyboxImage, Cmd: ['true'] });
    try {
      await container.commit({ repo: 'dockwise-test/commented', tag: '1.0', comment: `${EVIL_USER}\n# Heading ${EVIL_CHECK}` });
    } finally {
      await container.remove({ force: true });
    }
    type Node = { label: string; tooltip?: string; children?: Node[] };
    const layer = await waitFor('the committed layer in the explorer', async () => {
      const s = await vscode.commands.executeCommand<{ views: { images?: Node[] } }>('dockwise.explorer.snapshot', { depth: 3, views: ['images'] });
      const tag = s.views.images?.find((n) => n.label === 'dockwise-test/commented')?.children?.find((n) => n.label === '1.0');
      return tag?.children?.find((l) => (l.tooltip ?? '').includes('Prune'));
    });
    const html = md.render(layer.tooltip ?? '');
    assert.doesNotMatch(html, /<a |<img|<h1/, html);
    assert.ok(html.includes(EVIL_USER.replace(/</g, '&lt;').replace(/>/g, '&gt;')), html);
  });

  it('opens a rule page inside VS Code from the rule code in the Problems panel, offline', async () => {
    const editor = await openFile('rules/Dockerfile', `FROM ${SEED.busyboxImage}\nRUN echo a\nRUN echo b\nCMD ["sh"]\n`);
    const uri = editor.document.uri;
    const chain = await waitFor('chain-run', () => dockwiseDiagnostics(uri).find((d) => codeOf(d) === 'chain-run'));
    assert.ok(typeof chain.code === 'object');
    assert.equal(chain.code.target.toString(), 'dockwise-rule:/dockerfile/chain-run');

    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const link = await waitFor('the code link in the Problems panel', async () => (await queryWorkbench('a.monaco-link[href^="dockwise-rule:"]')).find((a) => a.text === 'chain-run'));
    assert.equal(link.href, 'dockwise-rule:/dockerfile/chain-run');
    await screenshot('problems-rule-links');
    await workbench({ action: 'click', selector: 'a.monaco-link[href^="dockwise-rule:"]', text: 'chain-run' });
    const tab = await waitFor('the rule page tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.viewType === 'dockwise.rulePage' ? input : undefined;
    });
    assert.equal(tab.uri.toString(), 'dockwise-rule:/dockerfile/chain-run');
    const heading = await waitFor('the rendered page', async () => (await queryWorkbench('main.markdown-body h1')).find((h) => h.text.includes('chain-run')));
    assert.ok(heading);
    const web = await queryWorkbench('.rule-header a.web');
    assert.deepEqual(web.map((a) => a.href), ['https://github.com/hadolint/hadolint/wiki/DL3059']);
    assert.ok((await queryWorkbench('main.markdown-body pre code')).length > 0, 'code examples rendered as code blocks');
    await screenshot('rule-page');
    await workbench({ action: 'click', selector: 'button#lesson' });
    await waitFor('the lesson on layers', () => (/Welcome|Walkthrough/.test(vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '') ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('opens any rule page by any of its names, with BuildKit’s page where BuildKit has one', async () => {
    assert.equal(await vscode.commands.executeCommand('dockwise.showRule', 'StageNameCasing'), true);
    await waitFor('the BuildKit check page', async () => (await queryWorkbench('main.markdown-body h1')).find((h) => h.text.includes('stage-name-casing')));
    const web = await queryWorkbench('.rule-header a.web');
    assert.deepEqual(web.map((a) => a.href), ['https://docs.docker.com/go/dockerfile/rule/stage-name-casing/']);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.equal(await vscode.commands.executeCommand('dockwise.showRule', 'no-docker-socket', 'compose'), true);
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom);
    assert.equal(input.uri.toString(), 'dockwise-rule:/compose/no-docker-socket');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.equal(await vscode.commands.executeCommand('dockwise.showRule', 'no-such-rule'), false);
  });
});
