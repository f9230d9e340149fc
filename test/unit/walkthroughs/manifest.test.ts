import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COURSE, lessonFile, SNIPPETS } from '../../../src/walkthroughs/course';
import { commandText, walkthroughContributions } from '../../../src/walkthroughs/manifest';

const root = path.join(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const words = (md: string) => md.replace(/```[\s\S]*?```/g, ' ').split(/\s+/).filter((w) => /[A-Za-z]/.test(w)).length;

describe('the walkthroughs in package.json', () => {
  it('are exactly what the course data generates (run `npx tsx src/walkthroughs/manifest.ts --write` after changing it)', () => {
    assert.deepEqual(pkg.contributes.walkthroughs, walkthroughContributions());
  });

  it('are the three walkthroughs of the agenda, in order, with unique step ids', () => {
    assert.deepEqual(pkg.contributes.walkthroughs.map((w: { id: string }) => w.id), ['vmKiller', 'todoApp', 'wrapUp']);
    for (const w of COURSE) assert.equal(new Set(w.steps.map((s) => s.id)).size, w.steps.length, w.id);
  });

  it('complete each step through its context key and only declared commands', () => {
    const declared = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const w of pkg.contributes.walkthroughs) {
      for (const s of w.steps) {
        assert.deepEqual(s.completionEvents, [`onContext:dockwise.course.${w.id}.${s.id}`]);
        const commands = [...s.description.matchAll(/\]\(command:([\w.]+)/g)].map((m: RegExpMatchArray) => m[1]);
        assert.ok(commands.length > 0, `${w.id}.${s.id} has at least one button`);
        for (const c of commands) assert.ok(declared.has(c), `${c} is declared in package.json`);
        const args = [...s.description.matchAll(/\]\(command:([\w.]+)\?([^)\s]+)\)/g)].map((m: RegExpMatchArray) => [m[1], JSON.parse(decodeURIComponent(m[2]))]);
        for (const [command, a] of args) {
          if (command === 'dockwise.course.createSample') assert.deepEqual(a, [{ step: `${w.id}.${s.id}` }], 'the sample brings the learner back to this step');
          else assert.ok(Array.isArray(a) && a.every((x: unknown) => typeof x === 'string'), JSON.stringify(a));
        }
      }
    }
  });

  it('show questions and commands as text with short buttons, never as a long button label', () => {
    for (const w of pkg.contributes.walkthroughs) {
      for (const s of w.steps) {
        const lines: string[] = s.description.split('\n');
        for (const line of lines) {
          const button = /^\[([^\]]+)\]\(command:[^)]+\)$/.exec(line);
          if (button) assert.ok(button[1].length <= 32, `${w.id}.${s.id}: button "${button[1]}" fits the card`);
        }
        const step = COURSE.find((c) => c.id === w.id)!.steps.find((x) => x.id === s.id)!;
        for (const id of step.questions ?? []) {
          const i = lines.findIndex((l) => l.includes(`dockwise.course.answer?${encodeURIComponent(JSON.stringify([id]))}`));
          assert.ok(i > 0, `${w.id}.${s.id} offers ${id}`);
          assert.match(lines[i], /^\[Answer \(\+\d\)\]\(command:/);
          assert.match(lines[i - 1], /^\*\*Checkpoint( \(optional\))?:\*\* \S/, 'the question is text just above its button');
        }
        for (const id of step.snippets ?? []) {
          const line = lines.find((l) => l.includes(`dockwise.course.runInTerminal?${encodeURIComponent(JSON.stringify([id]))}`));
          assert.ok(line?.startsWith(`${commandText(SNIPPETS[id])} [Run](command:`), `${w.id}.${s.id}: ${id} is shown as text with a Run link`);
        }
        if (step.completion === 'handsOn') {
          assert.ok(step.outcome, `${w.id}.${s.id} says which outcome ticks it`);
          assert.ok(lines.some((l) => l.includes('dockwise.course.checkStep')), `${w.id}.${s.id} can be checked on demand`);
        } else assert.equal(step.outcome, undefined, `${w.id}.${s.id} has an outcome but is not hands-on`);
      }
    }
  });

  it('write commands so that step text shows them as they are', () => {
    assert.equal(commandText('docker build -t todo-app:1.0 .'), '$(terminal) docker build -t todo-app:1.0 .');
    assert.equal(commandText('docker run -v "$(pwd)":/src todo-app'), '$(terminal) docker run -v "\\$(pwd)":/src todo-app', 'not an icon named pwd');
  });

  it('keep step summaries plain: walkthrough descriptions show backticks literally', () => {
    for (const w of COURSE) for (const s of w.steps) assert.doesNotMatch(s.summary, /`/, `${w.id}.${s.id}`);
  });

  it('offer only known terminal snippets, which pin their images', () => {
    for (const w of COURSE) for (const s of w.steps) for (const id of s.snippets ?? []) assert.ok(SNIPPETS[id], `${w.id}.${s.id} → ${id}`);
    for (const cmd of Object.values(SNIPPETS)) assert.doesNotMatch(cmd, /(alpine|postgres|busybox)(\s|$)|:latest/, cmd);
  });
});

describe('the course media', () => {
  it('has every file a step references, and a short lesson per step', () => {
    for (const w of COURSE) {
      for (const s of w.steps) {
        const md = path.join(root, lessonFile(w.id, s.id));
        assert.ok(fs.existsSync(md), md);
        const text = fs.readFileSync(md, 'utf8');
        assert.ok(words(text) <= 230, `${w.id}.${s.id} reads in about a minute (${words(text)} words)`);
        if (s.diagram) assert.ok(fs.existsSync(path.join(root, s.diagram.file)), s.diagram.file);
      }
    }
  });

  it('teaches today\'s Docker: no compose version key, no container links as the way to connect', () => {
    for (const dir of ['vmKiller', 'todoApp', 'wrapUp']) {
      for (const f of fs.readdirSync(path.join(root, 'media', dir))) {
        // Blocks that show a mistake on purpose (```yaml mistakes=…) may show the version key.
        const text = fs.readFileSync(path.join(root, 'media', dir, f), 'utf8').replace(/```\w+ [^\n]*mistakes=[\s\S]*?```/g, '');
        assert.doesNotMatch(text, /^\s*version:/m, `${dir}/${f}`);
        assert.doesNotMatch(text, /docker-compose (up|down|ps)/, `${dir}/${f} uses the compose plugin`);
        for (const m of text.matchAll(/--link\b/g)) assert.match(text.slice(m.index! - 40, m.index! + 60), /legacy/, `${dir}/${f}`);
      }
    }
  });

  it('draws theme-aware, accessible diagrams: theme variables with fallbacks, a title and a description', () => {
    const diagrams = COURSE.flatMap((w) => w.steps.flatMap((s) => (s.diagram ? [s.diagram] : [])));
    assert.equal(diagrams.length, 8);
    for (const d of diagrams) {
      const svg = fs.readFileSync(path.join(root, d.file), 'utf8');
      assert.match(svg, /^<svg [^>]*viewBox="0 0 \d+ \d+"[^>]*role="img"[^>]*aria-labelledby="title desc"/, d.file);
      assert.match(svg, /<title id="title">[^<]+<\/title>/);
      assert.ok(svg.includes(`<desc id="desc">${d.alt.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</desc>`), `${d.file} describes itself with the step's alt text`);
      assert.ok(d.alt.length > 60, 'alt text says what the picture shows');
      // Walkthrough SVGs are inlined into a webview whose CSP allows no inline style or script: attributes only.
      assert.doesNotMatch(svg, /<style|<script|style="|<image|href="http/);
      const colours = [...svg.matchAll(/(?:fill|stroke)="([^"]+)"/g)].map((m) => m[1]);
      for (const c of colours) assert.match(c, /^(var\(--vscode-[\w-]+, #[0-9a-f]{3,6}\)|none)$/i, `${d.file}: ${c}`);
    }
  });
});

describe('docs/course.md', () => {
  const doc = fs.readFileSync(path.join(root, 'docs', 'course.md'), 'utf8');

  it('lists every step and maps agenda items to steps that exist', () => {
    for (const w of COURSE) for (const s of w.steps) assert.ok(doc.includes(`| ${w.id} | \`${s.id}\` |`), `${w.id}.${s.id} in the steps table`);
    const keys = new Set(COURSE.flatMap((w) => w.steps.map((s) => `${w.id}.${s.id}`)));
    const cited = [...doc.matchAll(/\b(vmKiller|todoApp|wrapUp)\.([A-Za-z]+)\b/g)].map((m) => `${m[1]}.${m[2]}`);
    assert.ok(cited.length > 100);
    for (const k of cited) assert.ok(keys.has(k), `${k} is a real step`);
    for (const k of keys) assert.ok(cited.includes(k), `${k} teaches at least one agenda item`);
  });
});
