import type { WorkspaceEdit } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Fix } from '../diagnostics/fixes';

/**
 * A fix as an LSP workspace edit: plain `changes` when it only edits the document, `documentChanges` when it also
 * creates or edits other files (a secret moved to `.env`), creating each missing file before writing to it.
 */
export function fixWorkspaceEdit(uri: string, version: number, fix: Pick<Fix, 'edits' | 'files'>): WorkspaceEdit {
  if (!fix.files?.length) return { changes: { [uri]: fix.edits } };
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  if (fix.edits.length) documentChanges.push({ textDocument: { uri, version }, edits: fix.edits });
  for (const f of fix.files) {
    const other = URI.file(f.path).toString();
    if (f.create) documentChanges.push({ kind: 'create', uri: other, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri: other, version: null }, edits: f.edits });
  }
  return { documentChanges };
}
