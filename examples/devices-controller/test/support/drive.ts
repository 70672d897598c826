/**
 * Driving an embedded Controller on a FakeClock: move fake time in small steps so the dispatch
 * loop, polls and resyncs run, until a condition holds or the controller has gone quiet.
 */
import type { FakeClock } from '@recon/core';
import type { Controller } from '@recon/sdk';

/** Advances fake time in `stepMs` steps until `cond()` holds; throws after `maxMs` of fake time. */
export async function advanceUntil(
  clock: FakeClock,
  cond: () => boolean | Promise<boolean>,
  maxMs = 30_000,
  stepMs = 10,
): Promise<void> {
  for (let waited = 0; !(await cond()); waited += stepMs) {
    if (waited >= maxMs) throw new Error(`condition not met within ${maxMs} ms of fake time`);
    await clock.advance(stepMs);
  }
}

/**
 * Advances fake time until no attempt has started for `quietMs` and the controller is idle: every
 * key converged, not merely waiting between two polls (`quietMs` must exceed the poll interval).
 */
export async function settle(
  clock: FakeClock,
  controller: Controller,
  options: { maxMs?: number; quietMs?: number; stepMs?: number } = {},
): Promise<void> {
  const { maxMs = 60_000, quietMs = 3000, stepMs = 10 } = options;
  let lastActivity = clock.now();
  const stop = controller.observe({ onAttemptStart: () => void (lastActivity = clock.now()) });
  try {
    for (let waited = 0; waited < maxMs; waited += stepMs) {
      await clock.advance(stepMs);
      if (controller.inFlight > 0) lastActivity = clock.now();
      else if (clock.now() - lastActivity >= quietMs) return;
    }
  } finally {
    stop();
  }
  throw new Error(`controller not quiet after ${maxMs} ms of fake time`);
}
