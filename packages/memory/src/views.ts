import { KeyStatus } from '@recon/core';
import type { KeyStateView, QueuedKey } from '@recon/core';
import type { InProgressEntry } from './in-progress.ts';
import type { QueuedEntry } from './queue-index.ts';

/** A dead-lettered copy: what the key was when it ran out of attempts. */
export interface DeadLetterEntry {
  readonly key: string;
  readonly priority: number;
  readonly attempts: number;
  readonly firstQueuedAt: number;
  readonly failedAt: number;
  readonly lastError: string;
}

/** A snapshot of the copy for a listing (on the dispatch hot path: no spreads). */
export function toQueuedKey(entry: QueuedEntry): QueuedKey {
  const listed: QueuedKey = {
    key: entry.key,
    version: entry.version,
    priority: entry.priority,
    queuedAt: entry.queuedAt,
    firstQueuedAt: entry.firstQueuedAt,
    notBefore: entry.notBefore,
    floor: entry.floor,
    attempts: entry.attempts,
  };
  if (entry.lastError !== undefined) listed.lastError = entry.lastError;
  if (entry.lastAttemptedAt !== undefined) listed.lastAttemptedAt = entry.lastAttemptedAt;
  return listed;
}

export function queuedView(entry: QueuedEntry): KeyStateView {
  return {
    key: entry.key,
    status: KeyStatus.QUEUED,
    priority: entry.priority,
    attempts: entry.attempts,
    queuedAt: entry.queuedAt,
    notBefore: entry.notBefore,
    floor: entry.floor,
    firstQueuedAt: entry.firstQueuedAt,
    ...(entry.lastError !== undefined && { lastError: entry.lastError }),
    ...(entry.lastAttemptedAt !== undefined && { lastAttemptedAt: entry.lastAttemptedAt }),
  };
}

export function inProgressView(owned: InProgressEntry): KeyStateView {
  return {
    key: owned.key,
    status: KeyStatus.IN_PROGRESS,
    priority: owned.priority,
    attempts: owned.attempts,
    queuedAt: owned.startedAt,
    notBefore: 0,
    floor: false,
    firstQueuedAt: owned.firstQueuedAt,
    ...(owned.lastError !== undefined && { lastError: owned.lastError }),
    ...(owned.lastAttemptedAt !== undefined && { lastAttemptedAt: owned.lastAttemptedAt }),
    leaseExpiresAt: owned.leaseExpiresAt,
    owner: owned.owner,
  };
}

export function deadLetterView(dead: DeadLetterEntry): KeyStateView {
  return {
    key: dead.key,
    status: KeyStatus.DEAD_LETTER,
    priority: dead.priority,
    attempts: dead.attempts,
    queuedAt: dead.failedAt,
    notBefore: 0,
    floor: false,
    firstQueuedAt: dead.firstQueuedAt,
    lastError: dead.lastError,
    failedAt: dead.failedAt,
  };
}
