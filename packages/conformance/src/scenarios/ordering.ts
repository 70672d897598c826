import { expect, it } from 'vitest';
import { KeyStatus } from '@recon/core';
import type { Harness } from '../harness.ts';

/** Scenarios 1–4: FIFO, the listing limit, dedup and priority order. */
export function orderingScenarios(h: Harness): void {
  it('1. FIFO: queue foo, bar → [foo, bar]', async () => {
    await h.enqueueInOrder('foo', 'bar');
    expect(await h.eligible()).toEqual(['foo', 'bar']);
    await h.finish();
  });

  it('2. More keys than the limit: 25 queued → the listing returns the first 5', async () => {
    const keys = Array.from({ length: 25 }, (_, i) => `key-${String(24 - i).padStart(2, '0')}`);
    await h.enqueueInOrder(...keys);
    const listing = await h.listing();
    // FIFO, not key order: the keys were enqueued in descending name order.
    expect(listing.keys.map((k) => k.key)).toEqual(keys.slice(0, 5));
    expect((await h.queue.stats()).queued).toBe(25);
    await h.finish();
  });

  it('3. Dedup: queue foo twice → one foo', async () => {
    expect(await h.enqueue('foo')).toBe('added');
    const first = await h.state('foo');
    await h.tick();
    expect(await h.enqueue('foo')).toBe('deduped');
    expect(await h.eligible()).toEqual(['foo']);
    expect(await h.keys(KeyStatus.QUEUED)).toEqual(['foo']);
    expect((await h.queue.stats()).queued).toBe(1);
    // The FIFO position survives the dedup.
    expect((await h.state('foo'))?.queuedAt).toBe(first?.queuedAt);
    await h.finish();
  });

  it('4. Priority: higher first; a tie keeps enqueue time', async () => {
    await h.enqueueInOrder('foo', 'bar');
    expect(await h.eligible()).toEqual(['foo', 'bar']);
    await h.enqueue('bar', { priority: 1000 });
    expect(await h.eligible()).toEqual(['bar', 'foo']);
    await h.enqueue('foo', { priority: 1000 });
    expect(await h.eligible()).toEqual(['foo', 'bar']);
    await h.enqueue('bar', { priority: 1001 });
    expect(await h.eligible()).toEqual(['bar', 'foo']);
    // A lower priority never lowers a merged key (the maximum wins).
    await h.enqueue('bar', { priority: 999 });
    expect((await h.state('bar'))?.priority).toBe(1001);
    expect(await h.eligible()).toEqual(['bar', 'foo']);
    // Priorities are numbers: 999 < 1000 although "999" > "1000" as text; -5 < -1 < 0.
    await h.enqueue('baz', { priority: 999 });
    await h.enqueue('neg5', { priority: -5 });
    await h.enqueue('neg1', { priority: -1 });
    await h.enqueue('zero');
    expect(await h.eligible()).toEqual(['bar', 'foo', 'baz', 'zero', 'neg1']);
    await h.finish();
  });
}
