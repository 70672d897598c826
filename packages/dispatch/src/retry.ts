import { LeaseLostError } from '@recon/core';
import type { Clock } from '@recon/core';

/** Short backoff for storage writes an owner must get through (renew, complete, requeue). */
export const storageRetry = Object.freeze({ baseMs: 200, capMs: 5000 });

export interface RetryOptions {
  clock: Clock;
  /**
   * Unix ms after which retrying is pointless: the lease has expired and the key is someone
   * else's to sweep. Read before each retry because a renew moves it.
   */
  until: () => number;
  /** Aborts the retries (a crash stop); the last error is thrown. */
  signal?: AbortSignal;
  /** Told about each transient failure that will be retried. */
  onRetry?: (error: unknown, retry: number) => void;
}

/**
 * Runs `op` until it succeeds, retrying anything but LeaseLostError with short exponential
 * backoff while the lease still holds. LeaseLostError is definite (the copy changed or vanished)
 * and is rethrown at once; every other error might be a blip, and giving up early would turn a
 * finished reconcile into an orphan that is re-run only after the lease expires.
 */
export async function retryTransient<T>(op: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { clock, until, signal } = options;
  for (let retry = 0; ; retry++) {
    try {
      return await op();
    } catch (error) {
      if (LeaseLostError.is(error) || signal?.aborted) throw error;
      const delay = Math.min(storageRetry.baseMs * 2 ** retry, storageRetry.capMs);
      if (clock.now() + delay >= until()) throw error;
      options.onRetry?.(error, retry + 1);
      await clock.sleep(delay, signal);
      if (signal?.aborted) throw error;
    }
  }
}
