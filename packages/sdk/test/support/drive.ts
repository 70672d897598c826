import type { FakeClock } from '@recon/core';
import type { Controller } from '../../src/index.ts';

/** Moves fake time forward by `ms` in `stepMs` steps, letting work run between steps. */
export async function advance(clock: FakeClock, ms: number, stepMs = 10): Promise<void> {
  for (let left = ms; left > 0; left -= stepMs) await clock.advance(Math.min(stepMs, left));
}

/**
 * Advances fake time until the controller is idle twice in a row, a step apart (so work that an
 * asynchronous source was still enqueueing is seen), or throws after `maxMs` of fake time.
 */
export async function settle(
  clock: FakeClock,
  controller: Controller,
  maxMs = 10_000,
  stepMs = 10,
): Promise<void> {
  let quiet = 0;
  for (let t = 0; t < maxMs; t += stepMs) {
    await clock.advance(stepMs);
    const idle = await Promise.race([
      controller.idle().then(() => true),
      new Promise<boolean>((resolve) => setImmediate(() => resolve(false))),
    ]);
    quiet = idle ? quiet + 1 : 0;
    if (quiet >= 2) return;
  }
  throw new Error(`controller not idle after ${maxMs} ms of fake time`);
}

/** A promise with its resolve function, to hold a reconcile open. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** Waits (advancing fake time) until `cond()` holds. */
export async function until(
  clock: FakeClock,
  cond: () => boolean,
  maxMs = 10_000,
  stepMs = 10,
): Promise<void> {
  for (let t = 0; !cond(); t += stepMs) {
    if (t >= maxMs) throw new Error(`condition not met within ${maxMs} ms of fake time`);
    await clock.advance(stepMs);
  }
}
