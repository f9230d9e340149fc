/**
 * Putting strings Dockwise does not control (what the daemon reports: tags, users, healthchecks, history; what a
 * file says: image names) into markdown. Hovers from the language server are trusted to run Dockwise's own
 * commands, so a daemon string must never become a link, an image, HTML, a table cell break or a theme icon.
 */

/**
 * Every ASCII punctuation character CommonMark lets a backslash escape, except a few that mean nothing on their own
 * (`,` `;` `'` `"` `/` `?` `%` `^`). Escaped, each renders as itself: no emphasis, links, images, autolinks
 * (`https\://`, `www\.`), HTML (`\<`), entities (`\&`), table cells (`\|`), headings, lists or theme icons (`\$(`).
 */
const PUNCTUATION = /[\\`*_{}[\]()<>#+\-.!|~:&$=@]/g;

/** Plain text as markdown that renders as exactly that text, on one line. */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(PUNCTUATION, '\\$&');
}

/**
 * Text shown as inline code. Backslashes do not escape inside code spans, so the fence is longer than any backtick
 * run in the text; `|` is still escaped so the span can sit in a table cell (GFM splits cells before code spans).
 */
export function inlineCode(text: string): string {
  const body = oneLine(text).replace(/\|/g, '\\|');
  if (!body) return '` `';
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block whose fence no line of `code` can close. */
export function codeBlock(code: string, language = ''): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language.replace(/[^\w-]/g, '')}\n${code.replace(/\r\n?/g, '\n')}\n${fence}`;
}

/** Control characters and line breaks as single spaces: a table row or a sentence stays one line. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}
