/**
 * Which line of an open Dockerfile made each layer of an image: the image's history is matched with every open
 * Dockerfile's final stage (see insights/historyMatch), and only a file whose every step matched counts.
 */
import { DockerfileParser } from 'dockerfile-ast';
import * as vscode from 'vscode';
import type { Layer } from '../docker/model';
import { matchHistory } from '../insights/historyMatch';

export interface LayerSource {
  uri: vscode.Uri;
  /** 0-based line of the instruction. */
  line: number;
}

/** Steps of the final stage that leave a trace in the history (BuildKit records no ARG). */
function finalStageSteps(text: string): number {
  const instructions = DockerfileParser.parse(text).getInstructions();
  let start = 0;
  instructions.forEach((ins, i) => {
    if (ins.getKeyword() === 'FROM') start = i;
  });
  return instructions.slice(start + 1).filter((i) => i.getKeyword() !== 'ARG').length;
}

/**
 * For each layer (base first), the Dockerfile line that made it, when one open Dockerfile built this image;
 * undefined for the layers below its final stage's FROM.
 */
export function findLayerSources(layers: Layer[], documents: readonly vscode.TextDocument[] = vscode.workspace.textDocuments): (LayerSource | undefined)[] | undefined {
  if (!layers.length) return undefined;
  const history = [...layers].reverse().map((l) => ({ CreatedBy: l.createdBy, Size: l.size }));
  let best: { uri: vscode.Uri; lines: number[] } | undefined;
  for (const doc of documents) {
    if (doc.languageId !== 'dockerfile' || doc.lineCount > 5000) continue;
    const text = doc.getText();
    const { layers: matched, matched: count } = matchHistory(text, history);
    const steps = finalStageSteps(text);
    if (!count || count < steps || count > layers.length) continue;
    if (!best || count > best.lines.length) best = { uri: doc.uri, lines: matched.map((m) => m.line) };
  }
  if (!best) return undefined;
  const offset = layers.length - best.lines.length;
  const uri = best.uri;
  return layers.map((_, i) => (i >= offset ? { uri, line: best!.lines[i - offset] } : undefined));
}
