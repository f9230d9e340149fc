import type { DockerfileFixContext } from '../context';
import { pinTagDockerfile } from '../pinTag';
import type { FixDefinition } from '../types';
import { aptAssumeYes, aptCleanLists, aptNoInstallRecommends } from './apt';
import { chainRunSafe, chainRunShellState } from './chainRun';
import { copyForAdd, copyForAddUnverified } from './copyForAdd';
import { execFormReview, execFormSafe } from './execForm';
import { addHealthcheck } from './healthcheck';
import { nonRootUser } from './nonRootUser';

/** Dockerfile fixes, safe ones and suggestions; the order is the order an editor lists them in. */
export const DOCKERFILE_FIXES: FixDefinition<DockerfileFixContext>[] = [
  chainRunSafe,
  chainRunShellState,
  aptAssumeYes,
  aptNoInstallRecommends,
  aptCleanLists,
  copyForAdd,
  copyForAddUnverified,
  execFormSafe,
  execFormReview,
  nonRootUser,
  addHealthcheck,
  pinTagDockerfile,
];
