/** hadolint's package-manager and shell rules, and its other DL rules that Dockwise had no rule for. */
import type { DockerfileRule } from '../../context';
import { APK_RULES } from './apk';
import { APT_RULES } from './apt';
import { INSTRUCTION_RULES } from './instructions';
import { LABEL_RULES } from './labels';
import { LANGUAGE_RULES } from './languages';
import { NODE_RULES } from './node';
import { PIP_RULES } from './pip';
import { RPM_RULES } from './rpm';
import { SHELL_HABIT_RULES } from './shellHabits';

export const PACKAGE_RULES: readonly DockerfileRule[] = [...APT_RULES, ...APK_RULES, ...PIP_RULES, ...NODE_RULES, ...LANGUAGE_RULES, ...RPM_RULES, ...SHELL_HABIT_RULES, ...INSTRUCTION_RULES, ...LABEL_RULES];
