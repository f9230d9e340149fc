/**
 * Pins a floating image reference to a version the user can see: one another line of the same file already uses for
 * that image. (The editor adds the tags and digest the local daemon has; nothing comes from a list in this code,
 * which would be out of date the day it ships and may name an older major or another libc.)
 */
import { isScalar, Scalar } from 'yaml';
import { parseImageRef } from '../dockerfile/imageRef';
import { unquote } from '../dockerfile/parse';
import { asMap, entries, value } from '../compose/yamlNodes';
import type { ComposeFixContext, DockerfileFixContext } from './context';
import type { FixDefinition, Proposal } from './types';
import type { Finding } from '../types';

interface Seen {
  ref: string;
  line: number;
}

function dockerfileRefs(fx: DockerfileFixContext): Seen[] {
  return fx.df.stages.flatMap((st) => (st.imageWord && !st.imageWord.raw.includes('$') ? [{ ref: unquote(st.imageWord.raw, fx.df.escape), line: st.from.line }] : []));
}

function composeRefs(fx: ComposeFixContext): Seen[] {
  const out: Seen[] = [];
  const services = value(asMap(fx.compose.doc.contents), 'services');
  for (const e of entries(asMap(services))) {
    const image = value(asMap(e.pair.value), 'image');
    if (isScalar(image) && typeof (image as Scalar).value === 'string' && image.range) out.push({ ref: String(image.value), line: fx.lines.positionAt(image.range[0]).line });
  }
  return out;
}

function proposals(fx: DockerfileFixContext | ComposeFixContext, finding: Finding, seen: Seen[]): Proposal[] {
  const r = finding.range;
  if (r.start.line !== r.end.line) return [];
  const written = fx.lines.slice(r.start, r.end);
  const quote = /^["']/.test(written) ? written[0] : '';
  const ref = quote ? written.slice(1, -1) : written;
  if (!ref || /[$@\s]/.test(ref)) return [];
  const repo = parseImageRef(ref).repository.toLowerCase();
  const out: Proposal[] = [];
  const offered = new Set<string>();
  for (const s of seen) {
    if (s.line === r.start.line || /[$\s]/.test(s.ref)) continue;
    const other = parseImageRef(s.ref);
    if (other.repository.toLowerCase() !== repo || (!other.tag && !other.digest) || other.tag === 'latest') continue;
    const pinned = `${parseImageRef(ref).repository}${other.tag ? `:${other.tag}` : ''}${other.digest ? `@${other.digest}` : ''}`;
    if (offered.has(pinned)) continue;
    offered.add(pinned);
    out.push({ title: `Pin to ${pinned} (as line ${s.line + 1} does)`, edits: [{ range: r, newText: `${quote}${pinned}${quote}` }] });
  }
  return out;
}

const RISK = 'builds then use that version, which may be older or newer than what the floating tag gives today';

export const pinTagDockerfile: FixDefinition<DockerfileFixContext> = {
  id: 'pin-tag',
  kind: 'dockerfile',
  rules: ['no-latest-tag', 'DL3006', 'DL3007'],
  safety: 'review',
  risk: RISK,
  propose: (fx, finding) => proposals(fx, finding, fx.memo('image-refs', () => dockerfileRefs(fx))),
};

export const pinTagCompose: FixDefinition<ComposeFixContext> = {
  id: 'pin-tag',
  kind: 'compose',
  rules: ['no-latest-tag'],
  safety: 'review',
  risk: RISK,
  propose: (fx, finding) => proposals(fx, finding, fx.memo('image-refs', () => composeRefs(fx))),
};
