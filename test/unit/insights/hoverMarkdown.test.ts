import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lint } from '../../../src/diagnostics/engine';
import { applyImageFacts } from '../../../src/diagnostics/imageFacts';
import { imageCard, missingImageCard } from '../../../src/insights/imageCard';
import type { InspectedImage } from '../../../src/insights/localImage';
import { hover } from '../../../src/server/hover';

const md = new MarkdownIt({ html: true, linkify: true });
const links = (html: string) => [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);

/** What an image built by someone else may carry in its config. */
const EVIL_USER = '[Remove images](command:dockwise.explorer.images.prune) <img src=x onerror=alert(1)> | x';
const EVIL_TEST = 'CMD-SHELL curl -f http://localhost/ `id` || exit 1 | [x](command:dockwise.explorer.images.prune)';

describe('hover markdown built from daemon strings', () => {
  it('shows a hostile image config as text in the image hover: no links, images, HTML or extra cells', () => {
    const img: InspectedImage = {
      Id: 'sha256:0123456789abcdef',
      RepoTags: ['evil/app:1.0', 'evil/app:[x](https://evil.example)'],
      Size: 1234,
      Created: 'not a date',
      Os: 'linux',
      Architecture: 'amd64|arm64',
      Config: { User: EVIL_USER, Healthcheck: { Test: ['CMD-SHELL', EVIL_TEST.slice('CMD-SHELL '.length)] } },
    };
    const html = md.render(imageCard('evil/app:1.0', img));
    assert.deepEqual(links(html), []);
    assert.doesNotMatch(html, /<img|<script/);
    assert.equal((html.match(/<tr>/g) ?? []).length, 1 + 6, 'the header and one row per fact: Tags, ID, Size, Platform, User, Healthcheck');
    assert.ok(html.includes('[Remove images](command:dockwise.explorer.images.prune) &lt;img src=x onerror=alert(1)&gt; | x'), html);
    assert.ok(html.includes('<code>curl -f http://localhost/ `id` || exit 1 | [x](command:dockwise.explorer.images.prune)</code>'), html);
  });

  it('keeps a hostile image name from the file as text when the daemon does not have it', () => {
    const html = md.render(missingImageCard('x/[y](command:dockwise.explorer.images.prune)'));
    assert.deepEqual(links(html), []);
    assert.match(html, /<code>docker pull x\/\[y\]\(command:dockwise\.explorer\.images\.prune\)<\/code>/);
  });

  it('quotes the base image user in the server hover as text, beside the one lesson link the hover offers', () => {
    const text = 'FROM base:1\nCMD ["app"]\n';
    const doc = TextDocument.create('file:///x/Dockerfile', 'dockerfile', 1, text);
    const { silenced } = applyImageFacts(lint({ text, kind: 'dockerfile' }), text, { 'base:1': { user: EVIL_USER, healthcheck: false } });
    assert.ok(silenced.some((s) => s.code === 'no-root-user'), 'the user silenced no-root-user');
    const h = hover(doc, { line: 0, character: 1 }, 'dockerfile', silenced);
    const value = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    const html = md.render(value);
    assert.deepEqual(links(html).map((l) => l.split('?')[0]), ['command:dockwise.openLesson']);
    assert.ok(html.replace(/&quot;/g, '"').includes(`already runs as user "${EVIL_USER.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`), html);
  });
});
