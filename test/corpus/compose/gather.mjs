#!/usr/bin/env node
/**
 * Rebuilds this corpus from local bare git copies of public repositories (one folder per repository under MIRRORS,
 * named owner+name, each holding a bare repository in repo/): every YAML file with a top-level `services:` key,
 * at most `cap` per repository spread evenly over its paths, plus the Dockerfiles their `build:` contexts name
 * (so healthcheck rules read what compose would build) and the repository's licence text.
 *
 *   MIRRORS=/path/to/mirrors node test/corpus/compose/gather.mjs
 *
 * Writes <owner>+<name>/<path> beside this script and SOURCES.md. The files are kept byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const MIRRORS = process.env.MIRRORS ?? '/work/.mirror';

/** repository, SPDX licence, how many compose files to keep at most, paths to leave out (tests of the tool itself). */
const SOURCES = [
  ['docker/awesome-compose', 'CC0-1.0', 60],
  ['laradock/laradock', 'MIT', 20],
  ['frappe/frappe_docker', 'MIT', 22],
  ['jaegertracing/jaeger', 'Apache-2.0', 15],
  ['grafana/loki', 'AGPL-3.0', 12],
  ['conduktor/kafka-stack-docker-compose', 'Apache-2.0', 8],
  ['zulip/docker-zulip', 'Apache-2.0', 8],
  ['paperless-ngx/paperless-ngx', 'GPL-3.0', 9],
  ['mailcow/mailcow-dockerized', 'GPL-3.0', 8],
  ['nextcloud/docker', 'AGPL-3.0', 9],
  ['temporalio/docker-compose', 'MIT', 8],
  ['open-telemetry/opentelemetry-demo', 'Apache-2.0', 6],
  ['MariaDB/mariadb-docker', 'GPL-2.0', 6],
  ['traefik/traefik', 'MIT', 15],
  ['wodby/docker4drupal', 'MIT', 6],
  ['kestra-io/kestra', 'Apache-2.0', 4],
  ['n8n-io/n8n-hosting', 'MIT', 4],
  ['devcontainers/templates', 'MIT', 15],
  ['StefanScherer/dockerfiles-windows', 'MIT', 12],
  ['debezium/debezium-examples', 'Apache-2.0', 25],
  ['ClickHouse/examples', 'Apache-2.0', 15],
  ['nginx-proxy/nginx-proxy', 'MIT', 12],
  ['matomo-org/docker', 'GPL-3.0', 2],
  ['mattermost/docker', 'MIT', 3],
  ['redpanda-data/redpanda-labs', 'Apache-2.0', 15],
  ['openzipkin/zipkin', 'Apache-2.0', 12],
  ['apache/apisix-docker', 'Apache-2.0', 6],
  ['grafana/tempo', 'AGPL-3.0', 8],
  ['microservices-demo/microservices-demo', 'Apache-2.0', 3],
  ['ory/kratos', 'Apache-2.0', 12],
  ['getsentry/self-hosted', 'FSL-1.1-Apache-2.0', 2],
  ['deviantony/docker-elk', 'MIT', 7],
  ['stefanprodan/dockprom', 'MIT', 2],
  ['jitsi/docker-jitsi-meet', 'Apache-2.0', 12],
  ['dockersamples/example-voting-app', 'Apache-2.0', 4],
  ['netbox-community/netbox-docker', 'Apache-2.0', 3],
  ['docker-mailserver/docker-mailserver', 'MIT', 4],
  ['Kong/docker-kong', 'Apache-2.0', 2],
  ['vegasbrianc/prometheus', 'MIT', 5],
  ['pi-hole/docker-pi-hole', 'GPL-3.0', 1],
  ['umami-software/umami', 'MIT', 3],
  ['searxng/searxng-docker', 'AGPL-3.0', 1],
  ['docker/cli', 'Apache-2.0', 6],
  ['docker/buildx', 'Apache-2.0', 3],
  ['moby/moby', 'Apache-2.0', 1],
  ['moby/buildkit', 'Apache-2.0', 2],
];

const SKIP = /^\.github\/|(^|\/)\.gitlab|\.circleci\/|(^|\/)(charts?|helm|k8s|kubernetes|vendor|node_modules)\/|\.travis\.ya?ml$/i;
const MAX_BYTES = 200_000;

const git = (dir, ...args) => execFileSync('git', ['--git-dir', dir, ...args], { maxBuffer: 64 << 20 });

function pick(list, cap) {
  if (list.length <= cap) return list;
  const out = [];
  for (let i = 0; i < cap; i++) out.push(list[Math.floor((i * list.length) / cap)]);
  return out;
}

