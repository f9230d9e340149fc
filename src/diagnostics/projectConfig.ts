import * as path from 'node:path';
import { CONFIG_FILE_NAMES, ConfigProblem, LintConfig, mergeConfig, parseConfigText } from './config';
import { LintHost, ancestors } from './host';

export interface ResolvedConfig {
  config: LintConfig;
  /** The project files that were read, nearest first. */
  files: string[];
  problems: ConfigProblem[];
}

/**
 * The project configuration for a linted file: the nearest `.dockwise.yaml` and the nearest `.hadolint.yaml`
 * walking up from the file (as hadolint looks in the working directory and up). `.dockwise.yaml` wins where both
 * speak. `base` (the editor's settings) lies under both; `override` (the CLI's `--config`) lies over them.
 */
export function resolveProjectConfig(
  filePath: string | undefined,
  host: LintHost,
  base: Partial<LintConfig> = {},
  explicitFile?: string,
): ResolvedConfig {
  const problems: ConfigProblem[] = [];
  const files: string[] = [];
  const layers: Partial<LintConfig>[] = [base];
  const read = (file: string) => {
    const text = host.readFile(file);
    if (text === undefined) return undefined;
    const parsed = parseConfigText(text, file);
    files.push(file);
    problems.push(...parsed.problems);
    return parsed.config;
  };

  if (explicitFile) {
    const c = read(explicitFile);
    if (!c) problems.push({ file: explicitFile, message: `cannot read the configuration file ${explicitFile}` });
    else layers.push(c);
    return { config: mergeConfig(...layers), files, problems };
  }

  if (filePath) {
    let hadolint: Partial<LintConfig> | undefined;
    let dockwise: Partial<LintConfig> | undefined;
    for (const dir of ancestors(path.dirname(filePath))) {
      for (const name of CONFIG_FILE_NAMES) {
        const isDockwise = name.startsWith('.dockwise');
        if (isDockwise ? dockwise : hadolint) continue;
        const c = read(path.join(dir, name));
        if (!c) continue;
        if (isDockwise) dockwise = c;
        else hadolint = c;
      }
      if (dockwise && hadolint) break;
    }
    if (hadolint) layers.push(hadolint);
    if (dockwise) layers.push(dockwise);
  }
  return { config: mergeConfig(...layers), files, problems };
}
