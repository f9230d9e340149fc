import { defineRule, finding } from '../../registry';
import type { Range } from '../../types';
import type { DockerfileRule } from '../context';
import { isValidImageRef, parseImageRef } from '../imageRef';
import { expand, UNKNOWN } from '../variables';
import { LESSONS } from './lessons';

export const NO_LATEST_TAG = defineRule({
  code: 'no-latest-tag',
  kind: 'dockerfile',
  aliases: ['DL3006', 'DL3007'],
  severity: 'warning',
  title: 'Pin images to a version instead of latest or no tag',
  lesson: LESSONS['no-latest-tag'],
});

/** `type=cache,from=builder,target=/x` → the `from` value and its offset inside the option string. */
function mountFrom(value: string): { from: string; at: number } | undefined {
  let at = 0;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === 'from') return { from: part.slice(eq + 1), at: at + eq + 1 };
    at += part.length + 1;
  }
  return undefined;
}

export const noLatestTag: DockerfileRule = {
  codes: [NO_LATEST_TAG.code],
  check(ctx, report) {
    const { model } = ctx;
    const check = (raw: string, range: Range, where: string, stageLimit: number) => {
      if (!raw) return;
      const value = expand(raw, model.globalScope, ctx.escape).value;
      const lower = value.toLowerCase();
      if (lower === 'scratch' || /^\d+$/.test(value)) return;
      if (model.stageByName(lower, stageLimit)) return;
      const ref = parseImageRef(value);
      if (ref.digest !== undefined) return;
      // A name Docker would refuse (a template's REPLACE-ME) is invalid-image-reference's to report.
      if (!value.includes(UNKNOWN) && !isValidImageRef(value)) return;
      // With variables, say what they give: "$BASE_IMAGE" (quay.io/jupyter/base-notebook).
      const shown = raw.includes('$') && !value.includes(UNKNOWN) ? `${raw}" (${value})` : `${raw}"`;
      if (ref.tag === undefined) {
        // An unknown piece in the last path component could carry the tag (`node${SUFFIX}`): not provably untagged.
        const last = ref.repository.slice(ref.repository.lastIndexOf('/') + 1);
        if (last.includes(UNKNOWN)) return;
        const name = value.includes(UNKNOWN) ? raw : value;
        report(finding(NO_LATEST_TAG, range,
          `${where} "${shown} has no tag, so it means "${name}:latest": whatever was pushed last. Builds stop being repeatable and can break the day a new major version lands. Pin a version, such as ${name}:<version>.`,
          { aliases: ['DL3006'], data: { image: value } }));
      } else if (ref.tag === 'latest') {
        report(finding(NO_LATEST_TAG, range,
          `${where} "${shown} floats: latest moves whenever a new version is pushed, so two builds of this file can differ. Pin a version tag (or a digest) instead of latest.`,
          { aliases: ['DL3007'], data: { image: value } }));
      }
    };
    for (const st of ctx.stages) {
      if (st.imageWord) check(st.imageWord.raw, ctx.rangeOf(st.from, st.imageWord), 'The base image', st.index);
    }
    for (const ins of ctx.instructions) {
      if (ins.keyword !== 'COPY' && ins.keyword !== 'RUN') continue;
      for (const f of ins.flags) {
        const name = f.name.toLowerCase();
        if (f.value === null) continue;
        const valueStart = f.word.start + 2 + f.name.length + 1;
        if (ins.keyword === 'COPY' && name === 'from') {
          // A bare name that is no stage may be a named build context (--build-context name=…), not an image;
          // copy-from-known-stage speaks about it.
          if (!/[/:@.]/.test(f.value) && !/^\d+$/.test(f.value)) continue;
          check(f.value, ctx.rangeOf(ins, { start: valueStart, end: f.word.end }), 'COPY --from image', Infinity);
        } else if (ins.keyword === 'RUN' && name === 'mount') {
          const m = mountFrom(f.value);
          if (m && /[/:@.]/.test(m.from)) check(m.from, ctx.rangeOf(ins, { start: valueStart + m.at, end: valueStart + m.at + m.from.length }), 'RUN --mount image', Infinity);
        }
      }
    }
  },
};
