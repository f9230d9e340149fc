import * as vscode from 'vscode';
import { parseImageRef } from '../diagnostics/dockerfile/imageRef';
import type { DaemonWatcher } from '../docker/daemonWatcher';
import { InspectedImage, inspectImage } from './localImage';

const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

/**
 * Pins a floating image to what the local daemon really has behind it: another tag of the same image
 * (`node:latest` is also `node:22.11.0`) or its digest, which never moves.
 */
export class PinFromDaemon implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly watcher: DaemonWatcher) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (this.watcher.state !== 'up') return [];
    const out: vscode.CodeAction[] = [];
    for (const diag of context.diagnostics) {
      if (diag.source !== 'dockwise' || codeOf(diag) !== 'no-latest-tag' || !diag.range.isSingleLine) continue;
      const written = doc.getText(diag.range);
      const quote = /^["']/.test(written) ? written[0] : '';
      const ref = quote ? written.slice(1, -1) : written;
      if (ref.includes('$')) continue;
      let img: InspectedImage;
      try {
        img = await inspectImage(this.watcher, ref, 2000);
      } catch {
        continue; // not on this daemon: the language server's suggestions remain
      }
      const name = parseImageRef(ref).repository;
      const replace = (title: string, newRef: string, preferred: boolean) => {
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diag];
        action.isPreferred = preferred;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, diag.range, `${quote}${newRef}${quote}`);
        return action;
      };
      const tags = (img.RepoTags ?? []).filter((t) => t.startsWith(`${name}:`) && !t.endsWith(':latest'));
      tags.forEach((t, i) => out.push(replace(`Pin to ${t} (the image your Docker daemon has)`, t, i === 0)));
      const digest = (img.RepoDigests ?? []).find((d) => d.startsWith(`${name}@`));
      if (digest) out.push(replace(`Pin to the digest your Docker daemon has (${digest.split('@')[1].slice(0, 19)}…)`, digest, tags.length === 0));
    }
    return out;
  }
}
