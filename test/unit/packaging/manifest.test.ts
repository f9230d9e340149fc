/**
 * The extension manifest as VS Code reads it. JSON.parse keeps the last of two equal keys without a word, so a
 * second "editor/context" list silently drops every entry of the first: the manifest is read here with a parser that
 * reports duplicates, and every menu entry must name a declared command.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';

const root = path.resolve(__dirname, '../../..');
const text = fs.readFileSync(path.join(root, 'package.json'), 'utf8');

interface MenuEntry {
  command?: string;
  submenu?: string;
  when?: string;
  group?: string;
}

describe('the extension manifest (package.json)', () => {
  it('has no key twice in any object', () => {
    const doc = parseDocument(text, { uniqueKeys: true });
    assert.deepEqual(
      doc.errors.map((e) => e.message.split('\n')[0]),
      [],
    );
  });

  const manifest = JSON.parse(text) as { contributes: { commands: { command: string }[]; menus: Record<string, MenuEntry[]> } };
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));

  it('puts only declared commands in menus, each entry once per menu', () => {
    const problems: string[] = [];
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      const seen = new Set<string>();
      for (const e of entries) {
        if (e.command && !declared.has(e.command)) problems.push(`${menu}: ${e.command} is not a declared command`);
        const key = JSON.stringify([e.command ?? e.submenu, e.when, e.group]);
        if (seen.has(key)) problems.push(`${menu}: ${e.command ?? e.submenu} twice with the same when and group`);
        seen.add(key);
      }
    }
    assert.deepEqual(problems, []);
  });
});
