/** Helpers for tests that run inside the extension host. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'dockwise.dockwise';

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in the test host`);
  await ext.activate();
  return ext;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test host opened no workspace folder');
  return folder.uri.fsPath;
}

/** Resolves when `predicate` holds, polling; rejects with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function dockwiseDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'dockwise');
}

export const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

/**
 * Asks the runner (which drives the browser) for a screenshot of the whole workbench, through a request file it
 * watches, and waits until the picture is saved.
 * Under desktop VS Code there is no such runner, and this is a no-op.
 */
export async function screenshot(name: string): Promise<void> {
  const out = process.env.DOCKWISE_TEST_OUTPUT;
  if (!out || process.env.DOCKWISE_TEST_HOST !== 'code-server') return;
  const file = path.join(out, 'screenshots', `${name}.png`);
  await new Promise((r) => setTimeout(r, 400)); // let the workbench paint what the test just did
  fs.mkdirSync(path.join(out, 'screenshot-requests'), { recursive: true });
  fs.writeFileSync(path.join(out, 'screenshot-requests', name), '');
  await waitFor(`screenshot ${name}`, () => fs.existsSync(file), 15_000);
}

export interface WorkbenchMatch {
  text: string;
  href?: string;
  dataHref?: string;
  /** The attributes a query asked for (null where the element has none). */
  attrs: Record<string, string | null>;
}

/**
 * Asks the runner to do in the workbench what a user's mouse or keyboard would (click, hover, press a key) or to
 * report what the page shows (`query`: every element matching a selector, webviews included), through a request
 * file it watches. Under desktop VS Code there is no such runner: the returned promise rejects.
 */
export async function workbench(
  request: { action: 'click' | 'hover'; selector: string; text?: string } | { action: 'press'; key: string } | { action: 'query'; selector: string; attributes?: string[] },
): Promise<{ matches?: WorkbenchMatch[] }> {
  const out = process.env.DOCKWISE_TEST_OUTPUT;
  if (!out || process.env.DOCKWISE_TEST_HOST !== 'code-server') throw new Error('workbench actions need the code-server runner');
  const dir = path.join(out, 'workbench-actions');
  fs.mkdirSync(dir, { recursive: true });
  const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(path.join(dir, `${id}.json.tmp`), JSON.stringify(request));
  fs.renameSync(path.join(dir, `${id}.json.tmp`), path.join(dir, `${id}.json`));
  const done = path.join(dir, `${id}.done`);
  await waitFor(`the workbench to ${request.action}`, () => fs.existsSync(done), 30_000);
  const result = JSON.parse(fs.readFileSync(done, 'utf8')) as { error?: string; matches?: WorkbenchMatch[] };
  fs.rmSync(done, { force: true });
  if (result.error) throw new Error(`workbench ${request.action}: ${result.error}`);
  return result;
}

/** Elements the workbench shows that match `selector` (webviews included), with the `attributes` asked for. */
export async function queryWorkbench(selector: string, attributes: string[] = []): Promise<WorkbenchMatch[]> {
  return (await workbench({ action: 'query', selector, attributes })).matches ?? [];
}
