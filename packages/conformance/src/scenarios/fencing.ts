import { expect, it } from 'vitest';
import { KeyStatus, LeaseLostError } from '@recon/core';
import type { Harness } from '../harness.ts';

/** Scenario 25: a stale owner cannot touch the new owner's copy. */
export function fencingScenarios(h: Harness): void {
  it("25. Fencing: a stale owner cannot complete, requeue or dead-letter the new owner's copy", async () => {
    await h.enqueue('foo', { priority: 4 });
    const stale = await h.startKey('foo', 'owner-a');

    // Not an orphan while the lease runs.
    await h.clock.advance(h.options.leaseMs - 1);
    const early = await h.queue.sweepOrphans();
    expect(early.requeued).toEqual([]);
    expect(early.leaseAgesMs).toEqual([h.options.leaseMs - 1]);
    expect(early.inProgress).toBe(1);

    // The lease runs out; any dispatcher's sweep requeues it with its attempts kept.
    await h.clock.advance(1);
    const swept = await h.queue.sweepOrphans();
    expect(swept.requeued).toEqual(['foo']);
    expect(swept.inProgress).toBe(0);
    expect(await h.state('foo')).toMatchObject({
      status: KeyStatus.QUEUED,
      attempts: 1,
      priority: 4,
    });

    const fresh = await h.startKey('foo', 'owner-b');
    expect(fresh.attempts).toBe(2);
    const before = await h.snapshot();

    const attempts: Array<[string, () => Promise<void>]> = [
      ['complete', () => stale.complete()],
      ['requeue', () => stale.requeue({ delayMs: 0, attempts: 'keep' })],
      ['requeue (reset)', () => stale.requeue({ delayMs: 5000, floor: true, attempts: 'reset' })],
      ['deadLetter', () => stale.deadLetter('stale')],
      ['renew', () => stale.renew()],
    ];
    for (const [name, write] of attempts) {
      const error = await write().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(LeaseLostError.is(error), `stale ${name} must fail with LeaseLostError`).toBe(true);
      expect(await h.snapshot(), `stale ${name} must change nothing`).toEqual(before);
    }
    expect(stale.signal.aborted).toBe(true);

    expect(await h.state('foo')).toMatchObject({
      status: KeyStatus.IN_PROGRESS,
      owner: 'owner-b',
      attempts: 2,
    });
    expect(fresh.signal.aborted).toBe(false);
    await fresh.renew();
    await fresh.complete();
    await h.finish();
  });
}
