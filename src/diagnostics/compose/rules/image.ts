import type { ComposeCheck, ServiceNode } from '../context';
import { withDefaults } from '../variables';
import { entry, entryValueSpan, scalarText } from '../yamlNodes';
import { NO_LATEST_TAG } from './meta';

/** Tags that name a channel, not a release: the image changes under the same name. */
const FLOATING_TAGS = new Set(['latest', 'stable', 'edge', 'nightly', 'canary', 'lts', 'current', 'mainline']);

/** The tag of an image reference, '' when there is none; undefined when pinned by digest. */
export function imageTag(ref: string): string | undefined {
  if (ref.includes('@')) return undefined;
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return colon < 0 ? '' : last.slice(colon + 1);
}

/**
 * `build:` with `image:` and `pull_policy: never` (or `build`): compose builds the image and names it, and never
 * pulls it, so the tag is a local name, not a moving reference to a registry.
 */
function isLocalBuild(svc: ServiceNode): boolean {
  const build = svc.layers.some((l) => l.data.build !== undefined);
  const policy = svc.layers.map((l) => l.data.pull_policy).find((p) => p !== undefined);
  return build && typeof policy === 'string' && ['never', 'build'].includes(withDefaults(policy) ?? '');
}

export const checkImageTags: ComposeCheck = (ctx) => {
  for (const svc of ctx.services) {
    const e = entry(svc.map, 'image');
    const raw = e ? scalarText(e.pair.value) : undefined;
    if (!e || raw === undefined) continue;
    // `${IMAGE:-app:1.2}` is judged by its default; a variable with no default could be anything.
    const ref = withDefaults(raw)?.trim();
    if (!ref || isLocalBuild(svc)) continue;
    const tag = imageTag(ref);
    if (tag === undefined) continue;
    const shown = raw === ref ? `"${ref}"` : `"${ref}" (the default of ${raw})`;
    if (tag === '') {
      ctx.report(NO_LATEST_TAG, entryValueSpan(e), `Service "${svc.name}" uses ${shown} with no tag, which means :latest: every pull may bring a different image. Pin a version, such as ${ref}:1.2.3.`, {
        data: { image: ref },
      });
    } else if (FLOATING_TAGS.has(tag.toLowerCase())) {
      ctx.report(NO_LATEST_TAG, entryValueSpan(e), `Service "${svc.name}" uses ${shown}: the :${tag} tag moves with every release, so two machines can run different code. Pin a version.`, {
        data: { image: ref },
      });
    }
  }
};
