import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { compileValidator, precompiledValidator } from '../../../src/diagnostics/compose/schema';

const ROOT = path.resolve(__dirname, '../../..');

describe('compose: precompiled schema validator', () => {
  it('was generated from the schema file as it is now (run npm run update-compose-schema after changing it)', () => {
    const schema = readFileSync(path.join(ROOT, 'schemas/compose-spec.json'));
    const header = readFileSync(path.join(ROOT, 'schemas/compose-spec.validate.cjs'), 'utf8').slice(0, 400);
    assert.match(header, new RegExp(`schema-sha256: ${createHash('sha256').update(schema).digest('hex')}`));
  });

  it('gives the same errors as compiling the schema at run time, on the corpus and on broken files', () => {
    const pre = precompiledValidator();
    assert.ok(pre, 'the precompiled validator loads');
    const fresh = compileValidator();
    const corpus = path.join(ROOT, 'bench/corpus/compose');
    const docs: unknown[] = readdirSync(corpus)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .map((f) => parse(readFileSync(path.join(corpus, f), 'utf8'), { merge: true }));
    docs.push({ services: { web: { image: 1, enviroment: {}, ports: '80', depends_on: { db: { condition: 'soon' } } } }, volumes: { 'bad name': {} } });
    const summary = (v: typeof fresh, d: unknown) => (v(d) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)} ${!!e.parentSchema}`));
    for (const d of docs) assert.deepEqual(summary(pre!, d), summary(fresh, d));
  });
});
