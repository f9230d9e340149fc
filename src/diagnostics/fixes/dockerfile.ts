import { DockerfileParser, Instruction, ModifiableInstruction } from 'dockerfile-ast';
import type { Range } from '../types';
import { pinTag } from './pinTag';
import { at, Lines } from './text';
import type { Fix, FixProvider, FixRequest } from './types';

const toRange = (r: { start: { line: number; character: number }; end: { line: number; character: number } }): Range => ({
  start: { line: r.start.line, character: r.start.character },
  end: { line: r.end.line, character: r.end.character },
});

function parse(text: string) {
  return DockerfileParser.parse(text);
}

function instructionAt(text: string, line: number): Instruction | undefined {
  return parse(text).getInstructions().find((i) => i.getRange().start.line <= line && line <= i.getRange().end.line);
}

/** The last stage's instructions (from its FROM on). */
function finalStage(text: string): Instruction[] {
  const all = parse(text).getInstructions();
  let start = 0;
  all.forEach((ins, i) => {
    if (ins.getKeyword() === 'FROM') start = i;
  });
  return all.slice(start);
}

/** Where runtime settings go: just before the final stage's CMD/ENTRYPOINT, else after its last instruction. */
function runtimeInsertLine(stage: Instruction[]): { line: number; before: boolean } {
  const start = stage.find((i) => ['CMD', 'ENTRYPOINT'].includes(i.getKeyword()));
  if (start) return { line: start.getRange().start.line, before: true };
  return { line: stage[stage.length - 1].getRange().end.line, before: false };
}

function insertLines(lines: Lines, where: { line: number; before: boolean }, block: string[]): Fix['edits'] {
  const text = block.join(lines.eol);
  return where.before
    ? [{ range: at(where.line, 0), newText: text + lines.eol }]
    : [{ range: at(where.line, lines.line(where.line).length), newText: lines.eol + text }];
}

const baseImage = (stage: Instruction[]) => (stage[0]?.getKeyword() === 'FROM' ? stage[0].getArguments()[0]?.getValue() ?? '' : '');

// --- chain-run -------------------------------------------------------------------------------------------------

