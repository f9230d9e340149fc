/** BuildKit's CopyIgnoredFile: COPY/ADD of a path that `.dockerignore` keeps out of the build context. */
import ignore from '@balena/dockerignore';
import * as path from 'node:path';
import { finding } from '../../../registry';
import type { DockerfileRule } from '../../context';
import { UNKNOWN } from '../../variables';
import { buildkitRule } from './meta';

export const COPY_IGNORED_FILE = buildkitRule('CopyIgnoredFile', 'warning', 'COPY or ADD of a file that .dockerignore excludes');

export const copyIgnoredFile: DockerfileRule = {
  codes: [COPY_IGNORED_FILE.code],
  check(ctx, report) {
    if (!ctx.filePath) return;
    const copies = ctx.instructions.filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.heredocs.length && !i.flags.some((f) => f.name.toLowerCase() === 'from'));
    if (!copies.length) return;
    // As BuildKit: `<Dockerfile>.dockerignore` beside the Dockerfile wins over `.dockerignore`.
    const dir = path.dirname(ctx.filePath);
    const text = ctx.host.readFile(`${ctx.filePath}.dockerignore`) ?? ctx.host.readFile(path.join(dir, '.dockerignore'));
    if (text === undefined) return;
    const patterns = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    // Negations make static answers unreliable (a directory excluded, a file in it brought back): BuildKit skips too.
    if (!patterns.length || patterns.some((p) => p.startsWith('!'))) return;
    const ig = ignore().add(patterns);
    const rootIgnored = patterns.some((p) => p === '*' || p === '**' || p === '**/*');
    for (const ins of copies) {
      const sources = ins.text.trim().startsWith('[') ? [] : ins.args.slice(0, -1);
      for (const w of sources) {
        const v = ctx.model.expand(w.raw, ins).value.replace(/^(["'])(.*)\1$/, '$2');
        if (!v || v.includes(UNKNOWN) || /[*?[]/.test(v) || /^[a-z][a-z0-9+.-]*:\/\//i.test(v) || v.startsWith('git@')) continue;
        let rel = path.posix.normalize(v.replace(/\\/g, '/')).replace(/^\/+/, '').replace(/\/+$/, '');
        if (rel === '.' || rel === '') {
          if (!rootIgnored) continue;
          rel = '.';
        }
        if (rel.startsWith('../')) continue;
        if (!matchesOrParent(ig, rel) && !(rel === '.' && rootIgnored)) continue;
        report(finding(COPY_IGNORED_FILE, ctx.checkRange(ins, w),
          `"${v}" is excluded by .dockerignore, so it is not in the build context and this ${ins.keyword} fails. Remove the pattern from .dockerignore or stop copying the file.`));
      }
    }
  },
};

function matchesOrParent(ig: ReturnType<typeof ignore>, rel: string): boolean {
  const parts = rel.split('/');
  for (let k = 1; k <= parts.length; k++) {
    try {
      if (ig.ignores(parts.slice(0, k).join('/'))) return true;
    } catch {
      return false;
    }
  }
  return false;
}
