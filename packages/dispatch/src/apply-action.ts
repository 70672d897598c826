import { LeaseLostError } from '@recon/core';
import type { Action, Clock, EnqueuePort, FollowUpKey, Outcome, OwnedKey } from '@recon/core';
import { errorMessage } from './error-message.ts';
import { retryTransient } from './retry.ts';

export interface ApplyOptions {
  owned: OwnedKey;
  action: Action;
  queue: EnqueuePort;
  clock: Clock;
  /** Turns a failed follow-up enqueue into the action for a failed attempt. */
  decide: (outcome: Outcome) => Action;
  /** Aborted by a crash stop: give up without another write. */
  signal: AbortSignal;
  onRetry: (error: unknown) => void;
}

export type ApplyResult =
  /** `action` was written; it differs from the one asked for when a follow-up enqueue failed. */
  | { kind: 'applied'; action: Action; error?: string }
  /** The key is no longer ours; nothing was written. */
  | { kind: 'lease-lost' }
  /** Storage kept failing until the lease ran out: the key will come back as an orphan. */
  | { kind: 'failed'; error: unknown };

/**
 * Writes an attempt's action through the owned key (every write is fenced to our lease).
 *
 * Follow-ups are enqueued BEFORE completing, so a crash in between re-runs the key rather than
 * losing the follow-ups; if any enqueue fails the attempt counts as failed and the key is retried
 * with backoff (the reconcile emits its follow-ups again: they are level-based). Transient write
 * errors are retried until the lease would expire; LeaseLostError stops at once.
 */
export async function applyAction(options: ApplyOptions): Promise<ApplyResult> {
  const { owned, clock, signal } = options;
  let action = options.action;
  let error: string | undefined;
  if (action.kind === 'complete' && action.followUps.length > 0) {
    const failure = await enqueueFollowUps(options.queue, action.followUps, signal);
    if (failure !== undefined) {
      error = failure;
      action = options.decide({ kind: 'error', message: failure });
    }
  }
  const write = writerFor(owned, action, signal);
  try {
    await retryTransient(write, {
      clock,
      until: () => owned.leaseExpiresAt,
      signal,
      onRetry: options.onRetry,
    });
  } catch (err) {
    if (LeaseLostError.is(err)) return { kind: 'lease-lost' };
    return { kind: 'failed', error: err };
  }
  return error === undefined ? { kind: 'applied', action } : { kind: 'applied', action, error };
}

/** Enqueues every follow-up; resolves a message describing the first failure, if any. */
async function enqueueFollowUps(
  queue: EnqueuePort,
  followUps: readonly FollowUpKey[],
  signal: AbortSignal,
): Promise<string | undefined> {
  const results = await Promise.allSettled(
    followUps.map((f) => {
      const request: Parameters<EnqueuePort['enqueue']>[0] = { key: f.key };
      if (f.priority !== undefined) request.priority = f.priority;
      if (f.delayMs !== undefined) request.delayMs = f.delayMs;
      return queue.enqueue(request, signal);
    }),
  );
  const failed = results.findIndex((r) => r.status === 'rejected');
  if (failed < 0) return undefined;
  const result = results[failed] as PromiseRejectedResult;
  const count = results.filter((r) => r.status === 'rejected').length;
  return (
    `follow-up enqueue failed (${count} of ${followUps.length}): ` +
    `${JSON.stringify(followUps[failed]?.key)}: ${errorMessage(result.reason)}`
  );
}

function writerFor(owned: OwnedKey, action: Action, signal: AbortSignal): () => Promise<void> {
  switch (action.kind) {
    case 'complete':
      return () => owned.complete(signal);
    case 'dead-letter':
      return () => owned.deadLetter(action.lastError, signal);
    case 'requeue': {
      const requeue: Parameters<OwnedKey['requeue']>[0] = {
        delayMs: action.delayMs,
        floor: action.floor,
        attempts: action.attempts,
      };
      if (action.lastError !== undefined) requeue.lastError = action.lastError;
      return () => owned.requeue(requeue, signal);
    }
  }
}
