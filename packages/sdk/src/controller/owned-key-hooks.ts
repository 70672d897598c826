/**
 * The controller's seam into the dispatch loop's writes. The loop applies the spec-01 outcome
 * table through the OwnedKey it got from `start()`; the controller hands it a decorated one that
 *
 * - re-times failure requeues (attempts `keep`) with the key's own retry policy (per source),
 *   and dead-letters instead once that policy's max attempts are spent (the loop itself runs
 *   with maxRetry 0, so this is the only dead-letter decision);
 * - reports each write after it happened, so outcome hooks fire only for what is stored.
 */
import type { DispatchPort, EnqueuePort, OwnedKey, RequeueOptions } from '@recon/core';

export type OwnedWrite =
  | { kind: 'complete' }
  | { kind: 'requeue'; options: RequeueOptions }
  | { kind: 'dead-letter'; lastError: string };

export interface FailureDecision {
  /** Dead-letter instead of requeueing. */
  deadLetter: boolean;
  /** The policy's backoff delay (when requeueing). */
  delayMs: number;
}

export interface OwnedKeyHooks {
  /** Called for a failure requeue before it is written. */
  decideFailure(owned: OwnedKey): FailureDecision;
  /** Called after a write succeeded. */
  written(owned: OwnedKey, write: OwnedWrite): void;
}

export function decorateOwned(owned: OwnedKey, hooks: OwnedKeyHooks): OwnedKey {
  const decorated: OwnedKey = {
    get key() {
      return owned.key;
    },
    get priority() {
      return owned.priority;
    },
    get attempts() {
      return owned.attempts;
    },
    get queuedAt() {
      return owned.queuedAt;
    },
    get firstQueuedAt() {
      return owned.firstQueuedAt;
    },
    get owner() {
      return owned.owner;
    },
    get leaseExpiresAt() {
      return owned.leaseExpiresAt;
    },
    get signal() {
      return owned.signal;
    },
    renew: (signal) => owned.renew(signal),
    async complete(signal) {
      await owned.complete(signal);
      hooks.written(decorated, { kind: 'complete' });
    },
    async requeue(options, signal) {
      if (options.attempts === 'keep') {
        const decision = hooks.decideFailure(decorated);
        if (decision.deadLetter) {
          const lastError = options.lastError ?? 'failed';
          await owned.deadLetter(lastError, signal);
          hooks.written(decorated, { kind: 'dead-letter', lastError });
          return;
        }
        options = { ...options, delayMs: decision.delayMs };
      }
      await owned.requeue(options, signal);
      hooks.written(decorated, { kind: 'requeue', options });
    },
    async deadLetter(lastError, signal) {
      await owned.deadLetter(lastError, signal);
      hooks.written(decorated, { kind: 'dead-letter', lastError });
    },
  };
  return decorated;
}

/** The queue as the dispatch loop sees it: every started key comes back decorated. */
export function decoratingQueue(
  queue: DispatchPort & EnqueuePort,
  hooks: OwnedKeyHooks,
): DispatchPort & EnqueuePort {
  return {
    enqueue: (request, signal) => queue.enqueue(request, signal),
    getKeyState: (key, signal) => queue.getKeyState(key, signal),
    listEligible: (limit, signal) => queue.listEligible(limit, signal),
    sweepOrphans: (signal) => queue.sweepOrphans(signal),
    async start(key, owner, signal) {
      const owned = await queue.start(key, owner, signal);
      return owned && decorateOwned(owned, hooks);
    },
  };
}
