/**
 * A HEALTHCHECK only where both halves are known: the port, from an EXPOSE of the final stage (never a guessed
 * 8080), and a program to ask it with that the image provably has: node in node images, python in python images,
 * busybox's wget on alpine and busybox, curl or wget when a RUN of the stage installs them. Anything else gets no
 * fix, since a probe that cannot run marks a healthy container unhealthy.
 */
import { argsNoFlags, isCommand } from '../../dockerfile/shell/command';
import type { DockerfileFixContext } from '../context';
import { pos } from '../text';
import type { FixDefinition } from '../types';
import { baseOf, stageChain } from './baseImage';

const OPTIONS = '--interval=30s --timeout=5s --start-period=10s --retries=3';

function exposedPort(fx: DockerfileFixContext, stageIndex: number): string | undefined {
  for (const st of stageChain(fx.df, fx.df.stages[stageIndex])) {
    for (const ins of st.instructions) {
      if (ins.keyword !== 'EXPOSE') continue;
      for (const w of ins.args) {
        const v = fx.df.model.expand(w.raw, ins);
        const m = /^(\d{1,5})(\/tcp)?$/i.exec(v.value);
        if (!v.unknown && m && Number(m[1]) > 0 && Number(m[1]) < 65536) return m[1];
      }
    }
  }
  return undefined;
}

/** curl or wget, when a RUN of the stage (or a stage it is built on) installs it with a package manager. */
function installedTool(fx: DockerfileFixContext, stageIndex: number): 'curl' | 'wget' | undefined {
  const chain = new Set(stageChain(fx.df, fx.df.stages[stageIndex]).map((s) => s.index));
  const found = new Set<string>();
  for (const run of fx.shell.runs) {
    if (run.step.onbuild || !chain.has(run.step.stage.index)) continue;
    for (const c of run.commands) {
      if (!isCommand(c, 'apt-get', 'apt', 'apk', 'dnf', 'yum', 'microdnf', 'zypper')) continue;
      const args = argsNoFlags(c, ['t', 'o', 'c', 'repository', 'X']);
      if (!['install', 'add', 'in'].includes(args[0]?.value ?? '')) continue;
      for (const a of args.slice(1)) found.add(a.value.split(/[=<>~]/)[0]);
    }
  }
  return found.has('curl') ? 'curl' : found.has('wget') ? 'wget' : undefined;
}

function probe(fx: DockerfileFixContext, stageIndex: number, url: string): { tool: string; cmd: string[] } | undefined {
  const base = baseOf(fx.df, fx.df.stages[stageIndex]);
  if (base.family === 'scratch' || base.family === 'distroless' || base.family === 'windows') return undefined;
  if (base.official === 'node') return { tool: 'node', cmd: ['node', '-e', `require('http').get('${url}', r => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))`] };
  if (base.official === 'python') return { tool: 'python', cmd: ['python', '-c', `import urllib.request; urllib.request.urlopen('${url}', timeout=4)`] };
  const tool = installedTool(fx, stageIndex) ?? (base.family === 'alpine' || base.family === 'busybox' ? 'wget' : undefined);
  if (tool === 'curl') return { tool, cmd: ['curl', '-fsS', '-o', '/dev/null', url] };
  if (tool === 'wget') return { tool, cmd: ['wget', '-q', '--spider', url] };
  return undefined;
}

export const addHealthcheck: FixDefinition<DockerfileFixContext> = {
  id: 'add-healthcheck',
  kind: 'dockerfile',
  rules: ['require-healthcheck', 'DL3057'],
  safety: 'review',
  risk: 'Docker marks the container unhealthy when / does not answer: point it at the app\'s health endpoint',
  propose(fx) {
    const final = fx.df.model.finalStage;
    if (!final) return [];
    const port = exposedPort(fx, final.index);
    if (!port) return [];
    const url = `http://localhost:${port}/`;
    const p = probe(fx, final.index, url);
    if (!p) return [];
    const line = `HEALTHCHECK ${OPTIONS} CMD ${JSON.stringify(p.cmd).replace(/","/g, '", "')}`;
    const lines = fx.lines;
    const start = final.instructions.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
    const lastLine = (final.instructions[final.instructions.length - 1] ?? final.from).endLine;
    // Above CMD/ENTRYPOINT and the comments that describe it.
    const before = start ? (start.comments[0]?.line ?? start.line) : undefined;
    const eol = lines.eolAt(before ?? lastLine);
    const edit = before !== undefined
      ? { range: { start: pos(before, 0), end: pos(before, 0) }, newText: line + eol }
      : { range: { start: lines.endOf(lastLine), end: lines.endOf(lastLine) }, newText: eol + line };
    return [{ title: `Add a HEALTHCHECK that asks ${url} with ${p.tool}`, edits: [edit] }];
  },
};
