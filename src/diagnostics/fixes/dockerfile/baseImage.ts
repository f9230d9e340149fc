/**
 * What a fix may assume about the image a stage starts from. Only what the name proves: `FROM scratch` has nothing,
 * distroless and static images have no shell or user tools, Windows images have neither `groupadd` nor `/bin/sh`,
 * alpine and busybox have busybox's tools, and the official Debian/Ubuntu-based images have `useradd`. Anything else
 * is unknown, and fixes that need more than that offer nothing.
 */
import type { DockerfileContext } from '../../dockerfile/context';
import { parseImageRef } from '../../dockerfile/imageRef';
import type { Stage } from '../../dockerfile/model';
import type { Instruction } from '../../dockerfile/parse';

export type Family = 'scratch' | 'windows' | 'distroless' | 'alpine' | 'busybox' | 'debian' | 'unknown';

export interface BaseImage {
  /** The image as written after ARG expansion; undefined when a variable without a default is in it. */
  image?: string;
  family: Family;
  /** The official image's name (`node`, `python`) when it is one (`node`, `library/node`, `docker.io/library/node`). */
  official?: string;
}

/** The stage and the stages it is built FROM, nearest first. */
export function stageChain(df: DockerfileContext, stage: Stage): Stage[] {
  const out: Stage[] = [];
  const seen = new Set<number>();
  for (let st: Stage | undefined = stage; st && !seen.has(st.index); st = st.parent !== undefined ? df.stages[st.parent] : undefined) {
    seen.add(st.index);
    out.push(st);
  }
  return out;
}

/** The stage an instruction belongs to. */
export function stageOf(df: DockerfileContext, ins: Instruction): Stage | undefined {
  return ins.stage >= 0 ? df.stages[ins.stage] : undefined;
}

/** Official images whose default tags are Debian or Ubuntu, where `useradd` and `groupadd` are part of the base system. */
const DEBIAN_OFFICIAL = new Set([
  'debian', 'ubuntu', 'node', 'python', 'golang', 'ruby', 'php', 'perl', 'rust', 'openjdk', 'eclipse-temurin', 'maven',
  'gradle', 'httpd', 'nginx', 'postgres', 'redis', 'buildpack-deps', 'mariadb', 'elixir', 'erlang', 'haskell', 'julia',
  'r-base', 'swift', 'clojure', 'dart', 'gcc', 'pypy', 'sapmachine', 'ibm-semeru-runtimes', 'amazoncorretto',
]);
const DEBIAN_TAG = /(^|-)(bookworm|bullseye|buster|trixie|jammy|noble|focal|slim)(-|$)/;
const WINDOWS = /(^|[/-])(windows|nanoserver|servercore|windowsservercore)([/:-]|$)|ltsc20\d\d/;

export function baseOf(df: DockerfileContext, stage: Stage): BaseImage {
  const chain = stageChain(df, stage);
  const root = chain[chain.length - 1];
  if (!root.imageWord) return { family: 'unknown' };
  const expanded = df.model.expand(root.imageWord.raw, root.from);
  if (expanded.unknown) return { family: 'unknown' };
  return classify(expanded.value);
}

export function classify(image: string): BaseImage {
  const lower = image.toLowerCase();
  if (lower === 'scratch') return { image, family: 'scratch' };
  const ref = parseImageRef(lower);
  const tag = ref.tag ?? '';
  const official = /^(?:docker\.io\/)?(?:library\/)?([a-z0-9._-]+)$/.exec(ref.repository)?.[1];
  const base = { image, official };
  if (WINDOWS.test(ref.repository) || WINDOWS.test(tag)) return { ...base, family: 'windows' };
  if (/distroless|^cgr\.dev\/chainguard\//.test(ref.repository)) return { ...base, family: 'distroless' };
  if (official === 'alpine' || /(^|-)alpine/.test(tag)) return { ...base, family: 'alpine' };
  if (official === 'busybox') return { ...base, family: 'busybox' };
  if ((official && DEBIAN_OFFICIAL.has(official) && !/(^|-)(alpine|windows|nanoserver|servercore)/.test(tag)) || (official && DEBIAN_TAG.test(tag))) {
    return { ...base, family: 'debian' };
  }
  return { ...base, family: 'unknown' };
}

/** The last instruction with this keyword in the stage or the stages it is built on (what the image inherits). */
export function inherited(df: DockerfileContext, stage: Stage, keyword: string): Instruction | undefined {
  for (const st of stageChain(df, stage)) {
    for (let k = st.instructions.length - 1; k >= 0; k--) if (st.instructions[k].keyword === keyword) return st.instructions[k];
  }
  return undefined;
}
