import { URI } from 'vscode-uri';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { diskHost, LintHost } from '../diagnostics/host';

/** Reads open (possibly unsaved) documents first, then the disk: a `.dockerignore` being edited counts at once. */
export function documentHost(documents: TextDocuments<TextDocument>): LintHost {
  return {
    readFile(file) {
      const open = documents.get(URI.file(file).toString());
      return open ? open.getText() : diskHost.readFile(file);
    },
  };
}

/** The file system path of a document, when it has one (untitled and virtual documents do not). */
export function filePathOf(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}
