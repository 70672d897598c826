import { expect, it } from 'vitest';
import { KeyStatus, decideAction } from '@recon/core';
import type { Action, Outcome, OwnedKey } from '@recon/core';
import type { Harness } from '../harness.ts';

/** Scenarios 17–20: backoff, dead-lettering, requeue-after and attempts through twins. */
export function retryScenarios(h: Harness): void {
  /** What a dispatcher decides for this outcome (no jitter, so delays are exact). */
  function decide(owned: OwnedKey, outcome: Outcome): Action {
    return decideAction(outcome, { attempts: owned.attempts, options: h.options, random: () => 0 });
  }

  /** Writes a decided action through the owned key, as a dispatcher does. */
  async function apply(owned: OwnedKey, action: Action): Promise<void> {
    switch (action.kind) {
      case 'complete':
        return owned.complete();
      case 'dead-letter':
        return owned.deadLetter(action.lastError);
      case 'requeue':
        return owned.requeue({
          delayMs: action.delayMs,
          floor: action.floor,
          attempts: action.attempts,
          ...(action.lastError !== undefined && { lastError: action.lastError }),
        });
    }
  }

  it('17. Backoff defers regardless of priority, and preserves attempts', async () => {
    await h.enqueue('bar');
    await h.tick();
    await h.enqueue('foo', { priority: 1000 });
    expect(await h.eligible()).toEqual(['foo', 'bar']);
    const first = await h.startKey('foo');
    expect(first.attempts).toBe(1);
    const action = decide(first, { kind: 'error', message: 'boom' });
    expect(action).toMatchObject({ kind: 'requeue', delayMs: h.options.backoffBaseMs });
    await apply(first, action);

    expect(await h.eligible()).toEqual(['bar']);
    await h.clock.advance(h.options.backoffBaseMs);
    expect(await h.eligible()).toEqual(['foo', 'bar']);
    const state = await h.state('foo');
    expect(state).toMatchObject({
      status: KeyStatus.QUEUED,
      attempts: 1,
      priority: 1000,
      lastError: 'boom',
    });

    const second = await h.startKey('foo');
    expect(second.attempts).toBe(2);
    await second.complete();
    await h.finish();
  });

  it('18. Max retry: after maxRetry failed attempts the key is dead-lettered and stays out', async () => {
    await h.enqueue('foo', { priority: 7 });
    const firstQueuedAt = (await h.state('foo'))!.firstQueuedAt;
    const longError = 'x'.repeat(5000);
    for (let attempt = 1; ; attempt++) {
      const owned = await h.startKey('foo');
      expect(owned.attempts).toBe(attempt);
      const action = decide(owned, { kind: 'error', message: longError });
      await apply(owned, action);
      if (action.kind === 'dead-letter') break;
      expect(action.kind).toBe('requeue');
      expect(attempt).toBeLessThan(h.options.maxRetry);
      await h.clock.set((await h.listing()).nextNotBefore!);
    }
    const failedAt = h.clock.now();
    const dead = await h.state('foo');
    expect(dead).toMatchObject({
      key: 'foo',
      status: KeyStatus.DEAD_LETTER,
      attempts: h.options.maxRetry,
      priority: 7,
      firstQueuedAt,
      failedAt,
    });
    expect(Buffer.byteLength(dead!.lastError!, 'utf8')).toBeLessThanOrEqual(1024);
    expect(dead!.lastError!.startsWith('xxx')).toBe(true);
    expect(await h.keys(KeyStatus.DEAD_LETTER)).toEqual(['foo']);
    expect((await h.queue.stats()).deadLettered).toBe(1);

    // It stays out of the queue, however long we wait.
    await h.clock.advance(24 * 60 * 60_000);
    const listing = await h.listing();
    expect(listing.keys).toEqual([]);
    expect(listing.nextNotBefore).toBeUndefined();
    expect(await h.keys(KeyStatus.QUEUED)).toEqual([]);

    // Re-enqueue: queued again with attempts reset and its priority; the DLQ copy is gone at once.
    expect(await h.queue.reenqueueDeadLetter('foo')).toBe(true);
    expect(await h.state('foo')).toMatchObject({
      status: KeyStatus.QUEUED,
      attempts: 0,
      priority: 7,
    });
    expect(await h.keys(KeyStatus.DEAD_LETTER)).toEqual([]);
    expect(await h.queue.reenqueueDeadLetter('foo')).toBe(false);
    await h.finish();

    // An enqueue of a dead-lettered key coexists with its DLQ copy; complete removes both.
    await h.enqueue('bar');
    await h.startKey('bar').then((owned) => owned.deadLetter('fatal'));
    await h.enqueue('bar');
    expect((await h.state('bar'))?.status).toBe(KeyStatus.QUEUED);
    expect(await h.keys(KeyStatus.DEAD_LETTER)).toEqual(['bar']);
    await h.startKey('bar').then((owned) => owned.complete());
    expect(await h.keys(KeyStatus.DEAD_LETTER)).toEqual([]);
    await h.finish();
  });

  it('19. Requeue-after resets attempts: 200 consecutive requeue-after outcomes never dead-letter', async () => {
    await h.enqueue('foo');
    for (let i = 0; i < 200; i++) {
      const owned = await h.startKey('foo');
      expect(owned.attempts).toBe(1);
      await apply(owned, decide(owned, { kind: 'requeue-after', delayMs: 1000, floor: false }));
      await h.clock.advance(1000);
    }
    expect(await h.keys(KeyStatus.DEAD_LETTER)).toEqual([]);
    expect(await h.state('foo')).toMatchObject({ status: KeyStatus.QUEUED, attempts: 0 });
    await h.finish();
  });

  it('20. A requeue merging into a twin keeps the larger attempts count', async () => {
    await h.enqueue('foo');
    const first = await h.startKey('foo');
    await first.requeue({ delayMs: 0, attempts: 'keep', lastError: 'boom' });
    const second = await h.startKey('foo');
    expect(second.attempts).toBe(2);
    expect(await h.enqueue('foo')).toBe('added');
    expect((await h.state('foo'))?.status).toBe(KeyStatus.IN_PROGRESS);
    await second.requeue({ delayMs: 0, attempts: 'keep', lastError: 'boom again' });
    const twin = await h.state('foo');
    expect(twin).toMatchObject({ status: KeyStatus.QUEUED, attempts: 2, lastError: 'boom again' });

    // A fresh enqueue (attempts 0) cannot lower it either: a hot key cannot dodge the DLQ.
    expect(await h.enqueue('foo')).toBe('deduped');
    expect((await h.state('foo'))?.attempts).toBe(2);
    const third = await h.startKey('foo');
    expect(third.attempts).toBe(3);
    await third.complete();
    await h.finish();
  });
}
