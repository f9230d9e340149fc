/** hadolint's package-manager and shell rules, and its other DL rules that Dockwise had no rule for. */
import type { DockerfileRule } from '../../context';
import { APT_RULES } from './apt';

export const PACKAGE_RULES: readonly DockerfileRule[] = [...APT_RULES];
