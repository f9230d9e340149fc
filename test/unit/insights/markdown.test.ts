import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { codeBlock, escapeMarkdown, inlineCode } from '../../../src/language/markdown';

/** A CommonMark renderer as permissive as a hover can be: raw HTML on, bare URLs turned into links. */
const md = new MarkdownIt({ html: true, linkify: true });

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();

/** What daemons and files may say: each would be a link, an image, HTML, a heading, a cell break or an icon. */
const HOSTILE = [
  '[Remove all images](command:dockwise.explorer.image.remove?%5B%22busybox%22%5D)',
  '[ok](command:dockwise.openLesson?%5B%22x%22%5D "title")',
  '![pixel](https://tracker.example/p.png)',
  '<img src=x onerror="alert(1)">',
  '<a href="https://evil.example">x</a>',
  'see https://evil.example/login and www.evil.example',
  '<https://evil.example>',
  'user | injected cell | another',
  '1000\n# Heading\n- list\n> quote\n1. item\n===',
  '$(zap) $(alert) theme icons',
  '&lt;script&gt; &#x41; entities',
  '*bold* _em_ ~~strike~~ `code` \\[escaped\\]',
  '[ref]: https://evil.example',
];

describe('markdown for strings Dockwise does not control', () => {
  for (const s of HOSTILE) {
    it(`renders ${JSON.stringify(s.slice(0, 40))} as the very text, with no markup`, () => {
      const html = md.renderInline(escapeMarkdown(s));
      assert.doesNotMatch(html, /<(a|img|script|em|strong|s|code|h\d)\b/i, html);
      assert.equal(decode(html), s.replace(/\n/g, ' '));
    });
  }

  it('keeps a table row one row when a cell holds pipes and line breaks', () => {
    const row = (v: string) => `| User | ${escapeMarkdown(v)} |`;
    const html = md.render(`| | |\n|---|---|\n${row('a | b\n| c | d |')}\n${row('x')}\n`);
    assert.equal((html.match(/<tr>/g) ?? []).length, 3, html);
    assert.match(html, /<td>a \| b \| c \| d \|<\/td>/);
  });

  it('escapes theme icons, which VS Code draws from $(name)', () => {
    assert.equal(escapeMarkdown('$(zap)'), '\\$\\(zap\\)');
  });

  it('shows inline code verbatim whatever backticks it holds, also inside a table cell', () => {
    for (const s of ['CMD-SHELL wget -q http://localhost/ || exit 1', 'echo `id`', '``` fence', '`', 'a|b', '']) {
      const html = md.render(`| a |\n|---|\n| ${inlineCode(s)} |\n`);
      const code = /<code>([\s\S]*?)<\/code>/.exec(html);
      assert.ok(code, html);
      assert.equal(decode(code[1]), s === '' ? '' : s, html);
    }
  });

  it('fences a code block that no line of the code can close', () => {
    const code = 'RUN echo hi\n```\n[x](command:dockwise.explorer.image.remove)\n````';
    const html = md.render(codeBlock(code, 'dockerfile') + '\n\nafter');
    assert.doesNotMatch(html, /<a\b/);
    assert.equal((html.match(/<pre>/g) ?? []).length, 1);
    assert.match(html, /<p>after<\/p>/);
    assert.equal(decode(/<pre><code[^>]*>([\s\S]*?)<\/code><\/pre>/.exec(html)?.[1] ?? ''), code);
  });
});
