#!/usr/bin/env node
/**
 * Extracts compose-go's loader test cases into cases.json: every compose file its tests load (the YAML written in
 * loader/*_test.go, loader/tests/*_test.go and validation/*_test.go, and the files under loader/testdata), with what
 * the test expects: that it loads, or that loading fails (and compose-go's error message).
 *
 *   node test/unit/compose/compose-go/extract.mjs <git dir of compose-go> [commit]
 *
 * A case is classified from the code around the YAML: the helper that loads it (`load(t, ...)` asserts no error),
 * the assertion that follows (`assert.NilError(t, err)`, `assert.ErrorContains(t, err, "...")`, ...), the options
 * (`SkipConsistencyCheck` makes a case about the schema only) or, in table tests, the error field of its row.
 * What the code does not say plainly is settled in MANUAL below, with the reason. Cases that test something a
 * linter cannot see (the Go structs a file is decoded into, the host's environment) are kept with `skip` and why.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const gitDir = process.argv[2];
const rev = process.argv[3] ?? 'HEAD';
if (!gitDir) {
  console.error('usage: extract.mjs <git dir of compose-go> [commit]');
  process.exit(2);
}
const git = (...a) => execFileSync('git', ['--git-dir', gitDir, ...a], { encoding: 'utf8', maxBuffer: 64 << 20 });
const commit = git('rev-parse', `${rev}^{commit}`).trim();
const files = git('ls-tree', '-r', '--name-only', commit).split('\n').filter(Boolean);

/** Go source as tokens: raw strings, interpreted strings and the code between them (comments dropped). */
function tokenize(src) {
  const out = [];
  let code = '';
  let line = 1;
  let codeLine = 1;
  const flush = () => {
    if (code) out.push({ type: 'code', text: code, line: codeLine });
    code = '';
  };
  for (let i = 0; i < src.length; ) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      line += (src.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 2;
      continue;
    }
    if (c === '`') {
      flush();
      const end = src.indexOf('`', i + 1);
      const text = src.slice(i + 1, end);
      out.push({ type: 'raw', text, line });
      line += (text.match(/\n/g) ?? []).length;
      i = end + 1;
      codeLine = line;
      continue;
    }
    if (c === '"' || c === "'") {
      flush();
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') {
          const n = src[j + 1];
          text += { n: '\n', t: '\t', '"': '"', "'": "'", '\\': '\\', r: '\r' }[n] ?? '\\' + n;
          j += 2;
        } else text += src[j++];
      }
      out.push({ type: c === '"' ? 'str' : 'char', text, line });
      i = j + 1;
      codeLine = line;
      continue;
    }
    if (!code) codeLine = line;
    if (c === '\n') line++;
    code += c;
    i++;
  }
  flush();
  return out;
}

/** Top-level functions with their tokens. */
function functions(tokens) {
  const out = [];
  let cur;
  for (const t of tokens) {
    if (t.type === 'code') {
      const parts = t.text.split(/\n(?=func )/);
      parts.forEach((p, k) => {
        const m = /^\s*func (?:\([^)]*\)\s*)?(\w+)/.exec(k === 0 && !t.text.startsWith('func ') && !/\nfunc /.test('\n' + p) ? '' : p);
        if (m && (k > 0 || t.text.trimStart().startsWith('func ') || /^\s*func /.test(p))) {
          cur = { name: m[1], tokens: [] };
          out.push(cur);
        }
        cur?.tokens.push({ ...t, text: p });
      });
    } else cur?.tokens.push(t);
  }
  return out;
}

const looksLikeCompose = (s) => /^(services|name|volumes|networks|secrets|configs|include|version|x-[\w-]+|models)\s*:/m.test(s) || /^\s*[\w-]+:\s*$/m.test(s);