/** Merges the whole run of consecutive shell-form RUNs around the finding into one RUN joined with `&&`. */
const chainRuns: FixProvider = ({ finding, text }) => {
  const all = parse(text).getInstructions();
  const idx = all.findIndex((i) => i.getRange().start.line <= finding.range.start.line && finding.range.start.line <= i.getRange().end.line);
  if (idx < 0 || all[idx].getKeyword() !== 'RUN') return [];
  const mergeable = (i: Instruction | undefined) =>
    // Exec form, heredocs and flags (--mount, --network) do not survive being joined with &&.
    !!i &&
    i.getKeyword() === 'RUN' &&
    !/^\s*\[/.test(i.getArgumentsContent() ?? '') &&
    !(i.getArgumentsContent() ?? '').includes('<<') &&
    (i as ModifiableInstruction).getFlags().length === 0;
  let first = idx;
  while (mergeable(all[first - 1]) && mergeable(all[first])) first--;
  let last = idx;
  while (mergeable(all[last + 1]) && mergeable(all[last])) last++;
  if (first === last || !mergeable(all[first])) return [];
  const lines = new Lines(text);
  const body = (i: Instruction) => {
    const r = i.getRange();
    const raw = lines.lines.slice(r.start.line, r.end.line + 1).join('\n');
    return raw.replace(/^\s*RUN\s+/i, '').trimEnd();
  };
  const runs = all.slice(first, last + 1);
  const indent = lines.indentOf(runs[0].getRange().start.line);
  const keyword = lines.line(runs[0].getRange().start.line).trimStart().slice(0, 3);
  // Comments between the RUNs move above the merged one rather than being lost.
  const startLine = runs[0].getRange().start.line;
  const endLine = runs[runs.length - 1].getRange().end.line;
  const comments: string[] = [];
  for (let l = startLine; l <= endLine; l++) {
    if (/^\s*#/.test(lines.line(l)) && !runs.some((r) => r.getRange().start.line <= l && l <= r.getRange().end.line)) comments.push(lines.line(l));
  }
  const merged = `${indent}${keyword} ${runs.map(body).join(` \\${lines.eol}${indent}    && `)}`;
  return [
    {
      title: `Chain ${runs.length} RUN instructions into one layer`,
      edits: [{ range: { start: { line: startLine, character: 0 }, end: { line: endLine, character: lines.line(endLine).length } }, newText: [...comments, merged].join(lines.eol) }],
      preferred: true,
      safe: true,
    },
  ];
};

// --- no-root-user --------------------------------------------------------------------------------------------

/**
 * How to create an unprivileged user on the base image's family, or the one it already ships. USER takes the
 * numeric id, which Kubernetes' runAsNonRoot can check without reading the image's /etc/passwd.
 */
export function userSetupFor(image: string): { lines: string[]; user: string } {
  const name = image.toLowerCase();
  if (/(^|\/)node(:|$)/.test(name)) return { lines: ['# uid 1000 is the "node" user that node images ship'], user: '1000:1000' };
  if (/distroless/.test(name)) return { lines: ['# uid 65532 is the "nonroot" user that distroless images ship'], user: '65532:65532' };
  if (/alpine|busybox/.test(name)) {
    return { lines: ['RUN addgroup -S -g 10001 app && adduser -S -u 10001 -G app app'], user: '10001:10001' };
  }
  return { lines: ['RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-log-init app'], user: '10001:10001' };
}

const runAsNonRoot: FixProvider = ({ finding, text }) => {
  const lines = new Lines(text);
  const stage = finalStage(text);
  if (!stage.length) return [];
  const ins = instructionAt(text, finding.range.start.line);
  const setup = userSetupFor(baseImage(stage));
  if (ins?.getKeyword() === 'USER') {
    const r = ins.getArguments()[0]?.getRange();
    if (!r) return [];
    return [{ title: `Run as ${setup.user} instead of root`, edits: [{ range: toRange(r), newText: setup.user }], safe: false }];
  }
  const block = [...setup.lines, `USER ${setup.user}`];
  return [{ title: `Add a non-root user (${setup.user}) for the container to run as`, edits: insertLines(lines, runtimeInsertLine(stage), block), preferred: true, safe: true }];
};

// --- require-healthcheck -------------------------------------------------------------------------------------

export function healthcheckFor(image: string, port: string | undefined): string {
  const url = `http://localhost:${port ?? '8080'}/`;
  const options = '--interval=30s --timeout=5s --start-period=10s --retries=3';
  const name = image.toLowerCase();
  if (/(^|\/)node(:|$)/.test(name)) {
    return `HEALTHCHECK ${options} CMD ["node", "-e", "require('http').get('${url}', r => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))"]`;
  }
  if (/alpine|busybox/.test(name)) return `HEALTHCHECK ${options} CMD ["wget", "-q", "--spider", "${url}"]`;
  return `HEALTHCHECK ${options} CMD ["curl", "-fsS", "-o", "/dev/null", "${url}"]`;
}

const addHealthcheck: FixProvider = ({ text }) => {
  const lines = new Lines(text);
  const stage = finalStage(text);
  if (!stage.length) return [];
  const expose = stage.find((i) => i.getKeyword() === 'EXPOSE');
  const port = expose?.getArguments()[0]?.getValue().split('/')[0];
  const line = healthcheckFor(baseImage(stage), port && /^\d+$/.test(port) ? port : undefined);
  return [{ title: `Add a HEALTHCHECK${port ? ` that probes port ${port}` : ''}`, edits: insertLines(lines, runtimeInsertLine(stage), [line]), preferred: true, safe: true }];
};

// --- exec form, COPY for ADD ---------------------------------------------------------------------------------

/** Shell words with no shell syntax in them, so the exec form means exactly the same. */
const PLAIN_WORDS = /^[\w./:=@%+,-]+(?:[ \t]+[\w./:=@%+,-]+)*$/;

const execForm: FixProvider = ({ finding, text }) => {
  const ins = instructionAt(text, finding.range.start.line);
  if (!ins || !['CMD', 'ENTRYPOINT'].includes(ins.getKeyword())) return [];
  const r = ins.getRange();
  if (r.start.line !== r.end.line) return [];
  const args = ins.getArgumentsContent()?.trim() ?? '';
  if (!PLAIN_WORDS.test(args)) return [];
  const json = JSON.stringify(args.split(/[ \t]+/)).replace(/","/g, '", "');
  const argsRange = ins.getArgumentsRange();
  if (!argsRange) return [];
  return [{ title: `Use the exec form: ${ins.getKeyword()} ${json}`, edits: [{ range: toRange(argsRange), newText: json }], preferred: true, safe: true }];
};

const copyForAdd: FixProvider = ({ finding, text }) => {
  const ins = instructionAt(text, finding.range.start.line);
  if (!ins || ins.getKeyword() !== 'ADD') return [];
  const kw = ins.getInstructionRange();
  const written = new Lines(text).line(kw.start.line).slice(kw.start.character, kw.end.character);
  return [{ title: 'Use COPY instead of ADD', edits: [{ range: toRange(kw), newText: written === 'add' ? 'copy' : 'COPY' }], preferred: true, safe: true }];
};

// --- package managers ----------------------------------------------------------------------------------------

/** Adds a flag right after each `apt-get install` (or `apt install`) in the RUN that lacks it. */
function aptFlag(flag: string, title: string): FixProvider {
  return ({ finding, text }) => {
    const ins = instructionAt(text, finding.range.start.line);
    if (!ins || ins.getKeyword() !== 'RUN') return [];
    const lines = new Lines(text);
    const edits: Fix['edits'] = [];
    const r = ins.getRange();
    for (let l = r.start.line; l <= r.end.line; l++) {
      const re = /\bapt(?:-get)?\s+install\b/g;
      for (let m; (m = re.exec(lines.line(l))); ) {
        const rest = lines.line(l).slice(m.index);
        const cmdEnd = rest.search(/&&|\|\||;|\|/);
        if ((cmdEnd < 0 ? rest : rest.slice(0, cmdEnd)).includes(flag) || (flag === '-y' && /\s(-y|--yes|-qq?y|--assume-yes)\b/.test(rest.slice(0, cmdEnd < 0 ? undefined : cmdEnd)))) continue;
        edits.push({ range: at(l, m.index + m[0].length), newText: ` ${flag}` });
      }
    }
    return edits.length ? [{ title, edits, preferred: true, safe: true }] : [];
  };
}

/** Appends the apt list cleanup to the RUN that installs packages. */
const aptCleanup: FixProvider = ({ finding, text }) => {
  const ins = instructionAt(text, finding.range.start.line);
  if (!ins || ins.getKeyword() !== 'RUN') return [];
  const lines = new Lines(text);
  const end = ins.getRange().end;
  const indent = lines.indentOf(ins.getRange().start.line);
  return [{ title: 'Remove the apt lists in the same layer', edits: [{ range: at(end.line, lines.line(end.line).trimEnd().length), newText: ` \\${lines.eol}${indent}    && rm -rf /var/lib/apt/lists/*` }], preferred: true, safe: true }];
};

/** Fix providers by any of a rule's names (code or alias), so they follow the rule rather than one spelling of it. */
export const DOCKERFILE_FIXES: Array<[names: string[], provider: FixProvider]> = [
  [['no-latest-tag'], pinTag],
  [['chain-run', 'DL3059'], chainRuns],
  [['no-root-user', 'DL3002'], runAsNonRoot],
  [['require-healthcheck', 'DL3057'], addHealthcheck],
  [['JSONArgsRecommended', 'DL3025'], execForm],
  [['DL3020'], copyForAdd],
  [['DL3014'], aptFlag('-y', 'Add -y so apt-get does not wait for an answer')],
  [['DL3015'], aptFlag('--no-install-recommends', 'Add --no-install-recommends')],
  [['DL3009'], aptCleanup],
];

export type { FixRequest };
