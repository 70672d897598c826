import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  FakeClock,
  InvalidArgumentError,
  KeyStatus,
  LeaseLostError,
  UnavailableError,
} from '@recon/core';
import { MemoryBackend, createMemoryBackend } from '../src/index.ts';

function setUp(leaseMs = 60_000) {
  const clock = new FakeClock();
  const queue = new MemoryBackend({ clock, workqueue: { leaseMs, heartbeatMs: leaseMs / 3 } });
  const start = async (key: string, owner = 'me') => {
    const listed = (await queue.listEligible(100)).keys.find((k) => k.key === key);
    if (!listed) throw new Error(`${key} is not eligible`);
    const owned = await queue.start(listed, owner);
    if (!owned) throw new Error(`${key} did not start`);
    return owned;
  };
  return { clock, queue, start };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('MemoryBackend', () => {
  it('refuses a listing whose copy changed since, but not after a merge that changed nothing', async () => {
    const { queue } = setUp();
    await queue.enqueue({ key: 'k' });
    const [stale] = (await queue.listEligible(5)).keys;
    await queue.enqueue({ key: 'k' }); // no change: same version
    const [same] = (await queue.listEligible(5)).keys;
    expect(same?.version).toBe(stale?.version);
    await queue.enqueue({ key: 'k', priority: 3 }); // a real change
    expect(await queue.start(stale!, 'me')).toBeUndefined();
    const [fresh] = (await queue.listEligible(5)).keys;
    expect(await queue.start(fresh!, 'me')).toBeDefined();
  });

  it('hands out listings as snapshots', async () => {
    const { queue } = setUp();
    await queue.enqueue({ key: 'k' });
    const [listed] = (await queue.listEligible(5)).keys;
    listed!.priority = 99;
    expect((await queue.getKeyState('k'))?.priority).toBe(0);
  });

  it('does not start a copy whose notBefore is in the future, even from a crafted listing', async () => {
    const { queue, clock } = setUp();
    await queue.enqueue({ key: 'k' });
    const [listed] = (await queue.listEligible(5)).keys;
    await queue.enqueue({ key: 'k', delayMs: 1000, floor: true });
    const state = await queue.getKeyState('k');
    expect(await queue.start({ ...listed!, version: listed!.version }, 'me')).toBeUndefined();
    expect(state?.notBefore).toBe(clock.now() + 1000);
  });

  it('counts requeued attempts by the requested rule', async () => {
    const { queue, start } = setUp();
    await queue.enqueue({ key: 'k' });
    await (await start('k')).requeue({ delayMs: 0, attempts: 'keep' });
    await (await start('k')).requeue({ delayMs: 0, attempts: 'keep' });
    expect((await queue.getKeyState('k'))?.attempts).toBe(2);
    await (await start('k')).requeue({ delayMs: 0, attempts: 'uncount' });
    expect((await queue.getKeyState('k'))?.attempts).toBe(2);
    await (await start('k')).requeue({ delayMs: 0, attempts: 'reset' });
    expect((await queue.getKeyState('k'))?.attempts).toBe(0);
    const owned = await start('k');
    expect(await rejection(owned.requeue({ delayMs: -1, attempts: 'keep' }))).toSatisfy((e) =>
      InvalidArgumentError.is(e),
    );
    expect((await queue.getKeyState('k'))?.status).toBe(KeyStatus.IN_PROGRESS);
    await owned.complete();
  });

  it('reports gauges without scanning: queued, waiting (parked twins too), oldest, max attempts, leases', async () => {
    const { queue, clock, start } = setUp();
    const t0 = clock.now();
    await queue.enqueue({ key: 'hot' });
    await clock.advance(5);
    await queue.enqueue({ key: 'later', delayMs: 1000 });
    for (let i = 0; i < 3; i++)
      await (await start('hot')).requeue({ delayMs: 0, attempts: 'keep' });
    const owned = await start('hot');
    await queue.enqueue({ key: 'hot', delayMs: 500 }); // a parked twin, not yet due
    await clock.advance(10);
    const stats = await queue.stats();
    expect(stats).toEqual({
      queued: 2,
      waiting: 2,
      inProgress: 1,
      deadLettered: 0,
      maxAttempts: 4,
      leaseAgesMs: [10],
    });
    const listing = await queue.listEligible(5);
    expect(listing.counts).toEqual({ queued: 2, waiting: 2, maxAttempts: 4 });
    expect(listing.nextNotBefore).toBe(t0 + 5 + 1000);
    await owned.complete();
    await clock.advance(1000);
    const after = await queue.stats();
    expect(after.maxAttempts).toBe(0);
    expect(after.waiting).toBe(0);
    expect(after.oldestQueuedAt).toBe(t0 + 5);
  });

  it('pages through one state by prefix in key order', async () => {
    const { queue } = setUp();
    const keys = Array.from(
      { length: 25 },
      (_, i) => `tenant-${i % 2 ? 'a' : 'b'}/db-${String(i).padStart(2, '0')}`,
    );
    for (const key of [...keys].reverse()) await queue.enqueue({ key });
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await queue.list(KeyStatus.QUEUED, {
        prefix: 'tenant-a/',
        limit: 5,
        ...(pageToken && { pageToken }),
      });
      expect(page.entries.length).toBeLessThanOrEqual(5);
      seen.push(...page.entries.map((e) => e.key));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual(keys.filter((k) => k.startsWith('tenant-a/')).sort());
    expect((await queue.list(KeyStatus.QUEUED)).entries).toHaveLength(25);
    expect((await queue.list(KeyStatus.DEAD_LETTER)).entries).toEqual([]);
    for (const [options, field] of [
      [{ limit: 0 }, 'limit'],
      [{ limit: 1.5 }, 'limit'],
      [{ pageToken: '!!' }, 'pageToken'],
    ] as const) {
      const err = await rejection(queue.list(KeyStatus.QUEUED, options));
      expect(InvalidArgumentError.is(err) && err.field).toBe(field);
    }
    const err = await rejection(queue.list('BOGUS' as KeyStatus));
    expect(InvalidArgumentError.is(err) && err.field).toBe('status');
  });

  it('validates its own arguments, naming the field', async () => {
    const { queue } = setUp();
    await queue.enqueue({ key: 'k' });
    const [listed] = (await queue.listEligible(5)).keys;
    for (const [call, field] of [
      [() => queue.listEligible(0), 'limit'],
      [() => queue.start(listed!, ''), 'owner'],
      [() => queue.getKeyState(''), 'key'],
      [() => queue.reenqueueDeadLetter('a\u0000'), 'key'],
    ] as const) {
      const err = await rejection(call());
      expect(InvalidArgumentError.is(err) && err.field).toBe(field);
    }
    expect(() => new MemoryBackend({ workqueue: { leaseMs: -1 } })).toThrow(ConfigError);
  });

  it('aborts the owner signal with LeaseLostError when a sweep takes the key', async () => {
    const { queue, clock, start } = setUp(1000);
    await queue.enqueue({ key: 'k' });
    const owned = await start('k', 'a');
    await queue.enqueue({ key: 'k', priority: 2 });
    await clock.advance(1000);
    const result = await queue.sweepOrphans();
    expect(result).toEqual({ requeued: ['k'], leaseAgesMs: [], inProgress: 0 });
    expect(owned.signal.aborted).toBe(true);
    expect(LeaseLostError.is(owned.signal.reason)).toBe(true);
    // Merged into the twin: its priority, the orphan's attempts, and why it came back.
    expect(await queue.getKeyState('k')).toMatchObject({
      status: KeyStatus.QUEUED,
      priority: 2,
      attempts: 1,
      lastError: 'lease held by a expired',
    });
  });

  it('re-enqueues a dead letter into an existing queued copy or in-progress twin', async () => {
    const { queue, start } = setUp();
    await queue.enqueue({ key: 'k', priority: 5 });
    await (await start('k')).deadLetter('fatal');
    const owned = await (async () => {
      await queue.enqueue({ key: 'k' });
      return start('k');
    })();
    expect(await queue.reenqueueDeadLetter('k')).toBe(true);
    expect((await queue.list(KeyStatus.DEAD_LETTER)).entries).toEqual([]);
    await owned.complete();
    expect(await queue.getKeyState('k')).toMatchObject({
      status: KeyStatus.QUEUED,
      priority: 5,
      attempts: 0,
    });
  });

  it('replaces the dead-letter copy of a key dead-lettered again', async () => {
    const { queue, clock, start } = setUp();
    await queue.enqueue({ key: 'k', priority: 1 });
    await (await start('k')).deadLetter('first');
    await queue.list(KeyStatus.DEAD_LETTER); // the key is now in the sorted listing index
    await clock.advance(10);
    await queue.enqueue({ key: 'k' });
    await (await start('k')).deadLetter('second');
    expect(await queue.getKeyState('k')).toMatchObject({
      lastError: 'second',
      failedAt: clock.now(),
    });
    expect((await queue.stats()).deadLettered).toBe(1);
    expect(await queue.reenqueueDeadLetter('k')).toBe(true);
    expect((await queue.list(KeyStatus.DEAD_LETTER)).entries).toEqual([]);
  });

  it('honours abort signals and close', async () => {
    const queue = createMemoryBackend({ clock: new FakeClock() });
    const ctl = new AbortController();
    ctl.abort(new Error('cancelled'));
    expect(await rejection(queue.enqueue({ key: 'k' }, ctl.signal))).toEqual(
      new Error('cancelled'),
    );
    expect((await queue.stats()).queued).toBe(0);
    await queue.close();
    expect(await rejection(queue.enqueue({ key: 'k' }))).toSatisfy((e) => UnavailableError.is(e));
  });
});
