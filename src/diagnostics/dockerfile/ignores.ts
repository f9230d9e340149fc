/**
 * Applies ignore comments to the findings of every Dockerfile rule, whoever wrote the rule:
 * `# dockwise-ignore`, `# dockwise-ignore-file`, `# hadolint ignore=`, `# hadolint global ignore=` (unless
 * `disableIgnorePragma`), BuildKit's `# check=skip=` directive (whole file) or comment (the next instruction), and
 * `# check=error=true`, which makes BuildKit's checks errors as it makes them fail the build.
 */
import { defineRule, finding } from '../registry';
import { checkComment, CheckOptions, namesMatch, parseCheckOptions, parseIgnoreComment } from '../suppressions';
import type { Finding } from '../types';
import type { DockerfileContext } from './context';
import { isBuildkitCheck } from './rules/buildkit/meta';

export const INVALID_CHECK_DIRECTIVE = defineRule({
  code: 'invalid-check-directive',
  kind: 'dockerfile',
  aliases: [],
  severity: 'error',
  title: 'The # check= directive cannot be read',
});

interface LineIgnore {
  /** Lines (0-based) of the instruction the comment applies to. */
  from: number;
  to: number;
  names: string[];
  buildkit?: CheckOptions;
}

const hasBuildkitName = (f: Finding) => f.aliases.some(isBuildkitCheck) || isBuildkitCheck(f.code);
const skips = (o: CheckOptions, f: Finding) =>
  (o.skip.includes('*') && hasBuildkitName(f)) || namesMatch(o.skip.filter((n) => n !== '*'), f.code, f.aliases);

export function applyIgnores(ctx: DockerfileContext, findings: Finding[]): Finding[] {
  const fileNames: string[] = [];
  const scoped: LineIgnore[] = [];
  const problems: Finding[] = [];
  const pragmasOff = ctx.config.disableIgnorePragma === true;
  let fileCheck: CheckOptions | undefined;

  const directive = ctx.parsed.directives.find((d) => d.name === 'check');
  if (directive) {
    const o = parseCheckOptions(directive.value);
    if ('problem' in o) problems.push(finding(INVALID_CHECK_DIRECTIVE, directive.valueRange, `${o.problem}. BuildKit refuses to build with this directive; write it as # check=skip=Rule1,Rule2;error=true.`));
    else fileCheck = o;
  }

  // Each comment applies to the next instruction after it.
  const { instructions } = ctx.parsed;
  let next = 0;
  for (const c of ctx.parsed.comments) {
    while (next < instructions.length && instructions[next].endLine < c.line) next++;
    const ins = instructions[next];
    const target = ins && ins.line > c.line ? ins : undefined;
    const ignore = parseIgnoreComment('#' + c.text);
    if (ignore && !(pragmasOff && ignore.source === 'hadolint')) {
      if (ignore.scope === 'file') fileNames.push(...ignore.names);
      else if (target) scoped.push({ from: target.line, to: target.endLine, names: ignore.names });
      continue;
    }
    const check = checkComment(c.text);
    if (check !== undefined && target && target.comments.includes(c)) {
      const o = parseCheckOptions(check);
      if (!('problem' in o)) scoped.push({ from: target.line, to: target.endLine, names: [], buildkit: o });
    }
  }

  // Ignores by line, so each finding looks only at those covering its line (a file can hold thousands).
  const byLine = new Map<number, LineIgnore[]>();
  for (const s of scoped) {
    for (let l = s.from; l <= s.to; l++) {
      const list = byLine.get(l);
      if (list) list.push(s);
      else byLine.set(l, [s]);
    }
  }
  const out: Finding[] = [];
  for (const f of findings) {
    if (namesMatch(fileNames, f.code, f.aliases)) continue;
    if (fileCheck && skips(fileCheck, f)) continue;
    const line = f.range.start.line;
    let ignored = false;
    let error = fileCheck?.error === true;
    for (const s of byLine.get(line) ?? []) {
      if (s.buildkit) {
        if (skips(s.buildkit, f)) ignored = true;
        if (s.buildkit.error) error = true;
      } else if (namesMatch(s.names, f.code, f.aliases)) ignored = true;
    }
    if (ignored) continue;
    out.push(error && hasBuildkitName(f) && f.severity !== 'error' ? { ...f, severity: 'error' } : f);
  }
  return out.concat(problems);
}
