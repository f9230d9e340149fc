/**
 * Which lines of a Dockerfile made which layers of a local image: the image history (newest step first) is
 * matched, from the end, against the final stage's instructions. Works for the classic builder
 * (`/bin/sh -c #(nop)  CMD ["node"]`, `/bin/sh -c apt-get update`) and BuildKit (`RUN /bin/sh -c … # buildkit`).
 */
import { DockerfileParser } from 'dockerfile-ast';

export interface HistoryEntry {
  Id?: string;
  Created?: number;
  CreatedBy: string;
  Size: number;
  Tags?: string[] | null;
}

export interface LineLayer {
  /** 0-based line of the instruction that made the step. */
  line: number;
  keyword: string;
  size: number;
  /** The step changed only the image config (no filesystem layer). */
  empty: boolean;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The history entry's instruction in a form comparable with the Dockerfile's, keyword first. */
export function normaliseHistory(createdBy: string): string {
  // `|2 A=1 B=2 /bin/sh -c …`: the classic builder's record of build args in scope.
  let s = createdBy.replace(/\s*# buildkit$/, '').replace(/^\|\d+ (?:\S+=\S* )*/, '');
  const nop = /^\/bin\/sh -c #\(nop\)\s+(.*)$/s.exec(s);
  if (nop) s = nop[1];
  else if (/^\/bin\/sh -c /.test(s)) s = 'RUN ' + s.slice('/bin/sh -c '.length);
  else if (/^RUN \/bin\/sh -c /.test(s)) s = 'RUN ' + s.slice('RUN /bin/sh -c '.length);
  // "COPY file:abc123 in /app" / "COPY dir:… in /app" from the classic builder: keep the keyword and destination.
  const copy = /^(COPY|ADD) (?:file|dir|multi):\S+ in (\S+)/.exec(s);
  if (copy) return `${copy[1]} ${copy[2]}`;
  return squash(s);
}

function normaliseInstruction(keyword: string, args: string): string {
  if (keyword === 'COPY' || keyword === 'ADD') {
    const parts = args.trim().split(/\s+/).filter((p) => !p.startsWith('--'));
    return `${keyword} ${parts[parts.length - 1] ?? ''}`;
  }
  if (keyword === 'RUN') return `RUN ${squash(args.replace(/\\\r?\n/g, ' '))}`;
  return `${keyword} ${squash(args)}`;
}

/** How two normalised steps compare: the same keyword, and RUN/COPY text where it is comparable. */
function same(history: string, instruction: string): boolean {
  const hk = history.split(' ')[0].toUpperCase();
  const ik = instruction.split(' ')[0];
  if (hk !== ik) return false;
  if (ik === 'RUN') return squash(history) === squash(instruction) || squash(history).includes(squash(instruction).slice(4));
  if (ik === 'COPY' || ik === 'ADD') return history.split(' ').pop()?.replace(/\/$/, '') === instruction.split(' ').pop()?.replace(/\/$/, '');
  // `CMD ["node" "server.js"]` (history) and `CMD ["node", "server.js"]` (file): compare without the JSON dressing.
  if (ik === 'CMD' || ik === 'ENTRYPOINT') return history.replace(/[\s",[\]]/g, '') === instruction.replace(/[\s",[\]]/g, '');
  return true;
}

/**
 * Matches `history` to the final stage of `dockerfile`. Returns the layers per line and how many of the stage's
 * steps matched (0 when the image was not built from this file).
 */
export function matchHistory(dockerfile: string, history: HistoryEntry[]): { layers: LineLayer[]; matched: number; steps: number } {
  const instructions = DockerfileParser.parse(dockerfile).getInstructions();
  let start = 0;
  instructions.forEach((ins, i) => {
    if (ins.getKeyword() === 'FROM') start = i;
  });
  const steps = instructions.slice(start + 1);
  const layers: LineLayer[] = [];
  let h = 0;
  for (let s = steps.length - 1; s >= 0 && h < history.length; s--) {
    const ins = steps[s];
    const want = normaliseInstruction(ins.getKeyword(), ins.getArgumentsContent() ?? '');
    const got = normaliseHistory(history[h].CreatedBy);
    if (!same(got, want)) {
      // BuildKit records no step for ARG; the classic builder does.
      if (ins.getKeyword() === 'ARG') continue;
      break;
    }
    layers.push({ line: ins.getRange().start.line, keyword: ins.getKeyword(), size: history[h].Size, empty: history[h].Size === 0 && !['RUN', 'COPY', 'ADD'].includes(ins.getKeyword()) });
    h++;
  }
  return { layers: layers.reverse(), matched: layers.length, steps: steps.length };
}

export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let v = bytes / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}
