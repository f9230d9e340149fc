import type { FileKind } from './types';

/** `Dockerfile`, `Dockerfile.prod`, `Dockerfile-app`, `api.Dockerfile`, and the same for `Containerfile`. */
const DOCKERFILE = /^(?:(?:docker|container)file(?:[.-].+)?|.+\.(?:docker|container)file)$/i;
/** `Dockerfile.dockerignore` is the ignore file BuildKit reads for `Dockerfile`, not a Dockerfile. */
const IGNORE_FILE = /\.(?:docker|container)ignore$/i;
const COMPOSE = /^(?:(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml)$/i;

/** Which linter a file name belongs to, by the names Docker itself looks for. */
export function kindOfFileName(path: string): FileKind | undefined {
  const base = path.split(/[\\/]/).pop() ?? path;
  if (DOCKERFILE.test(base) && !IGNORE_FILE.test(base)) return 'dockerfile';
  if (COMPOSE.test(base)) return 'compose';
  return undefined;
}

/** Language ids the editor uses for the two kinds. */
export const LANGUAGE_IDS: Record<FileKind, string> = { dockerfile: 'dockerfile', compose: 'dockercompose' };

export function kindOfLanguageId(languageId: string): FileKind | undefined {
  if (languageId === 'dockerfile') return 'dockerfile';
  if (languageId === 'dockercompose') return 'compose';
  return undefined;
}
