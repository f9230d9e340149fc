import { isMap, isScalar, LineCounter, parseDocument, Scalar } from 'yaml';
import type { KindLintRequest } from '../engine';
import { defineRule, finding } from '../registry';
import { Finding, range, Range } from '../types';

export const COMPOSE_SYNTAX = defineRule({
  code: 'compose-syntax',
  kind: 'compose',
  aliases: [],
  severity: 'error',
  title: 'The compose file is not valid YAML',
});

export const COMPOSE_NO_LATEST_TAG = defineRule({
  code: 'no-latest-tag',
  kind: 'compose',
  aliases: [],
  severity: 'warning',
  title: 'Pin service images to a version instead of latest or no tag',
  lesson: 'dockwise.todoApp#compose',
});

export function lintCompose(req: KindLintRequest): Finding[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(req.text, { lineCounter, prettyErrors: false });
  const toRange = (start: number, end: number): Range => {
    const a = lineCounter.linePos(start);
    const b = lineCounter.linePos(end);
    return range(a.line - 1, a.col - 1, b.line - 1, b.col - 1);
  };
  const findings: Finding[] = [];
  for (const e of doc.errors) {
    findings.push(finding(COMPOSE_SYNTAX, toRange(e.pos[0], e.pos[1]), e.message.split('\n')[0]));
  }
  const services = isMap(doc.contents) ? doc.contents.get('services') : undefined;
  if (isMap(services)) {
    for (const item of services.items) {
      const svc = item.value;
      if (!isMap(svc)) continue;
      const image = svc.get('image', true);
      if (!isScalar(image) || typeof image.value !== 'string') continue;
      const ref: string = image.value;
      const r = (image as Scalar).range;
      if (!r || ref.includes('$') || ref.includes('@')) continue;
      const lastSegment = ref.split('/').pop() ?? ref;
      const tag = lastSegment.includes(':') ? lastSegment.split(':').pop() : undefined;
      if (!tag) findings.push(finding(COMPOSE_NO_LATEST_TAG, toRange(r[0], r[1]), `"${ref}" has no tag, so every pull may bring a different image. Pin a version.`));
      else if (tag === 'latest') findings.push(finding(COMPOSE_NO_LATEST_TAG, toRange(r[0], r[1]), `"${ref}" floats with every release. Pin a version instead of latest.`));
    }
  }
  return findings;
}