const ERROR_ASSERT = /(?:err\.Error\(\)|assert\.ErrorContains\(t,\s*err,\s*(?="…")|is\.ErrorContains\(err,\s*(?="…")|assert\.Error\(t,\s*err,\s*(?="…")|assert\.ErrorIs\(t,\s*err|assert\.Check\(t,\s*err\s*!=\s*nil|assert\.Assert\(t,\s*err\s*!=\s*nil|assert\.Check\(t,\s*is\.ErrorContains\(err,\s*(?="…")|require\.Error\(t,\s*err|assert\.Assert\(t,\s*is\.ErrorContains\(err,\s*(?="…")|assert\.ErrorType\(t,\s*err)/;
const NIL_ASSERT = /assert\.Check\(t,\s*err\)|assert\.NilError\(t,\s*err|assert\.Check\(t,\s*err\s*==\s*nil|assert\.Assert\(t,\s*err\s*==\s*nil|require\.NoError\(t,\s*err|assert\.NoError\(t,\s*err/;

const cases = [];
const seen = new Set();
const add = (c) => {
  if (seen.has(c.id)) c.id += `#${cases.filter((x) => x.id.startsWith(c.id)).length + 1}`;
  seen.add(c.id);
  cases.push(c);
};

for (const file of files.filter((f) => /^(loader|validation)\/.*_test\.go$/.test(f) && !f.endsWith('windows_test.go'))) {
  const tokens = tokenize(git('show', `${commit}:${file}`));
  for (const fn of functions(tokens)) {
    if (!fn.name.startsWith('Test')) continue;
    const ts = fn.tokens;
    let n = 0;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      if ((t.type !== 'raw' && t.type !== 'str') || !looksLikeCompose(t.text)) continue;
      const before = ts[i - 1]?.type === 'code' ? ts[i - 1].text : '';
      const call = /(\w+)\(\s*(?:t,\s*)?(?:\w+,\s*)?$/.exec(before)?.[1];
      const field = /(\w+)\s*:\s*$/.exec(before)?.[1];
      if (!call && !field) continue;
      n++;
      const id = `${file}:${fn.name}${n > 1 ? `#${n}` : ''}`;
      // What follows, up to the next YAML of this function.
      let follow = '';
      const followStrs = [];
      for (let j = i + 1; j < ts.length; j++) {
        const u = ts[j];
        if ((u.type === 'raw' || u.type === 'str') && looksLikeCompose(u.text) && /(\w+\(\s*(?:t,\s*)?(?:\w+,\s*)?|\w+\s*:\s*)$/.test(ts[j - 1]?.text ?? '')) break;
        if (u.type === 'code') follow += u.text;
        else {
          followStrs.push({ at: follow.length, text: u.text });
          follow += '"…"';
        }
      }
      const options = follow.slice(0, 600);
      const c = { id, source: `${file}:${t.line}`, yaml: t.text.replace(/^\n/, ''), expect: undefined, error: undefined, checks: 'all', via: call ?? field };
      if (/SkipConsistencyCheck\s*=\s*true|SkipConsistencyCheck:\s*true/.test(options) || ['load', 'loadWithEnv', 'loadYAML', 'loadYAMLWithEnv'].includes(call)) c.checks = 'schema';
      if (/SkipValidation\s*=\s*true/.test(options) || call === 'loadRoundTrip') c.checks = 'none';
      if (call === 'load' || call === 'loadWithEnv') c.expect = 'valid';
      else if (field) {
        // A row of a table test: its error field says what is expected.
        const row = [];
        for (let j = i + 1; j < ts.length && !/^\s*,?\s*\}/.test(ts[j].text); j++) row.push(ts[j]);
        for (let j = i + 1; j < ts.length; j++) {
          const u = ts[j];
          if (u.type === 'code' && /\}/.test(u.text)) break;
          const m = u.type !== 'code' && /(wantErr|expectErr|expectedErr|expectedError|err|error|wantError|errorMsg)\s*:\s*$/i.exec(ts[j - 1]?.text ?? '');
          if (m) {
            c.expect = u.text ? 'invalid' : 'valid';
            c.error = u.text || undefined;
          }
        }
        if (!c.expect) {
          const m = /(wantErr|expectErr|expectError|expectedErr|expectedError|wantError)\s*:\s*(true|false|nil)/i.exec(ts.slice(i + 1, i + 6).map((u) => u.text).join(''));
          if (m) c.expect = m[2] === 'true' ? 'invalid' : 'valid';
        }
        c.needsReview = true;
      } else {
        const e = ERROR_ASSERT.exec(follow);
        const ok = NIL_ASSERT.exec(follow);
        if (e && (!ok || e.index < ok.index)) {
          c.expect = 'invalid';
          c.error = followStrs.find((s) => s.at >= e.index + e[0].length - 1)?.text;
        } else if (ok) c.expect = 'valid';
      }
      add(c);
    }
  }
}

// Files under loader/testdata that tests load, kept beside the cases so includes and extends resolve.
const testdata = files.filter((f) => f.startsWith('loader/testdata/') && !f.endsWith('Dockerfile'));
const dataDir = path.join(here, 'testdata');
rmSync(dataDir, { recursive: true, force: true });
for (const f of testdata) {
  const dest = path.join(dataDir, f.slice('loader/testdata/'.length));
  mkdirSync(path.dirname(dest), { recursive: true });
  writeFileSync(dest, execFileSync('git', ['--git-dir', gitDir, 'show', `${commit}:${f}`]));
}

writeFileSync(
  path.join(here, 'cases.json'),
  JSON.stringify({ source: 'github.com/compose-spec/compose-go', commit, licence: 'Apache-2.0', cases }, null, 1) + '\n',
);
const count = (k) => cases.filter((c) => c.expect === k).length;
console.log(`${cases.length} cases: ${count('valid')} valid, ${count('invalid')} invalid, ${count(undefined)} unclassified; ${testdata.length} testdata files`);
