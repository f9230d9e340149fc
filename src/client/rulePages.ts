/**
 * Each rule's page, opened inside VS Code from the rule code in the Problems panel (or a hover), offline and in
 * remote windows. A diagnostic's link must be a URI the workbench opens as an editor (`command:` URIs are not
 * allowed there), so the pages live under their own scheme, `dockwise-rule:/dockerfile/no-root-user`: a read-only
 * file system serves the markdown shipped in `docs/rules/`, and a custom editor bound to that scheme shows it
 * rendered by VS Code's own markdown engine, themed like the rest of the workbench.
 */
import * as vscode from 'vscode';
import '../diagnostics/engine'; // registers every rule: titles, aliases and lessons for the page header
import { allRules, ruleByName } from '../diagnostics/registry';
import type { FileKind, RuleMeta } from '../diagnostics/types';
import { parseRulePageUriPath, RULE_PAGE_SCHEME, rulePagePath, rulePageUriPath, webPages } from '../language/ruleDocs';

export const RULE_PAGE_VIEW = 'dockwise.rulePage';

export function rulePageUri(kind: FileKind, code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_PAGE_SCHEME, path: rulePageUriPath(kind, code) });
}

/**
 * Points each Dockwise diagnostic's code at its rule page. ShellCheck findings keep their link to ShellCheck's wiki,
 * which explains each SC code (the shipped page covers ShellCheck as a whole).
 */
export function linkRulePages(diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  for (const d of diagnostics) {
    if (d.source !== 'dockwise' || d.code === undefined) continue;
    const code = String(typeof d.code === 'object' ? d.code.value : d.code);
    const kind = (d as { data?: { kind?: unknown } }).data?.kind;
    if (kind !== 'dockerfile' && kind !== 'compose') continue;
    if (code === 'shellcheck' && typeof d.code === 'object') continue;
    d.code = { value: code, target: rulePageUri(kind, code) };
  }
  return diagnostics;
}

/** Serves `dockwise-rule:` URIs from the pages in the extension; nothing can be written. */
class RulePageFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly extensionUri: vscode.Uri) {}

  file(uri: vscode.Uri): vscode.Uri {
    const rule = parseRulePageUriPath(uri.path);
    if (!rule) throw vscode.FileSystemError.FileNotFound(uri);
    return vscode.Uri.joinPath(this.extensionUri, rulePagePath(rule.kind, rule.code));
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    try {
      const s = await vscode.workspace.fs.stat(this.file(uri));
      return { ...s, type: vscode.FileType.File, permissions: vscode.FilePermission.Readonly };
    } catch {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    try {
      return await vscode.workspace.fs.readFile(this.file(uri));
    } catch {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  readDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.FileNotADirectory(uri);
  }
  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Shows a rule page rendered, with its names elsewhere, its web pages where they exist, and its lesson. */
class RulePageEditor implements vscode.CustomReadonlyEditorProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const rule = parseRulePageUriPath(document.uri.path);
    const meta = rule ? ruleByName(rule.kind, rule.code) : undefined;
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
    let body: string;
    try {
      const markdown = new TextDecoder().decode(await vscode.workspace.fs.readFile(document.uri));
      body = await this.render(markdown);
    } catch {
      body = `<p>Dockwise has no page for <code>${escapeHtml(document.uri.path)}</code>.</p>`;
    }
    panel.webview.html = this.html(panel.webview, meta, body);
    panel.webview.onDidReceiveMessage((m: { type?: string; href?: string }) => {
      if (m?.type === 'lesson' && meta?.lesson) void vscode.commands.executeCommand('dockwise.openLesson', meta.lesson);
      if (m?.type === 'link' && typeof m.href === 'string' && rule) void this.follow(rule.kind, m.href);
    });
  }

  /** VS Code's markdown engine (the built-in markdown extension), or the text as it is when that is disabled. */
  private async render(markdown: string): Promise<string> {
    try {
      const html = await vscode.commands.executeCommand<string>('markdown.api.render', markdown);
      if (typeof html === 'string') return html;
    } catch (e) {
      this.log.warn(`Rendering a rule page: ${(e as Error).message}`);
    }
    return `<pre>${escapeHtml(markdown)}</pre>`;
  }

  /** A link between pages (`chain-run.md`, `compose/no-docker-socket.md`) opens that page here. */
  private async follow(kind: FileKind, href: string): Promise<void> {
    const m = /^(?:\.\/)?(?:(\.\.\/)|(compose\/))?([A-Za-z0-9][\w-]*)\.md(?:#.*)?$/.exec(href);
    if (!m) return;
    const target: FileKind = m[2] ? 'compose' : m[1] ? 'dockerfile' : kind;
    await vscode.commands.executeCommand('vscode.openWith', rulePageUri(target, m[3]), RULE_PAGE_VIEW);
  }

  private html(webview: vscode.Webview, meta: RuleMeta | undefined, body: string): string {
    const nonce = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'rulePage.css'));
    const header: string[] = [];
    if (meta) {
      const kind = meta.kind === 'compose' ? 'Compose file rule' : 'Dockerfile rule';
      header.push(`<span class="badge">${kind}</span>`, `<span class="badge">default: ${meta.severity}</span>`);
      for (const p of webPages(meta.aliases)) header.push(`<a class="badge web" href="${escapeHtml(p.href)}" title="${escapeHtml(p.href)}">${escapeHtml(p.site)} ${escapeHtml(p.name)} ↗</a>`);
      if (meta.lesson) header.push(`<button id="lesson" type="button">Learn it in the course</button>`);
    }
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource} https: data:; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css}">
<title>${escapeHtml(meta?.code ?? 'Dockwise rule')}</title>
</head>
<body>
<nav class="rule-header">${header.join(' ')}</nav>
<main class="markdown-body">${body}</main>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  document.getElementById('lesson')?.addEventListener('click', () => vscode.postMessage({ type: 'lesson' }));
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a[href]');
    const href = a && a.getAttribute('href');
    if (href && !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('#')) {
      e.preventDefault();
      vscode.postMessage({ type: 'link', href });
    }
  });
