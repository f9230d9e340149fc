/** BuildKit's checks on FROM lines and stage names. */
import { finding } from '../../../registry';
import type { DockerfileContext, DockerfileRule } from '../../context';
import { isValidImageRef, parseImageRef } from '../../imageRef';
import { INVALID_IMAGE_REFERENCE } from '../syntax';
import { PLATFORM_ARGS } from '../../model';
import { declare, expand, Scope, UNKNOWN } from '../../variables';
import { buildkitRule, suggest } from './meta';

export const STAGE_NAME_CASING = buildkitRule('StageNameCasing', 'warning', 'Stage names should be lowercase');
export const FROM_AS_CASING = buildkitRule('FromAsCasing', 'warning', "The 'as' keyword should match the case of the 'from' keyword");
export const DUPLICATE_STAGE_NAME = buildkitRule('DuplicateStageName', 'error', 'Stage names should be unique', ['DL3024']);
export const RESERVED_STAGE_NAME = buildkitRule('ReservedStageName', 'warning', 'Reserved words should not be used as stage names', ['DL3063']);
export const UNDEFINED_ARG_IN_FROM = buildkitRule('UndefinedArgInFrom', 'warning', 'FROM must use declared ARGs');
export const INVALID_DEFAULT_ARG_IN_FROM = buildkitRule('InvalidDefaultArgInFrom', 'warning', 'The default of a global ARG gives an empty or invalid base image name');
export const REDUNDANT_TARGET_PLATFORM = buildkitRule('RedundantTargetPlatform', 'warning', 'Setting --platform to $TARGETPLATFORM is redundant', ['DL3065']);
export const FROM_PLATFORM_CONST = buildkitRule('FromPlatformFlagConstDisallowed', 'warning', 'FROM --platform should not use a constant value', ['DL3029']);
export const INVALID_BASE_IMAGE_PLATFORM = buildkitRule('InvalidBaseImagePlatform', 'warning', 'The base image platform does not match the target platform');

const RESERVED = new Set(['context', 'scratch']);
const SAMPLE_PLATFORM: Record<string, string> = {
  TARGETPLATFORM: 'linux/amd64', TARGETOS: 'linux', TARGETARCH: 'amd64', TARGETVARIANT: '',
  BUILDPLATFORM: 'linux/amd64', BUILDOS: 'linux', BUILDARCH: 'amd64', BUILDVARIANT: '',
};
const KNOWN_OS = new Set(['linux', 'windows', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'solaris', 'illumos', 'aix', 'plan9', 'android', 'ios', 'wasip1', 'js']);
const KNOWN_ARCH = new Set(['amd64', 'arm64', 'arm', '386', 'ppc64le', 'ppc64', 's390x', 'riscv64', 'mips64le', 'mips64', 'mipsle', 'mips', 'loong64', 'wasm', 'x86_64', 'aarch64', 'armhf', 'armel', 'i386']);

/** What an optional host can tell about a local image (the daemon knows; a plain disk host does not). */
export interface ImagePlatformHost {
  imagePlatform(ref: string): { os: string; architecture: string } | undefined;
  targetPlatform?(): { os: string; architecture: string } | undefined;
}

