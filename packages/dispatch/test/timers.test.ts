import { describe, expect, it } from 'vitest';
import { drive, harness, runUntilIdle } from './support/harness.ts';

describe('orphan sweep', () => {
  it('sweeps at the first pass, then once per orphanSweepPeriodMs, however many wakes arrive', async () => {
    const h = harness({ orphanSweepPeriodMs: 30_000, pollIntervalMs: 10_000 });
    h.loop.start();
    await h.clock.advance(0);
    expect(h.queue.calls('sweepOrphans')).toBe(1);
    for (let t = 0; t < 29; t++) {
      h.loop.wake('notification');
      await h.clock.advance(1000);
    }
    expect(h.queue.calls('sweepOrphans')).toBe(1);
    await h.clock.advance(1000); // t = 30 s
    expect(h.queue.calls('sweepOrphans')).toBe(2);
    await h.clock.advance(60_000);
    expect(h.queue.calls('sweepOrphans')).toBe(4);
    expect(h.log.sweeps).toHaveLength(4);
    expect(h.log.counts.some((c) => c.inProgress === 0)).toBe(true);
    await h.loop.stop();
  });

  it('sweeps on its own timer even when no pass would run before it', async () => {
    const h = harness({ orphanSweepPeriodMs: 30_000, pollIntervalMs: 3_600_000 });
    h.loop.start();
    await h.clock.advance(90_000);
    expect(h.queue.calls('sweepOrphans')).toBe(4);
    expect(h.log.triggers.filter((t) => t.reason === 'timer')).toHaveLength(3);
    await h.loop.stop();
  });

  it('reports a failed sweep and tries again next period', async () => {
    const h = harness({ orphanSweepPeriodMs: 30_000 });
    h.queue.fail('sweepOrphans');
    h.loop.start();
    await h.clock.advance(30_000);
    expect(h.log.errors.filter((e) => e.where === 'sweep')).toHaveLength(1);
    expect(h.log.sweeps).toHaveLength(1);
    await h.loop.stop();
  });
});

describe('wake-up timers', () => {
  it('wakes itself for the earliest notBefore of the last listing', async () => {
    const h = harness({ pollIntervalMs: 3_600_000, orphanSweepPeriodMs: 3_600_000 });
    await h.queue.enqueue({ key: 'later', delayMs: 5000 });
    await runUntilIdle(h);
    expect(h.log.outcomes).toHaveLength(0);
    const t0 = h.log.passes[0]!.at;
    await h.clock.set(t0 + 4999);
    expect(h.log.outcomes).toHaveLength(0);
    await h.clock.advance(1);
    expect(h.log.outcomes[0]).toMatchObject({ key: 'later' });
    expect(h.log.outcomes[0]!.at - t0).toBe(5000);
    expect(h.log.triggers).toContainEqual({ reason: 'timer', result: 'accepted', at: t0 + 5000 });
    await h.loop.stop();
  });

  it('polls every pollIntervalMs without any trigger wiring', async () => {
    const h = harness({ pollIntervalMs: 10_000, orphanSweepPeriodMs: 3_600_000 });
    await runUntilIdle(h);
    const t0 = h.log.passes[0]!.at;
    await h.queue.enqueue({ key: 'quiet' }); // nobody wakes the loop
    await h.clock.advance(9_999);
    expect(h.log.outcomes).toHaveLength(0);
    await h.clock.advance(1);
    expect(h.log.outcomes).toMatchObject([{ key: 'quiet' }]);
    expect(h.log.outcomes[0]!.at - t0).toBe(10_000);
    expect(h.log.triggers).toContainEqual({ reason: 'poll', result: 'accepted', at: t0 + 10_000 });
    await h.loop.stop();
  });

  it('a failed listing is reported and the next poll recovers', async () => {
    const h = harness({ pollIntervalMs: 10_000, orphanSweepPeriodMs: 3_600_000 });
    h.queue.fail('listEligible');
    await h.queue.enqueue({ key: 'a' });
    h.loop.start();
    await h.clock.advance(0);
    expect(h.log.errors).toMatchObject([{ where: 'list' }]);
    await drive(h.clock, h.loop.idle());
    expect(h.log.outcomes).toMatchObject([{ key: 'a' }]);
  });

  it('keeps no timers after stop', async () => {
    const h = harness();
    h.loop.start();
    await h.clock.advance(0);
    await h.loop.stop();
    await h.clock.advance(0);
    expect(h.clock.pendingTimers).toBe(0);
  });
});
