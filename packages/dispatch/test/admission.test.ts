import { FakeClock } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { Admission } from '../src/admission.ts';
import { drive, gate, harness, runUntilIdle } from './support/harness.ts';

function counter(clock: FakeClock, passMs = 0) {
  const startedAt: number[] = [];
  const admission = new Admission({
    clock,
    periodMs: 1000,
    runPass: async () => {
      startedAt.push(clock.now());
      if (passMs > 0) await clock.sleep(passMs);
    },
  });
  return { admission, startedAt };
}

describe('Admission', () => {
  it('runs the first request at once and folds the rest of the period into one pending pass', async () => {
    const clock = new FakeClock(0);
    const { admission, startedAt } = counter(clock);
    expect(admission.request()).toBe('accepted');
    await clock.advance(100);
    expect(admission.request()).toBe('accepted'); // creates the pending pass
    expect(admission.request()).toBe('shed');
    await clock.advance(500);
    expect(admission.request()).toBe('shed');
    expect(startedAt).toEqual([0]);
    await clock.advance(400);
    expect(startedAt).toEqual([0, 1000]); // at the period's end, not earlier
    await clock.advance(5000);
    expect(startedAt).toEqual([0, 1000]);
    expect(admission.busy).toBe(false);
  });

  it('never runs two passes at once: a pass longer than the period delays the pending one', async () => {
    const clock = new FakeClock(0);
    const { admission, startedAt } = counter(clock, 2500);
    admission.request();
    await clock.advance(1500);
    expect(admission.request()).toBe('accepted');
    expect(admission.request()).toBe('shed');
    await clock.advance(900);
    expect(startedAt).toEqual([0]);
    await clock.advance(100); // the first pass ends at 2500
    expect(startedAt).toEqual([0, 2500]);
  });

  it('admits at once again once a period has passed', async () => {
    const clock = new FakeClock(0);
    const { admission, startedAt } = counter(clock);
    admission.request();
    await clock.advance(1000);
    expect(admission.request()).toBe('accepted');
    await clock.advance(0);
    expect(startedAt).toEqual([0, 1000]);
  });

  it('stop cancels the pending pass and sheds everything after', async () => {
    const clock = new FakeClock(0);
    const { admission, startedAt } = counter(clock);
    admission.request();
    await clock.advance(10);
    admission.request();
    admission.stop();
    expect(admission.request()).toBe('shed');
    await clock.advance(5000);
    expect(startedAt).toEqual([0]);
  });
});

describe('loop admission', () => {
  it('reports a wake storm as one accepted pass per period and counts the rest as shed', async () => {
    const h = harness({ pollIntervalMs: 3_600_000, orphanSweepPeriodMs: 3_600_000 });
    await runUntilIdle(h);
    await h.clock.advance(1000);
    const passesBefore = h.log.passes.length;
    const results = Array.from({ length: 10 }, () => h.loop.wake('notification'));
    expect(results[0]).toBe('accepted'); // runs at once: the last pass is a period old
    expect(results[1]).toBe('accepted'); // the pending pass
    expect(results.slice(2).every((r) => r === 'shed')).toBe(true);
    await drive(h.clock, h.loop.idle());
    expect(h.log.passes.length - passesBefore).toBe(2);
    const shed = h.log.triggers.filter((t) => t.result === 'shed' && t.reason === 'notification');
    expect(shed).toHaveLength(8);
  });

  it('a wake that arrives during a pass is not lost: the pending pass sees its key', async () => {
    const listing = gate();
    const h = harness({ pollIntervalMs: 3_600_000 });
    const realList = h.queue.listEligible.bind(h.queue);
    let calls = 0;
    h.queue.listEligible = async (limit, signal) => {
      const result = await realList(limit, signal);
      if (calls++ === 0) await listing.promise; // hold the first pass after it listed
      return result;
    };
    h.loop.start();
    await h.clock.advance(0);
    await h.queue.enqueue({ key: 'late' });
    expect(h.loop.wake('local')).toBe('accepted');
    listing.open();
    await drive(h.clock, h.loop.idle());
    expect(h.log.outcomes.map((o) => o.key)).toEqual(['late']);
    // The first pass listed before the enqueue; the pending one found the key; after the attempt
    // a freed slot asked for one more, which found nothing.
    expect(h.log.passes.map((p) => p.listed)).toEqual([0, 1, 0]);
  });

  it('sheds wakes before start and after stop', async () => {
    const h = harness();
    expect(h.loop.wake('local')).toBe('shed');
    h.loop.start();
    await h.loop.stop();
    expect(h.loop.wake('notification')).toBe('shed');
    expect(h.log.triggers.map((t) => t.result)).toEqual(['shed', 'shed']);
  });
});
