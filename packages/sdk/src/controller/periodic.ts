import type { Clock } from '@recon/core';

/** Runs `fn` now and then every `everyMs` on `clock`, until `signal` aborts. Never rejects. */
export async function every(
  clock: Clock,
  everyMs: number,
  signal: AbortSignal,
  fn: () => Promise<void>,
): Promise<void> {
  while (!signal.aborted) {
    await fn().catch(() => undefined);
    await clock.sleep(everyMs, signal);
  }
}
