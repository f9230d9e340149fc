import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The user's cache folder for Dockwise (`$XDG_CACHE_HOME/dockwise`, `~/Library/Caches/dockwise`,
 * `%LOCALAPPDATA%\dockwise\Cache`), or undefined when there is no home folder. It holds the CLI's code cache and
 * ShellCheck's results. Never the shared temporary folder: cached code is run as it is, and cached results are
 * believed, so they live where only their user can write.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  let home: string;
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? (home && path.win32.join(home, 'AppData', 'Local'));
    return local ? path.win32.join(local, 'dockwise', 'Cache') : undefined;
  }
  if (platform === 'darwin') return home ? path.posix.join(home, 'Library', 'Caches', 'dockwise') : undefined;
  const xdg = env.XDG_CACHE_HOME && path.posix.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : home && path.posix.join(home, '.cache');
  return xdg ? path.posix.join(xdg, 'dockwise') : undefined;
}
