import { URI } from 'vscode-uri';

/** The file system path of a document, when it has one (untitled and virtual documents do not). */
export function filePathOf(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}
