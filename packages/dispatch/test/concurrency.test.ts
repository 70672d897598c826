import { describe, expect, it } from 'vitest';
import type { ProcessFn } from '../src/index.ts';
import { drive, harness, runUntilIdle } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

/** A process that takes `ms` of fake time and records how many calls overlap. */
function timed(getHarness: () => Harness, ms: (key: string) => number) {
  const stats = {
    running: 0,
    max: 0,
    seen: new Set<string>(),
    doubled: false,
    done: [] as string[],
  };
  const process: ProcessFn = async (key, ctx) => {
    if (stats.seen.has(key)) stats.doubled = true;
    stats.seen.add(key);
    stats.running++;
    stats.max = Math.max(stats.max, stats.running);
    try {
      await getHarness().clock.sleep(ms(key), ctx.signal);
    } finally {
      stats.running--;
      stats.seen.delete(key);
    }
    stats.done.push(key);
    return { kind: 'success' };
  };
  return { stats, process };
}

describe('concurrency and throughput', () => {
  it('never runs more than `concurrency` attempts, and uses all of them', async () => {
    let h!: Harness;
    const { stats, process } = timed(
      () => h,
      (key) => 50 + (Number(key.slice(1)) % 7) * 40,
    );
    h = harness({ concurrency: 5, process });
    for (let i = 0; i < 100; i++) await h.queue.enqueue({ key: `k${i}` });
    h.loop.start();
    let maxInFlight = 0;
    const idle = h.loop.idle();
    let done = false;
    void idle.then(() => (done = true));
    while (!done) {
      maxInFlight = Math.max(maxInFlight, h.loop.inFlight);
      await h.clock.advance(10);
    }
    expect(stats.done).toHaveLength(100);
    expect(stats.max).toBe(5);
    expect(maxInFlight).toBeLessThanOrEqual(5);
    expect(stats.doubled).toBe(false);
  });

  it('the backlog keeps slots full between passes: throughput is not bounded by the period', async () => {
    let h!: Harness;
    const { stats, process } = timed(
      () => h,
      () => 100,
    );
    h = harness({ concurrency: 5, process }); // the first pass lists 20 and starts 5
    const keys = Array.from({ length: 300 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    for (const key of keys) await h.queue.enqueue({ key });
    await runUntilIdle(h);
    // 300 keys × 100 ms / 5 slots = 6 s of work. Starting 5 per 1 s pass would take 60 s, a fixed
    // 20-key backlog 15 s; the listing grows while the backlog runs dry, so it takes ~7 s.
    const lastDone = Math.max(...h.log.outcomes.map((o) => o.at)) - h.log.passes[0]!.at;
    expect(stats.done).toHaveLength(300);
    expect(lastDone).toBeLessThanOrEqual(7500);
    expect(stats.max).toBe(5);
    expect(h.log.passes.filter((p) => p.listed > 0).length).toBeLessThanOrEqual(6);
    // Dispatch order is kept: FIFO within a priority.
    expect(h.log.starts.map((s) => s.key)).toEqual(keys);
  });

  it('the listing grows up to listLimit when the backlog runs dry', async () => {
    const h = harness({ concurrency: 2, listLimit: 12 });
    const limits: number[] = [];
    const list = h.queue.listEligible.bind(h.queue);
    h.queue.listEligible = (limit, signal) => {
      limits.push(limit);
      return list(limit, signal);
    };
    for (let i = 0; i < 40; i++) await h.queue.enqueue({ key: `k${i}` });
    await runUntilIdle(h);
    expect(limits.slice(0, 3)).toEqual([8, 12, 12]);
  });

  it('a freed slot with an empty backlog after a full listing wakes a pass (reason "slot")', async () => {
    let h!: Harness;
    const { process } = timed(
      () => h,
      () => 100,
    );
    h = harness({ concurrency: 2, listLimit: 2, process });
    for (let i = 0; i < 6; i++) await h.queue.enqueue({ key: `k${i}` });
    await runUntilIdle(h);
    expect(h.log.outcomes).toHaveLength(6);
    const slotWakes = h.log.triggers.filter((t) => t.reason === 'slot' && t.result === 'accepted');
    expect(slotWakes.length).toBeGreaterThanOrEqual(3);
  });

  it('batchSize limits the keys one pass starts; free slots ask for the next pass', async () => {
    let h!: Harness;
    const { process } = timed(
      () => h,
      () => 10_000,
    );
    h = harness({ concurrency: 6, batchSize: 2, process, pollIntervalMs: 3_600_000 });
    for (let i = 0; i < 10; i++) await h.queue.enqueue({ key: `k${i}` });
    h.loop.start();
    await h.clock.advance(0);
    expect(h.log.passes[0]).toMatchObject({ listed: 10, started: 2 });
    expect(h.loop.inFlight).toBe(2);
    await h.clock.advance(1000);
    expect(h.loop.inFlight).toBe(4);
    await h.clock.advance(1000);
    expect(h.loop.inFlight).toBe(6);
    await h.loop.stop();
  });

  it('a key enqueued again while it runs runs exactly once more, promptly, without a trigger', async () => {
    let h!: Harness;
    let calls = 0;
    h = harness({
      pollIntervalMs: 3_600_000,
      process: async (key) => {
        if (calls++ === 0) await h.queue.enqueue({ key }); // the twin
        return { kind: 'success' };
      },
    });
    await h.queue.enqueue({ key: 'twin' });
    await drive(h.clock, (h.loop.start(), h.loop.idle()), 5000);
    expect(h.log.outcomes.map((o) => o.key)).toEqual(['twin', 'twin']);
    expect(await h.queue.getKeyState('twin')).toBeUndefined();
  });

  it('two loops on one backend never run a key twice at once', async () => {
    let a!: Harness;
    const running = new Set<string>();
    let overlap = false;
    const process: ProcessFn = async (key, ctx) => {
      if (running.has(key)) overlap = true;
      running.add(key);
      await a.clock.sleep(30, ctx.signal);
      running.delete(key);
      return { kind: 'success' };
    };
    a = harness({ concurrency: 3, process, owner: 'a' });
    const b = harness({ concurrency: 3, process, owner: 'b', clock: a.clock, queue: a.queue });
    for (let i = 0; i < 30; i++) await a.queue.enqueue({ key: `k${i % 10}` });
    a.loop.start();
    b.loop.start();
    for (let round = 0; round < 20; round++) {
      await a.queue.enqueue({ key: `k${round % 10}` });
      a.loop.wake('notification');
      b.loop.wake('notification');
      await a.clock.advance(20);
    }
    await drive(a.clock, Promise.all([a.loop.idle(), b.loop.idle()]));
    expect(overlap).toBe(false);
    expect(a.log.outcomes.length).toBeGreaterThan(0);
    expect(b.log.outcomes.length).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect(await a.queue.getKeyState(`k${i}`)).toBeUndefined();
  });
});
