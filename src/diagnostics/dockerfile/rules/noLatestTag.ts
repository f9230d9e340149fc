import { defineRule, finding } from '../../registry';
import { range } from '../../types';
import type { DockerfileRule } from '../context';

export const NO_LATEST_TAG = defineRule({
  code: 'no-latest-tag',
  kind: 'dockerfile',
  aliases: ['DL3006', 'DL3007'],
  severity: 'warning',
  title: 'Pin base images to a version instead of latest or no tag',
  lesson: 'dockwise.todoApp#dockerfile',
});

export const noLatestTag: DockerfileRule = {
  codes: [NO_LATEST_TAG.code],
  check(ctx, report) {
    const stages = new Set<string>();
    for (const from of ctx.dockerfile.getFROMs()) {
      const name = from.getImageName();
      const nameRange = from.getImageRange();
      const stage = from.getBuildStage();
      if (name && nameRange && name !== 'scratch' && !stages.has(name.toLowerCase()) && !from.getImageDigest() && !name.includes('$')) {
        const tag = from.getImageTag();
        const r = range(nameRange.start.line, nameRange.start.character, nameRange.end.line, nameRange.end.character);
        if (!tag) {
          report(finding(NO_LATEST_TAG, r, `"${name}" has no tag, so every build may pull a different image. Pin a version (${name}:<version>) so builds repeat.`, { aliases: ['DL3006'] }));
        } else if (tag === 'latest') {
          report(finding(NO_LATEST_TAG, r, `"${name}:latest" moves whenever a new version is pushed, so builds stop repeating. Pin a version instead of latest.`, { aliases: ['DL3007'] }));
        }
      }
      if (stage) stages.add(stage.toLowerCase());
    }
  },
};
