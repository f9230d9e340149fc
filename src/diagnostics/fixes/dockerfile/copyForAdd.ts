import * as path from 'node:path';
import { execForm, unquote } from '../../dockerfile/parse';
import type { Finding } from '../../types';
import type { DockerfileFixContext } from '../context';
import type { FileProbe, FixDefinition, Proposal } from '../types';
import { instructionAt } from './runs';

/**
 * ADD unpacks a local tar archive (plain, gzip, bzip2, xz, zstd), whatever its name; COPY copies it as it is. So
 * ADD → COPY keeps the image the same only for sources that are provably not archives: the build context itself
 * (`.`), a directory, or a file whose first bytes are no archive's.
 */
const ARCHIVE_NAME = /\.(tar|t?gz|tgz|taz|tbz2?|tb2|bz2|txz|xz|lz|lzma|tlz|t?zst|tzst|zstd|Z|tZ)$/i;
const COPY_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude', 'parents']);

/** Magic numbers Docker's archive detection knows, and a tar header's checksum. */
export function looksLikeArchive(head: Uint8Array): boolean {
  const starts = (...b: number[]) => b.every((x, i) => head[i] === x);
  if (starts(0x1f, 0x8b) || starts(0x42, 0x5a, 0x68) || starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00) || starts(0x28, 0xb5, 0x2f, 0xfd)) return true;
  if (head.length < 512) return false;
  // A tar header: its checksum field (octal, at 148) is the sum of the header's bytes with that field as spaces.
  const field = String.fromCharCode(...head.subarray(148, 156)).replace(/[\0 ]+$/, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : head[i];
  return sum === parseInt(field, 8);
}

type Verdict = 'plain' | 'unknown' | 'archive-or-remote';

function verdict(source: string, contextDir: string | undefined, probe: FileProbe): Verdict {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^git@/.test(source) || /\.git(#.*)?$/.test(source)) return 'archive-or-remote';
  if (ARCHIVE_NAME.test(source)) return 'archive-or-remote';
  if (source === '.' || source === './' || source.endsWith('/')) return 'plain'; // the context or a directory (or an error)
  if (/[$*?[\\]/.test(source) || !contextDir) return 'unknown';
  const file = path.resolve(contextDir, source);
  const kind = probe.kind(file);
  if (kind === 'directory') return 'plain';
  if (kind !== 'file') return 'unknown';
  const head = probe.head(file, 512);
  if (!head) return 'unknown';
  return looksLikeArchive(head) ? 'archive-or-remote' : 'plain';
}

function analyse(fx: DockerfileFixContext, finding: Finding): { proposal: Proposal; proven: boolean } | undefined {
  const ins = instructionAt(fx, finding.range.start.line);
  if (!ins || ins.keyword !== 'ADD' || ins.heredocs.length) return undefined;
  if (ins.flags.some((f) => !COPY_FLAGS.has(f.name.toLowerCase()))) return undefined;
  const words = execForm(ins) ?? ins.args.map((w) => unquote(w.raw, fx.df.escape));
  if (words.length < 2) return undefined;
  // The build context is assumed to be the Dockerfile's folder, as `docker build .` next to it does.
  const contextDir = fx.filePath ? path.dirname(fx.filePath) : undefined;
  const verdicts = words.slice(0, -1).map((s) => verdict(s, contextDir, fx.probe));
  if (verdicts.includes('archive-or-remote')) return undefined;
  const written = ins.keywordRaw;
  const keyword = written === written.toLowerCase() ? 'copy' : written === written.toUpperCase() ? 'COPY' : 'Copy';
  return { proposal: { title: 'Use COPY instead of ADD', edits: [{ range: ins.keywordRange, newText: keyword }] }, proven: verdicts.every((v) => v === 'plain') };
}

export const copyForAdd: FixDefinition<DockerfileFixContext> = {
  id: 'copy-for-add',
  kind: 'dockerfile',
  rules: ['DL3020'],
  safety: 'safe',
  propose(fx, finding) {
    const a = analyse(fx, finding);
    return a?.proven ? [a.proposal] : [];
  },
};

export const copyForAddUnverified: FixDefinition<DockerfileFixContext> = {
  id: 'copy-for-add-unverified',
  kind: 'dockerfile',
  rules: ['DL3020'],
  safety: 'review',
  risk: 'if a source is a tar archive, ADD unpacked it and COPY copies the archive as it is',
  propose(fx, finding) {
    const a = analyse(fx, finding);
    return a && !a.proven ? [a.proposal] : [];
  },
};
