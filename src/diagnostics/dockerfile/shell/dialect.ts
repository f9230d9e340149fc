/**
 * Which shell runs a RUN body: `/bin/sh -c` unless a `SHELL` instruction (per stage, inherited by stages built
 * on it) or a `# hadolint shell=...` comment says otherwise. PowerShell and cmd bodies are not POSIX shell, so
 * the shell rules and ShellCheck leave them alone, as hadolint does.
 */
export type ShellDialect = 'sh' | 'bash' | 'dash' | 'ksh' | 'zsh' | 'powershell' | 'cmd' | 'other';

export function dialectOf(shellWords: readonly string[]): ShellDialect {
  const exe = (shellWords[0] ?? '').toLowerCase();
  const base = exe.slice(Math.max(exe.lastIndexOf('/'), exe.lastIndexOf('\\')) + 1).replace(/\.exe$/, '');
  switch (base) {
    case 'sh':
    case 'ash':
    case 'busybox':
      return 'sh';
    case 'bash':
      return 'bash';
    case 'dash':
      return 'dash';
    case 'ksh':
    case 'mksh':
      return 'ksh';
    case 'zsh':
      return 'zsh';
    case 'pwsh':
    case 'powershell':
      return 'powershell';
    case 'cmd':
      return 'cmd';
    default:
      return exe ? 'other' : 'sh';
  }
}

/** `# hadolint shell=powershell` → the dialect it names. */
export function shellPragma(comment: string): ShellDialect | undefined {
  const m = /^#?\s*hadolint\s+shell\s*=\s*(\S+)\s*$/i.exec(comment.trim());
  return m ? dialectOf([m[1]]) : undefined;
}

/** The `-s` value ShellCheck accepts for a dialect, or undefined when ShellCheck cannot check it. */
export function shellcheckDialect(d: ShellDialect): 'sh' | 'bash' | 'dash' | 'ksh' | undefined {
  return d === 'sh' || d === 'bash' || d === 'dash' || d === 'ksh' ? d : undefined;
}

/** True when the RUN bodies are POSIX-like shell scripts the shell rules can read. */
export const isPosixLike = (d: ShellDialect): boolean => d !== 'powershell' && d !== 'cmd';
