import { escapeMarkdown, inlineCode } from '../language/markdown';
import { formatSize } from './historyMatch';
import { healthcheckOf, InspectedImage } from './localImage';

/**
 * The image hover's markdown: what the local daemon knows of `ref`. Tags, user and healthcheck are whatever the
 * image's author wrote, and `ref` is what the file says: all escaped, so they stay text.
 */
export function imageCard(ref: string, img: InspectedImage): string {
  const test = healthcheckOf(img);
  const created = img.Created ? new Date(img.Created) : undefined;
  const rows: [string, string][] = [
    ['Tags', (img.RepoTags ?? []).map(escapeMarkdown).join(', ') || '—'],
    ['ID', inlineCode(img.Id.replace(/^sha256:/, '').slice(0, 12))],
  ];
  if (typeof img.Size === 'number') rows.push(['Size', formatSize(img.Size)]);
  if (created && !Number.isNaN(created.getTime())) rows.push(['Created', created.toISOString().slice(0, 10)]);
  rows.push(['Platform', escapeMarkdown(`${img.Os ?? '?'}/${img.Architecture ?? '?'}`)]);
  rows.push(['User', img.Config?.User ? escapeMarkdown(img.Config.User) : 'root (no USER set)']);
  rows.push(['Healthcheck', test ? inlineCode(test.slice(1).join(' ')) : 'none']);
  return `**${escapeMarkdown(ref)}** on the local daemon\n\n| | |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`;
}

/** The hover when the daemon does not have the image. */
export function missingImageCard(ref: string): string {
  return `**${escapeMarkdown(ref)}** is not on the local Docker daemon yet: ${inlineCode(`docker pull ${ref}`)} fetches it.`;
}
