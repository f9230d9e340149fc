/**
 * "Create the sample" opens the sample in a new window; the learner should land on the step they were on. The step
 * and the folder are kept in global storage before the window opens, and the window that opens that folder shows the
 * step and forgets it. No `vscode` import.
 */
import * as path from 'node:path';
import { findStep } from './course';

export const PENDING_STEP_KEY = 'dockwise.course.pendingStep';
/** A pending step older than this is forgotten: the learner has moved on. */
export const PENDING_TTL_MS = 30 * 60_000;

export interface PendingStep {
  step: string;
  folder: string;
  /** ms */
  at: number;
}

/** The pending step to show in a window with these folders, if any. */
export function pendingStepFor(raw: unknown, folders: readonly string[], now: number): PendingStep | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const p = raw as Partial<PendingStep>;
  if (typeof p.step !== 'string' || typeof p.folder !== 'string' || typeof p.at !== 'number') return undefined;
  if (!findStep(p.step) || now - p.at > PENDING_TTL_MS || p.at > now + 60_000) return undefined;
  const want = normalize(p.folder);
  return folders.some((f) => normalize(f) === want) ? { step: p.step, folder: p.folder, at: p.at } : undefined;
}

const normalize = (p: string) => path.resolve(p).replace(/[\\/]+$/, '');
