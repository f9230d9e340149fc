import type { ComposeFixContext } from '../context';
import { pinTagCompose } from '../pinTag';
import type { FixDefinition } from '../types';
import { secretToDotenv } from './secrets';
import { addComposeHealthcheck, addRestartPolicy, bindToLoopback, removeVersion, waitForHealthy } from './services';

/** Compose fixes, safe ones and suggestions; the order is the order an editor lists them in. */
export const COMPOSE_FIXES: FixDefinition<ComposeFixContext>[] = [
  removeVersion,
  bindToLoopback,
  addRestartPolicy,
  secretToDotenv,
  addComposeHealthcheck,
  waitForHealthy,
  pinTagCompose,
];
