import { expect, it } from 'vitest';
import type { WorkqueueBackend } from '@recon/core';
import {
  ProcessLog,
  createLoop,
  driveUntilDrained,
  loopTimings,
  seededRandom,
  stopAll,
} from '../dispatch-driver.ts';
import type { DispatchLoopHandle } from '../dispatch-driver.ts';
import type { Harness } from '../harness.ts';

const concurrency = 5;

/** Scenarios 22 and 23: real dispatch loops on the fake clock, enqueues racing the processing. */
export function concurrencyScenarios(h: Harness): void {
  /** A loop whose reconciler works 1–maxWorkMs ms of fake time per key and always succeeds. */
  function dispatcher(
    name: string,
    queue: WorkqueueBackend,
    log: ProcessLog,
    { seed, maxWorkMs }: { seed: number; maxWorkMs: number },
  ) {
    const random = seededRandom(seed);
    return createLoop({
      queue,
      owner: name,
      concurrency,
      clock: h.clock,
      workqueue: h.options,
      ...loopTimings,
      random,
      process: async (key, ctx) => {
        await log.process(name, key, () =>
          h.clock.sleep(1 + Math.floor(random() * maxWorkMs), ctx.signal),
        );
        return { kind: 'success' };
      },
    });
  }

  it('22. Concurrency: 1000 enqueues over 40 keys while dispatching with concurrency 5', async () => {
    const log = new ProcessLog();
    const loops: DispatchLoopHandle[] = [];
    try {
      const loop = await dispatcher('dispatcher-1', h.queue, log, { seed: 22, maxWorkMs: 20 });
      loops.push(loop);
      loop.start();
      const pick = seededRandom(2222);
      for (let i = 0; i < 1000; i++) {
        const key = `key-${Math.floor(pick() * 40)}`;
        log.enqueued(key);
        await h.enqueue(key);
        loop.wake('local');
        if (i % 5 === 4) {
          await h.clock.advance(2);
          await h.letIoRun();
        }
      }
      await driveUntilDrained(h, loops);
      await loop.stop();

      expect(log.overlaps, 'keys processed twice at once').toEqual([]);
      expect(log.maxInFlight.get('dispatcher-1')).toBeLessThanOrEqual(concurrency);
      expect(log.maxInFlight.get('dispatcher-1'), 'the loop ran keys in parallel').toBeGreaterThan(
        1,
      );
      expect(log.keysProcessed).toBe(40);
      expect(
        log.notProcessedAfterLastEnqueue(),
        'keys not processed after their last enqueue',
      ).toEqual([]);
      // Dedup collapses the burst: fewer process calls than enqueues.
      expect(log.processes).toBeLessThan(1000);
      await h.finish();
    } finally {
      await stopAll(loops);
    }
  });

  it('23. Exclusion across instances: three dispatchers on one store, 200 keys each enqueued 5 times', async () => {
    const log = new ProcessLog();
    const loops: DispatchLoopHandle[] = [];
    try {
      // Durable backends get one handle per dispatcher; others share the one store.
      const queues = [h.queue, (await h.reopen()) ?? h.queue, (await h.reopen()) ?? h.queue];
      for (const [i, queue] of queues.entries()) {
        const loop = await dispatcher(`dispatcher-${i + 1}`, queue, log, {
          seed: 23 + i,
          maxWorkMs: 10,
        });
        loops.push(loop);
        loop.start();
      }
      // Each key is enqueued 5 times, 3 steps (6 ms) apart, through the three handles in turn:
      // the later enqueues land while an earlier one is being processed (a twin), which is
      // where a second dispatcher could wrongly start the key.
      const keys = Array.from({ length: 200 }, (_, k) => `key-${String(k).padStart(3, '0')}`);
      const spacing = 3;
      for (let step = 0; step < keys.length + 4 * spacing; step++) {
        for (let j = 0; j < 5; j++) {
          const k = step - j * spacing;
          const key = keys[k];
          if (key === undefined) continue;
          const target = (k + j) % queues.length;
          log.enqueued(key);
          await queues[target]!.enqueue({ key });
          loops[target]!.wake('local');
        }
        await h.clock.advance(2);
        await h.letIoRun();
      }
      await driveUntilDrained(h, loops);
      await Promise.all(loops.map((loop) => loop.stop()));

      expect(log.overlaps, 'keys processed by two dispatchers at once').toEqual([]);
      for (const [name, max] of log.maxInFlight) {
        expect(max, `${name} in flight`).toBeLessThanOrEqual(concurrency);
      }
      expect(log.maxInFlight.size, 'dispatchers that did work').toBe(3);
      expect(log.keysProcessed).toBe(200);
      expect(log.enqueuedWhileProcessing, 'enqueues that landed during processing').toBeGreaterThan(
        100,
      );
      expect(
        log.notProcessedAfterLastEnqueue(),
        'keys not processed after their last enqueue',
      ).toEqual([]);
      await h.finish();
    } finally {
      await stopAll(loops);
    }
  });
}
