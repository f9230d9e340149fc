import type { DockerfileRule } from '../context';
import { copyIgnoredFile } from './buildkit/copyIgnoredFile';
import { instructionChecks } from './buildkit/instructions';
import { stageChecks } from './buildkit/stages';
import { variableChecks } from './buildkit/variables';
import { chainRun } from './chainRun';
import { noLatestTag } from './noLatestTag';
import { noRootUser } from './noRootUser';
import { PACKAGE_RULES } from './packages';
import { requireHealthcheck } from './requireHealthcheck';
import { syntaxChecks } from './syntax';

/** Syntax (dockerfile-utils), the course rules and BuildKit's checks: they share the scan and the stage model only. */
export const CORE_DOCKERFILE_RULES: readonly DockerfileRule[] = [
  syntaxChecks,
  noLatestTag,
  noRootUser,
  chainRun,
  requireHealthcheck,
  stageChecks,
  instructionChecks,
  variableChecks,
  copyIgnoredFile,
];

/** Every Dockerfile rule, in the order they run. */
export const DOCKERFILE_RULES: readonly DockerfileRule[] = [...CORE_DOCKERFILE_RULES, ...PACKAGE_RULES];
