/**
 * Bounded retries of transient storage failures (429, 408, 5xx, dropped connections), with
 * jittered exponential backoff.
 *
 * A transient failure leaves the outcome unknown: the request may have been applied and only the
 * answer lost. Every call site is written for that (and for the storage client's own automatic
 * retries of conditional requests, which hide the same ambiguity): creates and copies are
 * conditional on the object not existing and are recognised on a 412 by their content or attempt
 * token, merges compare before they patch, deletes are pinned to a generation and read 404 as done
 * where only the caller could have deleted it.
 */
import { UnavailableError } from '@recon/core';
import type { Clock } from '@recon/core';
import { classifyFailure } from './gcs-errors.ts';

export interface RetryPolicy {
  /** Tries per storage call, the first one included. Default 6. */
  maxAttempts: number;
  /** Backoff before the second try; doubles per try. Default 100 ms. */
  baseDelayMs: number;
  /** Backoff cap (before jitter). Default 5 s. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 100,
  maxDelayMs: 5000,
});

export interface Retrier {
  policy: RetryPolicy;
  /** Paces the backoff. Real time, even when the queue's clock is fake: this waits on the network. */
  clock: Clock;
  random: () => number;
}

/** The backoff before try `attempt + 1`: half the exponential delay plus up to half again, random. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return exp / 2 + random() * (exp / 2);
}

/**
 * Runs `op`, retrying transient failures up to the policy's bound; other failures (404, 412,
 * 4xx) are returned to the caller at once. Exhausted retries throw UnavailableError with the last
 * failure as cause. An aborted `signal` stops between tries with the signal's reason.
 */
export async function withRetry<T>(
  retrier: Retrier,
  what: string,
  op: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const { policy, clock, random } = retrier;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await op();
    } catch (err) {
      if (classifyFailure(err) !== 'transient') throw err;
      if (attempt >= policy.maxAttempts) {
        throw new UnavailableError(`${what}: storage unavailable after ${attempt} tries`, {
          cause: err,
        });
      }
    }
    await clock.sleep(retryDelayMs(attempt, policy, random), signal);
  }
}
