import type { Clock } from '@recon/core';

/**
 * `clock.sleep(ms, signal)`, except that a non-positive wait resolves at once: a FakeClock parks
 * even a zero-length sleeper until the next `advance()`, which would stall "do it now" paths.
 */
export function wait(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return ms > 0 ? clock.sleep(ms, signal) : Promise.resolve();
}

/** Resolves when `signal` aborts (at once if it already has). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
