/**
 * `--fix` over the corpus of real Dockerfiles and compose files in test/corpus/: every fixed file still parses (the
 * engine's syntax rules and dockerfile-utils' validator find nothing new; compose files pass the schema), runs the
 * same commands in the same order (compose: defines the same services), and a second fix all changes nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validate } from 'dockerfile-utils';
import { parseDocument } from 'yaml';
import { lint, prepareLint } from '../../../src/diagnostics/engine';
import { createContext } from '../../../src/diagnostics/dockerfile/context';
import { execForm } from '../../../src/diagnostics/dockerfile/parse';
import { shellModel } from '../../../src/diagnostics/dockerfile/shell/model';
import { defaultConfig } from '../../../src/diagnostics/config';
import { compileValidator, precompiledValidator } from '../../../src/diagnostics/compose/schema';
import { applyEdits, fixAll, fixesFor } from '../../../src/diagnostics/fixes';
import { plainWords } from '../../../src/diagnostics/fixes/dockerfile/execForm';
import type { FileKind } from '../../../src/diagnostics/types';
import { noFiles, noProbe } from './helpers';

const CORPUS = path.join(__dirname, '..', '..', 'corpus');

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.md'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * What a Dockerfile does, as fixes must keep it: per stage, its instructions in order, with consecutive RUNs read
 * as one list of shell commands (joining them changes the layers, not the commands), `-y` left out of apt-get
 * (it only answers a question), ADD and COPY alike when the fix proved them so, and CMD/ENTRYPOINT as the words run.
 */
function behaviour(text: string): string[] {
  const ctx = createContext(text, undefined, defaultConfig(), noFiles);
  const model = shellModel(ctx);
  const out: string[] = [];
  for (const step of model.steps) {
    const ins = step.instruction;
    if (step.keyword === 'RUN' && step.run && !step.onbuild) {
      const cmds = step.run.script ? step.run.commands.map((c) => [c.name, ...c.args.map((a) => a.value).filter((v) => !(c.name === 'apt-get' && v === '-y'))].join(' ')) : [step.run.text];
      out.push(...cmds.map((c) => `${step.stage.index} run ${c}`));
      continue;
    }
    let args = ins.args.map((w) => w.raw).join(' ');
    if ((step.keyword === 'CMD' || step.keyword === 'ENTRYPOINT') && !step.onbuild) {
      const words = execForm(ins) ?? plainWords(ins.text.slice(ins.args[0]?.start ?? 0).trim()) ?? [args];
      args = JSON.stringify(words[0] === 'exec' ? words.slice(1) : words);
    }
    out.push(`${step.stage.index} ${step.keyword === 'ADD' ? 'COPY' : step.keyword} ${ins.flags.map((f) => f.word.raw).join(' ')} ${args}`);
  }
  return out;
}

/** The compose schema's complaints about the data, without the rest of the lint (a suggestion is checked per fix). */
function schemaErrors(text: string): string[] {
  const validate = schemaValidator();
  let data: unknown;
  try {
    data = parseDocument(text, { merge: true }).toJS({ maxAliasCount: 10_000 });
  } catch {
    return ['not data'];
  }
  validate(data);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).sort();
}
let validator: ReturnType<typeof compileValidator> | undefined;
const schemaValidator = () => (validator ??= precompiledValidator() ?? compileValidator());

const SYNTAX = /syntax|instruction|unknown|invalid|no-from|empty-continuation/i;
const syntaxFindings = (text: string, kind: FileKind) => lint({ text, kind, host: noFiles }).filter((f) => SYNTAX.test(f.code) || /schema/.test(f.code)).map((f) => `${f.code}: ${f.message}`);

