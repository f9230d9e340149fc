/**
 * What the editor says about a build, without `vscode`: which Dockerfile instruction a failed step was, the tag to
 * offer, whether a tag is valid, and what the build context teaches (a large one, or folders it should not hold).
 */
import { DockerfileParser } from 'dockerfile-ast';
import type { BuildStep, ContextScan } from '../docker/build';
import { USUALLY_IGNORED } from '../docker/build';
import { formatSize } from './historyMatch';

export interface LineRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/**
 * The Dockerfile range of the step the builder reported. The classic builder counts every instruction in order
 * (ARGs before the first FROM too) and prints it after the count; the keyword is checked so an edited file never
 * gets a diagnostic on the wrong line (then the first instruction with the same text is used, or none).
 */
export function stepRange(dockerfile: string, step: Pick<BuildStep, 'index' | 'instruction'>): LineRange | undefined {
  const instructions = DockerfileParser.parse(dockerfile).getInstructions();
  const keyword = step.instruction.trim().split(/\s+/)[0]?.toUpperCase();
  const byIndex = instructions[step.index - 1];
  if (byIndex && byIndex.getKeyword() === keyword) return byIndex.getRange();
  const squash = (s: string) => s.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
  const byText = instructions.find((i) => squash(i.getTextContent()).toUpperCase() === squash(step.instruction).toUpperCase());
  return byText?.getRange();
}

/** `dockerfile parse error line 5: unknown instruction: FOO` → the 0-based line, for errors before any step. */
export function parseErrorLine(message: string): number | undefined {
  const m = /\bparse error (?:on )?line (\d+)/i.exec(message);
  return m ? Number(m[1]) - 1 : undefined;
}

/** The range of a whole line, for errors that name a line but no instruction. */
export function lineRange(dockerfile: string, line: number): LineRange | undefined {
  const lines = dockerfile.split(/\r?\n/);
  if (line < 0 || line >= lines.length) return undefined;
  return { start: { line, character: 0 }, end: { line, character: lines[line].length } };
}

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
/** A first component is a registry when it has a dot or a port, or is localhost (as Docker decides). */
const DOMAIN = `(?:(?:localhost|${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})+)(?::[0-9]+)?|${DOMAIN_COMPONENT}:[0-9]+)`;
/** Docker's reference grammar for a tag to build: `[registry/]name[:tag]`, no digest. */
const TAG_REF = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?$`);

/** Why `tag` cannot name an image, or undefined when it can. */
export function tagProblem(tag: string): string | undefined {
  const t = tag.trim();
  if (!t) return 'Give the image a name, such as todo-app:1.0.';
  if (t.length > 255) return 'An image name is at most 255 characters.';
  if (/[A-Z]/.test(t.split('/').pop()?.split(':')[0] ?? '')) return 'Repository names are lowercase: todo-app, not Todo-App.';
  if (t.includes('@')) return 'A build is tagged with a name and a tag; a digest is what the registry gives it.';
  if (!TAG_REF.test(t)) return 'Use name or name:tag with lowercase letters, digits and . _ - (registry/team/name:1.0 works too).';
  return undefined;
}

/**
 * The tag to offer: the folder's name (what `docker compose` names images after), with the Dockerfile's variant
 * for `Dockerfile.dev` or `api.Dockerfile`, and `latest`.
 */
export function defaultTag(dockerfilePath: string): string {
  const parts = dockerfilePath.split(/[\\/]/).filter(Boolean);
  const file = parts.pop() ?? 'Dockerfile';
  const folder = parts.pop() ?? 'image';
  const variant = /^(?:Dockerfile|Containerfile)\.(.+)$/i.exec(file)?.[1] ?? /^(.+)\.(?:Dockerfile|Containerfile)$/i.exec(file)?.[1];
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').replace(/[._-]{2,}/g, '-');
  const name = [clean(folder) || 'image', variant ? clean(variant) : ''].filter(Boolean).join('-');
  return `${name}:latest`;
}

/** Beyond this, a context is large whatever it holds: every build sends all of it before the first step. */
export const LARGE_CONTEXT_BYTES = 100 * 1000 * 1000;

export interface ContextAdvice {
  /** One line for the log and the progress: `2.1 MB in 14 files`. */
  summary: string;
  /** Set when the context teaches something: what it holds that it should not, or how large it is. */
  warning?: string;
}

export function contextAdvice(scan: ContextScan): ContextAdvice {
  const summary = `${formatSize(scan.bytes)} in ${scan.files} file${scan.files === 1 ? '' : 's'}${scan.ignoreFile ? ` (${scan.ignoreFile} applied)` : ' (no .dockerignore)'}`;
  const culprits = scan.topLevel.filter((t) => t.directory && USUALLY_IGNORED.includes(t.name));
  const parts: string[] = [];
  if (culprits.length) {
    const list = culprits.map((c) => `${c.name}/ (${formatSize(c.bytes)})`).join(', ');
    parts.push(`The build context holds ${list}, which images rarely need: Docker sends the whole context to the daemon on every build, and a COPY . copies it in. Add ${culprits.length === 1 ? 'it' : 'them'} to .dockerignore.`);
  }
  if (scan.bytes > LARGE_CONTEXT_BYTES) {
    const biggest = scan.topLevel.slice(0, 3).map((t) => `${t.name}${t.directory ? '/' : ''} ${formatSize(t.bytes)}`).join(', ');
    parts.push(`The build context is ${formatSize(scan.bytes)} (largest: ${biggest}); every build uploads all of it before the first step.`);
  }
  return { summary, ...(parts.length ? { warning: parts.join(' ') } : {}) };
}
