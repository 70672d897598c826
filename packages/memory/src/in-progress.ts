import type { QueuedEntry } from './queue-index.ts';

/** The copy one owner created by `start`; its identity is the fence for every later write. */
export interface InProgressEntry {
  readonly key: string;
  readonly priority: number;
  /** Including this attempt. */
  readonly attempts: number;
  /** The queued copy's FIFO time. */
  readonly queuedAt: number;
  readonly firstQueuedAt: number;
  readonly lastError: string | undefined;
  readonly lastAttemptedAt: number | undefined;
  readonly owner: string;
  readonly startedAt: number;
  leaseExpiresAt: number;
  /** Set once this copy stops being the key's in-progress copy: why the owner's signal aborts. */
  endReason: unknown;
  /** Created on the first look at the owner's signal (see `ownerSignal`). */
  controller: AbortController | undefined;
  /** The queued twin enqueued meanwhile, parked until this attempt ends. */
  twin: QueuedEntry | undefined;
}

/**
 * The owner's AbortSignal, created on first use: an AbortController and its abort event cost
 * more than the rest of an attempt, and many owners (a benchmark, a test) never look.
 */
export function ownerSignal(owned: InProgressEntry): AbortSignal {
  if (!owned.controller) {
    owned.controller = new AbortController();
    if (owned.endReason !== undefined) owned.controller.abort(owned.endReason);
  }
  return owned.controller.signal;
}

export function endOwnership(owned: InProgressEntry, reason: unknown): void {
  owned.endReason = reason;
  owned.controller?.abort(reason);
}

/**
 * Why an owner's signal aborts when its attempt ends normally (complete, requeue, dead-letter).
 * One shared instance: building an AbortError per attempt would cost more than the whole attempt.
 */
export const attemptEnded = new DOMException(
  'the attempt ended; the key is no longer owned',
  'AbortError',
);