export const stageChecks: DockerfileRule = {
  codes: [STAGE_NAME_CASING, FROM_AS_CASING, DUPLICATE_STAGE_NAME, RESERVED_STAGE_NAME, UNDEFINED_ARG_IN_FROM,
    INVALID_DEFAULT_ARG_IN_FROM, REDUNDANT_TARGET_PLATFORM, FROM_PLATFORM_CONST, INVALID_BASE_IMAGE_PLATFORM, INVALID_IMAGE_REFERENCE].map((m) => m.code),
  check(ctx, report) {
    const seen = new Map<string, number>();
    const defaultsScope = defaultsOnlyScope(ctx);
    const globalNames = ['TARGETPLATFORM', ...ctx.model.globalArgs.map((a) => a.key)];
    for (const st of ctx.stages) {
      const from = st.from;
      if (st.nameWord && st.asWord) {
        const raw = st.nameWord.raw;
        const nameRange = ctx.checkRange(from, st.nameWord);
        if (raw !== raw.toLowerCase()) {
          report(finding(STAGE_NAME_CASING, nameRange, `Stage name "${raw}" should be lowercase: stage names are matched without regard to case, and mixed case reads as if it mattered. Write "${raw.toLowerCase()}".`));
        }
        const kw = from.keywordRaw;
        const as = st.asWord.raw;
        if ((kw === kw.toLowerCase() && as !== as.toLowerCase()) || (kw === kw.toUpperCase() && as !== as.toUpperCase())) {
          report(finding(FROM_AS_CASING, ctx.checkRange(from, st.asWord), `"${as}" and "${kw}" are cased differently. Write "${kw === kw.toLowerCase() ? 'as' : 'AS'}" to match "${kw}", so the file reads consistently.`));
        }
        const name = st.name!;
        if (RESERVED.has(name)) {
          report(finding(RESERVED_STAGE_NAME, nameRange, `"${name}" is reserved (${name === 'scratch' ? 'the empty base image' : 'the build context'}), so naming a stage "${name}" makes later FROM/COPY --from references ambiguous. Pick another name.`));
        }
        const first = seen.get(name);
        if (first !== undefined) {
          report(finding(DUPLICATE_STAGE_NAME, nameRange, `The stage name "${name}" is already used on line ${first + 1}. Later references to "${name}" can only mean one of them; give each stage its own name.`));
        } else seen.set(name, from.line);
      }

      const image = st.imageWord;
      if (image && !image.raw.includes('$') && st.image && st.parent === undefined && st.image.toLowerCase() !== 'scratch' && !isValidRepository(st.image)) {
        // dockerfile-utils checks tags and digests; the repository name is checked here.
        report(finding(INVALID_IMAGE_REFERENCE, ctx.checkRange(from, image),
          `"${st.image}" is not a valid image name: Docker refuses repository names that are not lowercase letters, digits and the separators . _ - /, so the build fails here. Write the image as name[:tag], such as node:20-alpine.`));
      }
      if (image) {
        const ex = expand(image.raw, ctx.model.globalScope, ctx.escape);
        for (const u of ex.uses) {
          // A modifier BuildKit rejects (${templateOption:x}) is a syntax error, reported as such.
          if (u.hasDefault || !u.valid || !ex.undeclared.includes(u.name)) continue;
          const s = suggest(u.name, globalNames);
          report(finding(UNDEFINED_ARG_IN_FROM, ctx.checkRange(from, { start: image.start + u.start, end: image.start + u.end }),
            `FROM uses "${u.name}", which is not declared with an ARG before the first FROM${s ? ` (did you mean ${s}?)` : ''}. FROM can only see ARGs declared above it, so this expands to an empty string. Add "ARG ${s ?? u.name}=<default>" at the top of the file.`));
        }
        if (ex.uses.length && !ex.undeclared.length) {
          const d = expand(image.raw, defaultsScope, ctx.escape);
          if (!d.unknown && !isValidImageRef(d.value) && !ctx.model.stageByName(d.value, st.index)) {
            report(finding(INVALID_DEFAULT_ARG_IN_FROM, ctx.checkRange(from, image),
              `With the ARG defaults in this file, "${image.raw}" becomes "${d.value}", which is not a valid image name, so a build without --build-arg fails. Give the ARG a default that makes a full image reference.`));
          }
        }
      }

      const platform = st.platform;
      if (platform && platform.value !== null) {
        const v = platform.value;
        const pr = ctx.checkRange(from, platform.word);
        const ex = expand(v, ctx.model.globalScope, ctx.escape);
        if (ex.uses.length === 1 && ex.uses[0].name === 'TARGETPLATFORM' && /^\$(\{TARGETPLATFORM\}|TARGETPLATFORM)$/.test(v)) {
          report(finding(REDUNDANT_TARGET_PLATFORM, pr, `--platform=${v} is what FROM does anyway: stages are built for the target platform by default. Remove the flag.`));
        }
        for (const u of ex.uses) {
          if (u.hasDefault || !ex.undeclared.includes(u.name)) continue;
          report(finding(UNDEFINED_ARG_IN_FROM, ctx.checkRange(from, { start: platform.word.start + 2 + platform.name.length + 1 + u.start, end: platform.word.start + 2 + platform.name.length + 1 + u.end }),
            `--platform uses "${u.name}", which is not declared with an ARG before the first FROM, so it expands to an empty string. Declare it at the top of the file or use a predefined one such as BUILDPLATFORM.`));
        }
        if (!ex.uses.length) {
          const [os, arch] = platformParts(v);
          const name = st.name ?? '';
          if ((os || arch) && !(os && name.includes(os)) && !(arch && name.includes(arch))) {
            report(finding(FROM_PLATFORM_CONST, pr, `--platform=${v} pins this stage to one platform, so building for any other platform silently uses the wrong one. Use $BUILDPLATFORM for build tools or $TARGETPLATFORM (the default), or name the stage after the platform if pinning is intended.`));
          }
        }
      }

      const host = ctx.host as Partial<ImagePlatformHost>;
      if (image && typeof host.imagePlatform === 'function') {
        const ref = expand(image.raw, ctx.model.globalScope, ctx.escape).value;
        if (!ref.includes(UNKNOWN) && !ctx.model.stageByName(ref, st.index) && ref.toLowerCase() !== 'scratch') {
          const actual = host.imagePlatform(ref);
          let expected = host.targetPlatform?.();
          if (platform?.value && !platform.value.includes('$')) {
            const [os, arch] = platformParts(platform.value);
            if (os && arch) expected = { os, architecture: arch };
          }
          if (actual && expected && (actual.os !== expected.os || actual.architecture !== expected.architecture)) {
            report(finding(INVALID_BASE_IMAGE_PLATFORM, ctx.checkRange(from, image),
              `The local image ${parseImageRef(ref).repository} is ${actual.os}/${actual.architecture}, but this build targets ${expected.os}/${expected.architecture}: it will run under emulation or fail. Pull the image for the target platform or set --platform.`));
          }
        }
      }
    }
  },
};

function platformParts(v: string): [string, string] {
  const parts = v.toLowerCase().split('/');
  if (parts.length === 1) return KNOWN_OS.has(parts[0]) ? [parts[0], ''] : KNOWN_ARCH.has(parts[0]) ? ['', parts[0]] : ['', ''];
  return KNOWN_OS.has(parts[0]) ? [parts[0], parts[1]] : ['', ''];
}

/** Global ARGs with only their defaults (no default: empty), as BuildKit checks base names without build args. */
function defaultsOnlyScope(ctx: DockerfileContext): Scope | undefined {
  let s: Scope | undefined;
  for (const a of PLATFORM_ARGS) s = declare(s, a, SAMPLE_PLATFORM[a] ?? '', 'builtin');
  for (const a of ctx.model.globalArgs) {
    const v = a.value === null ? '' : expand(a.value, s, ctx.escape);
    s = declare(s, a.key, typeof v === 'string' ? v : v.unknown ? null : v.value, 'arg');
  }
  return s;
}

/** The repository part of a reference as Docker's grammar allows it (the tag and digest are dockerfile-utils' to check). */
function isValidRepository(image: string): boolean {
  const { repository } = parseImageRef(image);
  return isValidImageRef(repository);
}
