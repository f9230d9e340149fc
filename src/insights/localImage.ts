import type { DaemonWatcher } from '../docker/daemonWatcher';

/** The parts of the Engine API's image inspect that the editor insights read. */
export interface InspectedImage {
  Id: string;
  RepoTags?: string[];
  RepoDigests?: string[];
  Created?: string;
  Size?: number;
  Os?: string;
  Architecture?: string;
  Config?: { User?: string; Healthcheck?: { Test?: string[] }; Env?: string[] };
}

/** Inspects a local image by reference; rejects when the daemon does not have it or does not answer in time. */
export function inspectImage(watcher: DaemonWatcher, ref: string, timeoutMs: number): Promise<InspectedImage> {
  return watcher.api.get<InspectedImage>(`/images/${encodeURIComponent(ref)}/json`, { timeoutMs });
}

/** The image's HEALTHCHECK command, or undefined when it has none (`HEALTHCHECK NONE` counts as none). */
export function healthcheckOf(img: InspectedImage): string[] | undefined {
  const test = img.Config?.Healthcheck?.Test ?? [];
  return test.length > 0 && test[0] !== 'NONE' ? test : undefined;
}
