import { expect, it } from 'vitest';
import { KeyStatus } from '@recon/core';
import { createLoop, driveUntil, loopTimings, stopAll } from '../dispatch-driver.ts';
import type { DispatchLoopHandle } from '../dispatch-driver.ts';
import type { Harness } from '../harness.ts';

/** Scenario 26: a killed dispatcher's key comes back after its lease, through another one. */
export function orphanScenarios(h: Harness): void {
  it('26. Orphan: a dispatcher killed mid-attempt → after lease expiry another dispatcher re-runs the key', async () => {
    const loops: DispatchLoopHandle[] = [];
    try {
      await h.enqueue('victim');
      let enteredA = false;
      const killed = await createLoop({
        queue: h.queue,
        owner: 'dispatcher-a',
        concurrency: 1,
        clock: h.clock,
        workqueue: h.options,
        ...loopTimings,
        // Hangs until its signal aborts: the process dies mid-attempt.
        process: async (_key, ctx) => {
          enteredA = true;
          await new Promise<void>((resolve) =>
            ctx.signal.addEventListener('abort', () => resolve()),
          );
          return { kind: 'error', message: 'killed' };
        },
      });
      loops.push(killed);
      killed.start();
      await driveUntil(h, () => enteredA, {
        stepMs: 1,
        maxSteps: 1000,
        what: 'dispatcher-a starting victim',
      });

      // Kill it: stop without draining writes nothing, renews nothing, and abandons the key.
      await killed.stop({ drain: false });
      const orphan = await h.state('victim');
      expect(orphan).toMatchObject({
        status: KeyStatus.IN_PROGRESS,
        owner: 'dispatcher-a',
        attempts: 1,
      });
      const expiresAt = orphan!.leaseExpiresAt!;

      const reruns: Array<{ attempt: number; at: number }> = [];
      const survivor = await createLoop({
        queue: (await h.reopen()) ?? h.queue,
        owner: 'dispatcher-b',
        concurrency: 2,
        clock: h.clock,
        workqueue: h.options,
        ...loopTimings,
        orphanSweepPeriodMs: 5_000,
        process: async (_key, ctx) => {
          reruns.push({ attempt: ctx.attempt, at: h.clock.now() });
          return { kind: 'success' };
        },
      });
      loops.push(survivor);
      survivor.start();
      const sweepsToWait = Math.ceil(h.options.leaseMs / 5_000) + 3;
      await driveUntil(h, () => reruns.length > 0, {
        stepMs: 1000,
        maxSteps: sweepsToWait * 5,
        what: 'dispatcher-b re-running the orphan',
      });
      await driveUntil(h, () => survivor.inFlight === 0, {
        stepMs: 10,
        maxSteps: 1000,
        what: 'the re-run ending',
      });
      await survivor.stop();

      expect(reruns).toHaveLength(1);
      expect(reruns[0]!.attempt, 'attempts are kept through the orphan sweep').toBe(2);
      expect(reruns[0]!.at, 'not before the lease expired').toBeGreaterThanOrEqual(expiresAt);
      await h.finish();
    } finally {
      await stopAll(loops);
    }
  });
}
