import * as assert from 'node:assert/strict';
import { isBuildkitCheck } from '../../../../src/diagnostics/dockerfile/rules/buildkit/meta';
import { lintText } from '../helpers';
import { BUILDKIT_CHECK_CASES, BuildkitCheckCase } from './cases';

/**
 * Cases a static linter cannot reproduce, and why (docs/buildkit-checks.md lists them too). Keyed by `source`.
 */
export const NEEDS_A_BUILD: Record<string, string> = {
  'dockerfile_check_test.go:484':
    'the build argument BUILDKIT_DOCKERFILE_CHECK replaces the file\'s "# check=skip=all" at build time; a linter sees only the file',
  'dockerfile_check_test.go:507':
    'the build argument BUILDKIT_DOCKERFILE_CHECK=skip=all silences every check at build time; a linter sees only the file',
  'dockerfile_check_test.go:1943':
    'InvalidBaseImagePlatform compares the platform of an image the test pushes to a registry; Dockwise makes this check only when the local daemon has the image (tested with a daemon answer in buildkit.test.ts)',
};

/**
 * Where the expected lines of BuildKit's test are not what `docker build --check` reports. The lint subrequest's
 * test (checkUnmarshal) compares rule names and details but not lines, so a wrong line there goes unnoticed.
 */
export const LINE_CORRECTIONS: Record<string, { expected: [string, number][]; why: string }> = {
  'dockerfile_check_test.go:1321': {
    expected: [['LegacyKeyValueFormat', 5], ['LegacyKeyValueFormat', 6]],
    why: 'the UnmarshalWarnings say lines 3 and 4, copied from the case above; the ENV and LABEL are on lines 5 and 6, and checkUnmarshal does not compare lines',
  },
};

const key = ([check, line]: [string, number]) => `${check}:${line}`;

/** BuildKit check findings of a case, as sorted `Check:line`. */
export function buildkitFindings(c: BuildkitCheckCase): string[] {
  const files: Record<string, string> = c.dockerignore !== undefined ? { '/project/.dockerignore': c.dockerignore } : {};
  const findings = lintText(c.dockerfile, { files });
  return findings
    .map((f) => {
      const check = [f.code, ...f.aliases].find(isBuildkitCheck);
      return check ? `${check}:${f.range.start.line + 1}` : undefined;
    })
    .filter((x): x is string => !!x)
    .sort();
}

export const expectedOf = (c: BuildkitCheckCase): string[] => (LINE_CORRECTIONS[c.source]?.expected ?? c.expected).map(key).sort();

describe("BuildKit's own check tests (dockerfile_check_test.go), rule and line", () => {
  it('holds every call of the test file', () => {
    assert.ok(BUILDKIT_CHECK_CASES.length >= 88, `${BUILDKIT_CHECK_CASES.length} cases`);
    for (const s of [...Object.keys(NEEDS_A_BUILD), ...Object.keys(LINE_CORRECTIONS)]) {
      assert.ok(BUILDKIT_CHECK_CASES.some((c) => c.source === s), s);
    }
  });

  for (const c of BUILDKIT_CHECK_CASES) {
    if (NEEDS_A_BUILD[c.source]) continue;
    it(`${c.name} (${c.source}): ${c.expected.length ? c.expected.map(key).join(', ') : 'no warning'}`, () => {
      assert.deepEqual(buildkitFindings(c), expectedOf(c), c.dockerfile);
    });
  }
});
