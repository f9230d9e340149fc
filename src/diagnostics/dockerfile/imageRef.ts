/** An image reference split as Docker splits it: `host:5000/team/app:1.2@sha256:…`. */
export interface ImageRef {
  /** Repository with registry, without tag or digest. */
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * The tag is after the last `:` that follows the last `/`, so a registry port (`host:5000/app`) is not a tag.
 */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repository: rest, digest };
}

/** Loose check of Docker's reference grammar, enough to tell an empty or broken name from a real one. */
export function isValidImageRef(ref: string): boolean {
  if (!ref) return false;
  const r = parseImageRef(ref);
  if (!r.repository || r.repository.startsWith('/') || r.repository.endsWith('/') || r.repository.includes('//')) return false;
  const path = r.repository.split('/');
  const host = path.length > 1 && /[.:]|^localhost$/.test(path[0]) ? path.shift()! : undefined;
  if (host !== undefined && !/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(host)) return false;
  if (!path.every((c) => /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(c))) return false;
  if (r.tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(r.tag)) return false;
  if (r.digest !== undefined && !/^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/.test(r.digest)) return false;
  return true;
}
