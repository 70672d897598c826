/**
 * The one place a reconciler's result (returned or thrown) becomes a core `Outcome`. Both runtimes
 * and the test kit go through here, so they cannot disagree about what a result means.
 */
import type { FollowUpKey, Outcome } from '@recon/core';
import { delayToMs } from './delay.ts';
import { NonRetriableError, RequeueAfter } from './errors.ts';
import { type FollowUp, isResultValue, messageOf } from './outcomes.ts';

export interface ToOutcomeOptions {
  /** The value was thrown (or a promise rejected with it): only branded outcomes escape `error`. */
  thrown?: boolean;
  /** Jitter source for `requeueAfter(d, { jitter })`. Default Math.random. */
  random?: () => number;
}

export function toOutcome(value: unknown, options: ToOutcomeOptions = {}): Outcome {
  const random = options.random ?? Math.random;
  if (NonRetriableError.is(value)) {
    const message = value.message || value.reason || 'non-retriable';
    return {
      kind: 'non-retriable',
      message:
        value.reason && value.reason !== value.message ? `${value.reason}: ${message}` : message,
    };
  }
  if (RequeueAfter.is(value)) {
    let delayMs: number;
    try {
      delayMs = delayToMs(value.delay);
    } catch (err) {
      return { kind: 'error', message: messageOf(err) };
    }
    return requeue(delayMs, value.floor, Math.max(0, value.jitter || 0), random);
  }
  if (isResultValue(value)) {
    switch (value.kind) {
      case 'done':
        return { kind: 'success' };
      case 'requeue-after':
        return requeue(value.delayMs, value.floor, value.jitter, random);
      case 'queue-keys':
        return success(value.keys);
    }
  }
  if (options.thrown) {
    return {
      kind: 'error',
      message: value === undefined ? 'reconciler threw undefined' : messageOf(value),
    };
  }
  if (value === undefined || value === null) return { kind: 'success' };
  return {
    kind: 'error',
    message: `reconciler returned an unrecognised value: ${messageOf(value)}`,
  };
}

function requeue(delayMs: number, floor: boolean, jitter: number, random: () => number): Outcome {
  const jittered = jitter > 0 ? delayMs + Math.floor(random() * jitter * delayMs) : delayMs;
  return { kind: 'requeue-after', delayMs: jittered, floor };
}

function success(keys: readonly FollowUp[]): Outcome {
  if (keys.length === 0) return { kind: 'success' };
  const followUps: FollowUpKey[] = keys.map((k) => ({
    key: k.key,
    priority: k.priority,
    delayMs: k.delayMs,
  }));
  return { kind: 'success', followUps };
}
