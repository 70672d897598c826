import { backoffDelayMs } from './backoff.ts';
import { truncateError } from './key-state.ts';
import type { WorkqueueOptions } from './options.ts';

/** A follow-up key a reconcile asks to enqueue before its own key completes. */
export interface FollowUpKey {
  key: string;
  priority?: number;
  delayMs?: number;
}

/** What one attempt of a reconcile came to, whatever runtime produced it. */
export type Outcome =
  | { kind: 'success'; followUps?: FollowUpKey[] }
  | { kind: 'requeue-after'; delayMs: number; floor: boolean }
  | { kind: 'non-retriable'; message: string }
  | { kind: 'error'; message: string }
  /** The dispatcher is shutting down: give the key back at once without spending an attempt. */
  | { kind: 'shutdown' };

/** What to store about the attempts counter on a requeue. */
export type AttemptsOnRequeue = 'keep' | 'reset' | 'uncount';

/** Outcome label, as counted in `workqueue_outcomes_total{outcome}`. */
export type ActionLabel =
  'success' | 'requeued' | 'retried' | 'dropped' | 'dead_lettered' | 'drained';

export type Action =
  | { kind: 'complete'; label: 'success' | 'dropped'; followUps: FollowUpKey[]; reason?: string }
  | {
      kind: 'requeue';
      label: 'requeued' | 'retried' | 'drained';
      delayMs: number;
      floor: boolean;
      attempts: AttemptsOnRequeue;
      lastError?: string;
    }
  | { kind: 'dead-letter'; label: 'dead_lettered'; lastError: string };

export interface DecideContext {
  /** Attempts including the one that just ended (1-based). */
  attempts: number;
  options: Pick<WorkqueueOptions, 'maxRetry' | 'backoffBaseMs' | 'backoffCapMs' | 'floorClampMs'>;
  random?: () => number;
}

/**
 * The outcome table of spec 01, in one pure function:
 * success → complete (follow-ups first); requeue-after → requeue, attempts reset (polling never
 * dead-letters), floors clamped; a failure at maxRetry → dead-letter (checked first);
 * non-retriable → complete as dropped; any other error → requeue with backoff, attempts kept;
 * shutdown → requeue at once, the attempt not counted.
 */
export function decideAction(outcome: Outcome, ctx: DecideContext): Action {
  const { options } = ctx;
  switch (outcome.kind) {
    case 'success':
      return { kind: 'complete', label: 'success', followUps: outcome.followUps ?? [] };
    case 'requeue-after': {
      const delayMs = outcome.floor
        ? Math.min(Math.max(0, outcome.delayMs), options.floorClampMs)
        : Math.max(0, outcome.delayMs);
      return {
        kind: 'requeue',
        label: 'requeued',
        delayMs,
        floor: outcome.floor,
        attempts: 'reset',
      };
    }
    case 'shutdown':
      return { kind: 'requeue', label: 'drained', delayMs: 0, floor: false, attempts: 'uncount' };
    case 'non-retriable':
    case 'error': {
      const lastError = truncateError(outcome.message || outcome.kind);
      if (options.maxRetry > 0 && ctx.attempts >= options.maxRetry) {
        return { kind: 'dead-letter', label: 'dead_lettered', lastError };
      }
      if (outcome.kind === 'non-retriable') {
        return { kind: 'complete', label: 'dropped', followUps: [], reason: lastError };
      }
      const delayMs = backoffDelayMs(
        ctx.attempts,
        { baseMs: options.backoffBaseMs, capMs: options.backoffCapMs },
        ctx.random,
      );
      return {
        kind: 'requeue',
        label: 'retried',
        delayMs,
        floor: false,
        attempts: 'keep',
        lastError,
      };
    }
  }
}