/** Build contexts and Dockerfiles named by a compose file, found by reading the text (no YAML library needed here). */
function dockerfilesOf(text, composePath) {
  const dir = path.posix.dirname(composePath);
  const out = new Set();
  const contexts = [...text.matchAll(/^\s+(?:build|context):\s*["']?([.\w\/-]+)["']?\s*$/gm)].map((m) => m[1]);
  const files = [...text.matchAll(/^\s+dockerfile:\s*["']?([.\w\/-]+)["']?\s*$/gm)].map((m) => m[1]);
  for (const c of contexts) {
    if (c.startsWith('/') || c === 'context') continue;
    out.add(path.posix.normalize(path.posix.join(dir, c, 'Dockerfile')));
    for (const f of files) out.add(path.posix.normalize(path.posix.join(dir, c, f)));
  }
  return [...out].filter((p) => !p.startsWith('..'));
}

function partnersOf(file) {
  const name = path.posix.basename(file);
  const stem = /^(.+?)[-._][^/]*\.ya?ml$/.exec(name)?.[1];
  const bases = ['compose', 'docker-compose', ...(stem && !['compose', 'docker-compose'].includes(stem) ? [stem] : [])];
  const out = [];
  let dir = path.posix.dirname(file);
  for (let level = 0; level <= 4; level++) {
    for (const b of bases) for (const ext of ['.yaml', '.yml']) out.push(path.posix.normalize(path.posix.join(dir, b + ext)));
    if (dir === '.' || dir === '') break;
    dir = path.posix.dirname(dir);
  }
  return out.filter((p) => p !== file);
}

const rows = [];
for (const [repo, licence, cap] of SOURCES) {
  const dir = path.join(MIRRORS, repo.replace('/', '+'), 'repo');
  const commit = git(dir, 'rev-parse', 'HEAD').toString().trim();
  const names = git(dir, 'ls-tree', '-r', '-z', '--name-only', 'HEAD').toString().split('\0').filter(Boolean);
  // One search per repository for YAML files with a top-level services: key.
  let hits = [];
  try {
    hits = git(dir, 'grep', '-l', '-E', '^services:', 'HEAD', '--', '*.yml', '*.yaml').toString().split('\n').filter(Boolean).map((l) => l.replace(/^HEAD:/, ''));
  } catch {
    hits = []; // git grep exits 1 when nothing matches
  }
  const compose = hits.filter((n) => !SKIP.test(n) && Number(git(dir, 'cat-file', '-s', `HEAD:${n}`).toString()) < MAX_BYTES).sort();
  const chosen = pick(compose, cap);
  const target = path.join(here, repo.replace('/', '+'));
  rmSync(target, { recursive: true, force: true });
  const write = (name, kind) => {
    const bytes = git(dir, 'show', `HEAD:${name}`);
    mkdirSync(path.dirname(path.join(target, name)), { recursive: true });
    writeFileSync(path.join(target, name), bytes);
    rows.push({ repo, commit, path: name, licence, kind });
  };
  const present = new Set(names);
  const extra = new Set();
  // The files a chosen one is used with (`-f base -f overlay`, or included by): base files in its folder and
  // above, and the file its name extends (quickstart-mysql.yml → quickstart.yml), so references resolve as in use.
  const withPartners = new Set(chosen);
  for (const n of chosen) for (const p of partnersOf(n)) if (present.has(p) && !SKIP.test(p)) withPartners.add(p);
  for (const n of [...withPartners].sort()) {
    write(n, chosen.includes(n) ? 'compose' : 'compose (used with one above)');
    for (const d of dockerfilesOf(git(dir, 'show', `HEAD:${n}`).toString(), n)) if (present.has(d)) extra.add(d);
  }
  for (const d of extra) write(d, 'Dockerfile');
  const lic = names.find((n) => /^(LICEN[CS]E|COPYING)(\.(md|txt))?$/i.test(n));
  if (lic) write(lic, 'licence');
  console.log(`${repo}: ${withPartners.size} of ${compose.length} compose files (${withPartners.size - chosen.length} as partners), ${extra.size} Dockerfiles`);
}

const table = rows.map((r) => `| ${r.repo} | \`${r.commit.slice(0, 12)}\` | ${r.path} | ${r.kind} | ${r.licence} |`).join('\n');
const composeCount = rows.filter((r) => r.kind.startsWith('compose')).length;
writeFileSync(
  path.join(here, 'SOURCES.md'),
  `# Compose corpus: sources

${composeCount} compose files written by others, from ${SOURCES.length} public repositories, kept byte for byte as test data
for the compose linter's precision review (\`reviewed.json\` beside this file, \`docs/precision-compose.md\`).
Each repository's folder is named owner+name and keeps the file's path in that repository; the Dockerfiles that the
files' \`build:\` contexts name are kept beside them, and each repository's licence text is in its folder.
\`gather.mjs\` rebuilds the corpus from local copies of the repositories at the commits below.

| Repository (github.com/…) | Commit | Path | Kind | Licence |
|---|---|---|---|---|
${table}
`,
);
console.log(`${composeCount} compose files`);
