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

/** What the workbench shows for a CSS selector: each element's text and the attributes asked for. */
export interface WorkbenchElement {
  text: string;
  attrs: Record<string, string | null>;
}

/**
 * Asks the runner (which drives the browser) what the workbench's DOM shows, through a request file as for
 * screenshots. Undefined under desktop VS Code, where there is no such runner.
 */
export async function queryWorkbench(selector: string, attributes: string[] = []): Promise<WorkbenchElement[] | undefined> {
  const out = process.env.DOCKWISE_TEST_OUTPUT;
  if (!out || process.env.DOCKWISE_TEST_HOST !== 'code-server') return undefined;
  const dir = path.join(out, 'dom-requests');
  fs.mkdirSync(dir, { recursive: true });
  const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const result = path.join(dir, `${id}.result`);
  fs.writeFileSync(path.join(dir, `${id}.tmp`), JSON.stringify({ selector, attributes }));
  fs.renameSync(path.join(dir, `${id}.tmp`), path.join(dir, `${id}.json`));
  await waitFor(`the workbench's answer for ${selector}`, () => fs.existsSync(result), 15_000);
  const found = JSON.parse(fs.readFileSync(result, 'utf8')) as WorkbenchElement[] | { error: string };
  fs.rmSync(result, { force: true });
  if (!Array.isArray(found)) throw new Error(`querying ${selector}: ${found.error}`);
  return found;
}
