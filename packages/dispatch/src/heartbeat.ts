import { LeaseLostError } from '@recon/core';
import type { Clock, OwnedKey } from '@recon/core';
import { retryTransient } from './retry.ts';

export interface HeartbeatOptions {
  owned: OwnedKey;
  clock: Clock;
  intervalMs: number;
  /** Stops the heartbeat (the attempt ended). */
  signal: AbortSignal;
  /** The lease is gone: LeaseLostError, or renewals kept failing until it expired. */
  onLost: (error: unknown) => void;
  /** A transient renewal failure that will be retried. */
  onRetry: (error: unknown) => void;
}

/**
 * Renews the lease every `intervalMs` while an attempt runs. Transient errors are retried with
 * short backoff until the lease would expire (the lease is 3× the interval by default, so a long
 * storage blip costs nothing). A definite loss, or a lease that ran out, ends the heartbeat and
 * calls `onLost`, which aborts the attempt: another dispatcher may already be running the key.
 * Resolves when stopped or lost; never rejects.
 */
export async function runHeartbeat(options: HeartbeatOptions): Promise<void> {
  const { owned, clock, intervalMs, signal } = options;
  while (!signal.aborted) {
    await clock.sleep(intervalMs, signal);
    if (signal.aborted || owned.signal.aborted) return;
    try {
      await retryTransient(() => owned.renew(signal), {
        clock,
        until: () => owned.leaseExpiresAt,
        signal,
        onRetry: options.onRetry,
      });
    } catch (error) {
      if (signal.aborted && !LeaseLostError.is(error)) return;
      options.onLost(error);
      return;
    }
  }
}
