import type { DockerfileRule } from '../context';
import { noLatestTag } from './noLatestTag';

/** Every Dockerfile rule, in the order they run. */
export const DOCKERFILE_RULES: readonly DockerfileRule[] = [noLatestTag];