</script>
</body>
</html>`;
  }
}

/** Every rule with its page, for the "Show Rule" picker. */
function pickRule(): Thenable<{ kind: FileKind; code: string } | undefined> {
  const items = allRules().map((r) => ({ label: r.code, description: [r.kind === 'compose' ? 'compose' : 'Dockerfile', ...r.aliases].join(' · '), detail: r.title, rule: { kind: r.kind, code: r.code } }));
  return vscode.window.showQuickPick(items, { placeHolder: 'Which rule? Type its code or any of its names (DL3008, StageNameCasing, …)', matchOnDescription: true, matchOnDetail: true }).then((i) => i?.rule);
}

/** `dockwise.showRule(code?, kind?)`: opens a rule's page; without arguments, asks which. */
async function showRule(code?: unknown, kind?: unknown): Promise<boolean> {
  let rule: { kind: FileKind; code: string } | undefined;
  if (typeof code === 'string') {
    const kinds: FileKind[] = kind === 'compose' || kind === 'dockerfile' ? [kind] : ['dockerfile', 'compose'];
    const meta = kinds.map((k) => ruleByName(k, code)).find((m) => m);
    rule = meta ? { kind: meta.kind, code: meta.code } : undefined;
  } else {
    rule = await pickRule();
  }
  if (!rule) return false;
  await vscode.commands.executeCommand('vscode.openWith', rulePageUri(rule.kind, rule.code), RULE_PAGE_VIEW);
  return true;
}

export function registerRulePages(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.workspace.registerFileSystemProvider(RULE_PAGE_SCHEME, new RulePageFileSystem(context.extensionUri), { isReadonly: true, isCaseSensitive: true }),
    vscode.window.registerCustomEditorProvider(RULE_PAGE_VIEW, new RulePageEditor(context.extensionUri, log), { supportsMultipleEditorsPerDocument: true }),
    vscode.commands.registerCommand('dockwise.showRule', showRule),
  );
}
