import type { QueuedState } from './key-state.ts';

/** What an enqueue (or a requeue into an existing queued copy) brings. */
export interface IncomingState {
  priority: number;
  /** 0 = no constraint. */
  notBefore: number;
  floor: boolean;
  attempts?: number;
  firstQueuedAt?: number;
  lastError?: string;
  lastAttemptedAt?: number;
}

export interface MergeResult {
  state: QueuedState;
  /** False when the merge changes nothing, so storage can skip the write. */
  changed: boolean;
}

/**
 * Merges an incoming enqueue into an existing queued copy: never a duplicate.
 * - priority: the maximum wins;
 * - notBefore by floor flags: plain+plain → earliest; plain+floor → the floor replaces it;
 *   floor+floor → the later; floor+plain → unchanged;
 * - the original queuedAt (FIFO position) and the earliest firstQueuedAt are kept;
 * - attempts: the larger survives, so a hot failing key cannot dodge the dead-letter queue.
 */
export function mergeQueued(existing: QueuedState, incoming: IncomingState): MergeResult {
  let notBefore = existing.notBefore;
  let floor = existing.floor;
  if (!existing.floor && !incoming.floor) {
    notBefore = Math.min(existing.notBefore, incoming.notBefore);
  } else if (!existing.floor && incoming.floor) {
    notBefore = incoming.notBefore;
    floor = true;
  } else if (existing.floor && incoming.floor) {
    notBefore = Math.max(existing.notBefore, incoming.notBefore);
  }
  const state: QueuedState = {
    priority: Math.max(existing.priority, incoming.priority),
    queuedAt: existing.queuedAt,
    firstQueuedAt: Math.min(
      existing.firstQueuedAt,
      incoming.firstQueuedAt ?? existing.firstQueuedAt,
    ),
    notBefore,
    floor,
    attempts: Math.max(existing.attempts, incoming.attempts ?? 0),
  };
  const lastError = incoming.lastError ?? existing.lastError;
  if (lastError !== undefined) state.lastError = lastError;
  const lastAttemptedAt = incoming.lastAttemptedAt ?? existing.lastAttemptedAt;
  if (lastAttemptedAt !== undefined) state.lastAttemptedAt = lastAttemptedAt;
  const changed =
    state.priority !== existing.priority ||
    state.notBefore !== existing.notBefore ||
    state.floor !== existing.floor ||
    state.attempts !== existing.attempts ||
    state.firstQueuedAt !== existing.firstQueuedAt ||
    state.lastError !== existing.lastError ||
    state.lastAttemptedAt !== existing.lastAttemptedAt;
  return { state, changed };
}

/** The queued state a brand-new key gets. */
export function newQueuedState(incoming: IncomingState, now: number): QueuedState {
  const state: QueuedState = {
    priority: incoming.priority,
    queuedAt: now,
    firstQueuedAt: incoming.firstQueuedAt ?? now,
    notBefore: incoming.notBefore,
    floor: incoming.floor && incoming.notBefore > 0,
    attempts: incoming.attempts ?? 0,
  };
  if (incoming.lastError !== undefined) state.lastError = incoming.lastError;
  if (incoming.lastAttemptedAt !== undefined) state.lastAttemptedAt = incoming.lastAttemptedAt;
  return state;
}
