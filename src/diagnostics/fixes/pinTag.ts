import { parseImageRef } from '../dockerfile/imageRef';
import { suggestedTags } from './suggestedTags';
import { Lines } from './text';
import type { Fix, FixProvider } from './types';

/**
 * Pins a floating image reference (a FROM image, a compose `image:` value, quoted or not) to the versions suggested
 * for official images. References with a digest or a variable are left as they are.
 */
export const pinTag: FixProvider = ({ finding, text }) => {
  const r = finding.range;
  if (r.start.line !== r.end.line) return [];
  const written = new Lines(text).line(r.start.line).slice(r.start.character, r.end.character);
  const quote = /^["']/.test(written) ? written[0] : '';
  const ref = quote ? written.slice(1, -1) : written;
  if (!ref || /[$@\s]/.test(ref)) return [];
  const name = parseImageRef(ref).repository;
  return suggestedTags(name).map((tag, i): Fix => ({
    title: `Pin to ${name}:${tag}`,
    edits: [{ range: r, newText: `${quote}${name}:${tag}${quote}` }],
    preferred: i === 0,
    safe: i === 0,
  }));
};
