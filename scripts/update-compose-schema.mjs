#!/usr/bin/env node
/**
 * Refreshes schemas/compose-spec.json, the Compose Specification JSON schema the compose linter validates against.
 *
 * Upstream: the compose-spec project, file schema/compose-spec.json in github.com/compose-spec/compose-spec
 * (Apache-2.0). This machine reaches only the npm registry, so the copy comes from an npm package that ships that
 * file unchanged: dclint (schemas/compose.schema.json). Install the version you want first
 * (`npm install --save-dev dclint@latest`), then run `node scripts/update-compose-schema.mjs`.
 * Where upstream is reachable, `--from <path to compose-spec.json>` copies a checkout's file instead.
 * The script rewrites the source lines of schemas/NOTICE.md; review the diff and the rule tests before committing.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'schemas', 'compose-spec.json');
const notice = path.join(root, 'schemas', 'NOTICE.md');

function fromPackage() {
  const require = createRequire(path.join(root, 'package.json'));
  const pkgJson = require.resolve('dclint/package.json');
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  return { file: path.join(path.dirname(pkgJson), 'schemas', 'compose.schema.json'), source: `npm package dclint@${version}, file schemas/compose.schema.json` };
}

const fromIndex = process.argv.indexOf('--from');
const { file, source } = fromIndex > 0 ? { file: path.resolve(process.argv[fromIndex + 1]), source: `local file ${process.argv[fromIndex + 1]}` } : fromPackage();

const text = readFileSync(file, 'utf8');
const schema = JSON.parse(text); // refuse anything that is not JSON
if (schema.title !== 'Compose Specification' || !schema.definitions?.service) {
  console.error(`${file} does not look like the Compose Specification schema`);
  process.exit(2);
}
const before = readFileSync(target, 'utf8');
writeFileSync(target, text);
const sha = createHash('sha256').update(text).digest('hex');
const noticeText = readFileSync(notice, 'utf8')
  .replace(/^- Copied from: .*$/m, `- Copied from: ${source}`)
  .replace(/^- SHA-256: .*$/m, `- SHA-256: ${sha}`)
  .replace(/^- Copied on: .*$/m, `- Copied on: ${new Date().toISOString().slice(0, 10)}`);
writeFileSync(notice, noticeText);
console.log(before === text ? `schemas/compose-spec.json is already up to date (${source})` : `schemas/compose-spec.json updated from ${source}`);
