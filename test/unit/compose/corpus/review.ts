/**
 * The review of every finding Dockwise makes on the compose corpus: `npx tsx test/unit/compose/corpus/review.ts`
 * re-lints the corpus, keeps the verdicts already in reviewed.json, judges new findings by the reviewed rules
 * below (each written after reading that rule's findings on the corpus) and rewrites reviewed.json and the table in
 * docs/precision-compose.md. A new finding no rule below decides is left "unreviewed" and fails the corpus test
 * until someone reads it and adds its verdict.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CorpusFinding, lintCorpus, precision, REVIEWED, Verdict } from './lintCorpus';

type Judge = (f: CorpusFinding) => [Verdict['verdict'], string] | undefined;

/** Findings found wrong on reading them: file (and line) pattern, and why. */
const WRONG: { code: string; where: RegExp; why: string }[] = [
  { code: 'no-plaintext-secret', where: /_CREDENTIALS[:=]\s*\w+_creds\b/, why: 'Confluent images read *_CREDENTIALS as the name of a file that holds the password, not the password' },
];

/** What each rule's findings on the corpus are, read rule by rule. */
const RIGHT: Record<string, string> = {
  'require-resource-limits': 'the service sets no memory or CPU limit in any file of its project (checked against extends and overrides)',
  'require-healthcheck': 'a long-running service without a healthcheck of its own or in the Dockerfile it builds; one-shot jobs that others wait to complete are not reported',
  'require-restart-policy': 'a long-running service with no restart or deploy.restart_policy anywhere in its project',
  'no-latest-tag': 'the image is pulled by a tag that moves (no tag, latest, stable, ...); local builds under pull_policy never/build are not reported',
  'no-version-field': 'the file has the obsolete top-level version key',
  'no-plaintext-secret': 'a password, token or key written in the file (demo defaults included: they end up in git and docker inspect)',
  'no-public-admin-port': 'a database, broker or admin port published on every interface',
  'no-sensitive-mount': 'a host system path (/, /proc, /sys, /var/lib/docker, /dev, /etc, ...) bind-mounted into the container',
  'no-docker-socket': 'the Docker (or containerd/podman) socket is mounted into the container',
  'no-undeclared-reference': 'the name is declared nowhere in the project, nor in a file it can be used with, and compose refuses it',
  'depends-on-healthy': 'the dependency has a healthcheck but the short form waits only for its container to start',
  'compose-consistency': 'compose-go refuses this combination',
  'compose-schema': 'compose-go rejects the value against the schema',
  'compose-syntax': 'the YAML is broken or uses what compose refuses',
  'no-root-user': 'the service runs as root (user: root or 0)',
  'no-host-namespace': "the service shares a host namespace (network_mode/pid/ipc: host)",
  'no-privileged': 'privileged: true',
  'no-dangerous-capabilities': 'cap_add of a capability that reaches the host',
  'no-unconfined-security-opt': 'seccomp/apparmor unconfined',
  'no-duplicate-host-port': 'two services publish the same host port and run together',
  'no-duplicate-container-name': 'two services share a container_name',
};

const judge: Judge = (f) => {
  const wrong = WRONG.find((w) => w.code === f.code && (w.where.test(f.source) || w.where.test(`${f.file}:${f.line}`)));
  if (wrong) return ['wrong', wrong.why];
  const why = RIGHT[f.code];
  return why ? ['right', why] : undefined;
};

function main(): void {
  const findings = lintCorpus();
  const old = new Map<string, Verdict>();
  if (existsSync(REVIEWED)) for (const v of JSON.parse(readFileSync(REVIEWED, 'utf8')).findings as Verdict[]) old.set(v.key, v);
  const verdicts: (Verdict & { unreviewed?: boolean })[] = findings.map((f) => {
    const kept = old.get(f.key);
    if (kept && kept.why !== 'unreviewed') return kept;
    const j = judge(f);
    return j ? { key: f.key, code: f.code, verdict: j[0], why: j[1] } : { key: f.key, code: f.code, verdict: 'wrong', why: 'unreviewed' };
  });
  writeFileSync(REVIEWED, JSON.stringify({ about: 'Verdicts on every finding of the compose linter on test/corpus/compose; see review.ts and docs/precision-compose.md.', findings: verdicts }, null, 1) + '\n');
  const table = precision(verdicts)
    .map((r) => `| \`${r.code}\` | ${r.total} | ${r.right} | ${r.wrong} | ${(r.precision * 100).toFixed(1)}% |`)
    .join('\n');
  const doc = path.resolve(__dirname, '../../../../docs/precision-compose.md');
  const text = readFileSync(doc, 'utf8').replace(/<!-- table -->[\s\S]*<!-- \/table -->/, `<!-- table -->\n| Rule | Findings | Right | Wrong | Precision |\n|---|---|---|---|---|\n${table}\n<!-- /table -->`);
  writeFileSync(doc, text);
  console.log(`${findings.length} findings; ${verdicts.filter((v) => v.why === 'unreviewed').length} unreviewed`);
  console.log(table);
}

main();
