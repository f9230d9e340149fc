/** Questions rules ask about one command: its flags, its non-flag arguments, the values given to a flag. */
import { flagsOf, ShellCommand, ShellWord } from './script';

export const basename = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/** True when the command is `name` (or a path ending in `/name`). */
export function isCommand(cmd: ShellCommand, ...names: string[]): boolean {
  return names.includes(cmd.name) || names.includes(basename(cmd.name));
}

export function hasArg(cmd: ShellCommand, ...values: string[]): boolean {
  return cmd.args.some((a) => values.includes(a.value));
}

/** `cmd` is `name` and has one of `values` among its arguments (hadolint's `cmdHasArgs`). */
export function commandWithArg(cmd: ShellCommand, names: string[], values: string[]): boolean {
  return isCommand(cmd, ...names) && hasArg(cmd, ...values);
}

export function hasFlag(cmd: ShellCommand, ...names: string[]): boolean {
  return flagsOf(cmd).some((f) => names.includes(f.name));
}

export function countFlag(cmd: ShellCommand, name: string): number {
  return flagsOf(cmd).filter((f) => f.name === name).length;
}

/** The word that carries a flag (for a precise range), if present. */
export function flagWord(cmd: ShellCommand, ...names: string[]): ShellWord | undefined {
  const f = flagsOf(cmd).find((fl) => names.includes(fl.name));
  return f ? cmd.args[f.argIndex] : undefined;
}

/**
 * Arguments that are not flags. Flags listed in `valueFlags` take the following word as their value (unless
 * written `--flag=value`), and that word is not an argument either.
 */
export function argsNoFlags(cmd: ShellCommand, valueFlags: readonly string[] = []): ShellWord[] {
  const out: ShellWord[] = [];
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v.startsWith('-') && v !== '-' && v !== '--') {
      if (!v.includes('=') && takesValue(v, valueFlags)) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

function takesValue(word: string, valueFlags: readonly string[]): boolean {
  if (!valueFlags.length) return false;
  if (word.startsWith('--')) return valueFlags.includes(word.slice(2));
  // `-t` or a cluster like `-yt`: the last letter takes the value
  return valueFlags.includes(word.slice(-1));
}

/** Values given to a flag: `-u 1000` or `--uid=1000` or `--uid 1000`. */
export function flagValues(cmd: ShellCommand, ...names: string[]): ShellWord[] {
  const out: ShellWord[] = [];
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (!v.startsWith('-') || v === '-' || v === '--') continue;
    if (v.startsWith('--')) {
      const [n, ...rest] = v.slice(2).split('=');
      if (!names.includes(n)) continue;
      if (rest.length) out.push({ ...args[i], value: rest.join('=') });
      else if (args[i + 1]) out.push(args[i + 1]);
    } else {
      const letters = v.slice(1);
      const hit = names.find((n) => n.length === 1 && letters.includes(n));
      if (!hit) continue;
      const after = letters.slice(letters.indexOf(hit) + 1);
      if (after) out.push({ ...args[i], value: after });
      else if (args[i + 1]) out.push(args[i + 1]);
    }
  }
  return out;
}

/** The sub-command after the global flags: `apt-get -y install x` → `install`. */
export function subcommand(cmd: ShellCommand, valueFlags: readonly string[] = []): ShellWord | undefined {
  return argsNoFlags(cmd, valueFlags)[0];
}