describe('--fix over the corpus of real files', function () {
  this.timeout(120_000);
  before(() => prepareLint());

  // The Dockerfile corpus, and the Dockerfiles the compose corpus's files build.
  const dockerfiles = [...filesUnder(path.join(CORPUS, 'dockerfile')), ...filesUnder(path.join(CORPUS, 'compose')).filter((f) => /(^|[./-])(Dockerfile|Containerfile)([./-]|$)/i.test(path.basename(f)))];
  // Until real compose files land in test/corpus/compose, the benchmark's compose files (shaped like real stacks,
  // mistakes kept) stand in; both are run once they do.
  const composeFiles = [...filesUnder(path.join(CORPUS, 'compose')), ...filesUnder(path.join(__dirname, '..', '..', '..', 'bench', 'corpus', 'compose'))].filter((f) => /\.ya?ml$/.test(f));

  it('has a corpus to run on', () => {
    assert.ok(dockerfiles.length >= 100, `${dockerfiles.length} Dockerfiles`);
  });

  // One test per repository: failures name the file, and the list stays readable.
  const byRepo = new Map<string, string[]>();
  for (const f of dockerfiles) {
    const repo = path.relative(CORPUS, f).split(path.sep).slice(0, 2).join('/');
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), f]);
  }
  let changed = 0;
  for (const [repo, files] of byRepo) {
    it(`Dockerfiles of ${repo}`, () => {
      for (const file of files) {
        const text = fs.readFileSync(file, 'utf8');
        const name = path.relative(CORPUS, file);
        const errors = (t: string) => validate(t).filter((d) => d.severity === 1).map((d) => d.message);
        // Suggestions too must leave a file Docker can parse.
        const before = errors(text);
        for (const f of lint({ text, kind: 'dockerfile', filePath: file, host: noFiles })) {
          for (const fix of fixesFor(f, text, 'dockerfile', { ignore: false, request: { filePath: file, host: noFiles, probe: noProbe } })) {
            assert.deepEqual(errors(applyEdits(text, fix.edits)), before, `${name}: ${fix.title}`);
          }
        }
        const fixed = fixAll({ text, kind: 'dockerfile', filePath: file, host: noFiles, probe: noProbe });
        if (fixed.text === text) continue;
        changed++;
        assert.deepEqual(syntaxFindings(fixed.text, 'dockerfile'), syntaxFindings(text, 'dockerfile'), `${name}: the engine's syntax rules`);
        assert.deepEqual(errors(fixed.text), before, `${name}: dockerfile-utils' validator`);
        assert.deepEqual(behaviour(fixed.text), behaviour(text), `${name}: the same commands in the same order`);
        const again = fixAll({ text: fixed.text, kind: 'dockerfile', filePath: file, host: noFiles, probe: noProbe }, { findings: fixed.remaining });
        assert.equal(again.text, fixed.text, `${name}: a second fix all changed it again`);
      }
    });
  }

  it('fixed a good share of the Dockerfiles', () => {
    // Not a precision figure: a guard that the corpus run exercised the fixes at all.
    // Real files mostly chain their RUNs already: about one in twelve has a fix that keeps what it does.
    assert.ok(changed >= dockerfiles.length / 20, `${changed} of ${dockerfiles.length} changed`);
  });

  for (const file of composeFiles) {
    it(`compose file ${path.relative(path.join(CORPUS, '..', '..'), file)}`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const services = (t: string) => Object.keys((parseDocument(t, { merge: true }).toJS({ maxAliasCount: 10_000 }) as { services?: object })?.services ?? {});
      // Every suggestion leaves YAML that parses, passes the schema as before, and has the same services.
      const schemaBefore = schemaErrors(text);
      for (const f of lint({ text, kind: 'compose', filePath: file, host: noFiles })) {
        for (const fix of fixesFor(f, text, 'compose', { ignore: false, request: { filePath: file, host: noFiles } })) {
          const after = applyEdits(text, fix.edits);
          assert.deepEqual(parseDocument(after).errors.map((e) => e.message), [], fix.title);
          assert.deepEqual(schemaErrors(after), schemaBefore, fix.title);
          assert.deepEqual(services(after), services(text), fix.title);
        }
      }
      const fixed = fixAll({ text, kind: 'compose', filePath: file, host: noFiles, probe: noProbe });
      if (fixed.text === text) return;
      assert.deepEqual(parseDocument(fixed.text).errors.map((e) => e.message), []);
      assert.deepEqual(syntaxFindings(fixed.text, 'compose'), syntaxFindings(text, 'compose'));
      const definitions = (t: string) => (parseDocument(t, { merge: true }).toJS({ maxAliasCount: 10_000 }) as { services?: unknown })?.services;
      assert.deepEqual(definitions(fixed.text), definitions(text), 'the same service definitions');
      assert.equal(fixAll({ text: fixed.text, kind: 'compose', filePath: file, host: noFiles, probe: noProbe }).text, fixed.text);
    });
  }
});
