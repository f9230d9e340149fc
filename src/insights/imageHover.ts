import * as vscode from 'vscode';
import type { DaemonWatcher } from '../docker/daemonWatcher';
import { imageCard, missingImageCard } from './imageCard';
import { InspectedImage, inspectImage } from './localImage';

/** The image reference under the cursor: a FROM's image, or a compose `image:` value. */
function imageAt(doc: vscode.TextDocument, pos: vscode.Position): { ref: string; range: vscode.Range } | undefined {
  const line = doc.lineAt(pos.line).text;
  const re = doc.languageId === 'dockerfile' ? /^(\s*FROM\s+(?:--\S+\s+)*)(\S+)/i : /^(\s*image:\s*["']?)([^"'\s#]+)/;
  const m = re.exec(line);
  if (!m) return undefined;
  const start = m[1].length;
  const end = start + m[2].length;
  if (pos.character < start || pos.character > end || m[2].includes('$') || m[2].toLowerCase() === 'scratch') return undefined;
  return { ref: m[2], range: new vscode.Range(pos.line, start, pos.line, end) };
}

/** Hover on an image name: what the local daemon knows of it (tags, size, age, user, healthcheck). */
export class ImageHover implements vscode.HoverProvider {
  constructor(private readonly watcher: DaemonWatcher) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const at = imageAt(doc, pos);
    if (!at || this.watcher.state !== 'up') return undefined;
    let img: InspectedImage;
    try {
      img = await inspectImage(this.watcher, at.ref, 2000);
    } catch {
      return new vscode.Hover(new vscode.MarkdownString(missingImageCard(at.ref)), at.range);
    }
    const md = new vscode.MarkdownString(imageCard(at.ref, img));
    return new vscode.Hover(md, at.range);
  }
}
