import { expect, it } from 'vitest';
import { KeyStatus } from '@recon/core';
import type { Harness } from '../harness.ts';

/** Scenarios 5–8: start, complete, requeue, the twin, and a backoff. */
export function lifecycleScenarios(h: Harness): void {
  it('5. Start then complete: in progress while leased, complete aborts the signal and empties', async () => {
    await h.enqueue('foo');
    const owned = await h.startKey('foo');
    expect(owned.key).toBe('foo');
    expect(owned.attempts).toBe(1);
    expect(owned.owner).toBe('owner-a');
    expect(owned.leaseExpiresAt).toBe(h.clock.now() + h.options.leaseMs);
    expect(await h.keys(KeyStatus.IN_PROGRESS)).toEqual(['foo']);
    expect(await h.keys(KeyStatus.QUEUED)).toEqual([]);
    expect(await h.eligible()).toEqual([]);

    // Alive while leased; a renew moves the lease forward from now.
    await h.clock.advance(h.options.leaseMs / 2);
    expect(owned.signal.aborted).toBe(false);
    await owned.renew();
    expect(owned.leaseExpiresAt).toBe(h.clock.now() + h.options.leaseMs);
    expect(owned.signal.aborted).toBe(false);

    await owned.complete();
    expect(owned.signal.aborted).toBe(true);
    await h.finish();
  });

  it('6. Start then requeue (no delay): foo, bar; start foo; requeue → [bar, foo]', async () => {
    await h.enqueueInOrder('foo', 'bar');
    const owned = await h.startKey('foo');
    await h.tick();
    await owned.requeue({ delayMs: 0, attempts: 'keep' });
    expect(owned.signal.aborted).toBe(true);
    // A requeue goes to the back of its priority band.
    expect(await h.eligible()).toEqual(['bar', 'foo']);
    const foo = await h.state('foo');
    expect(foo?.status).toBe(KeyStatus.QUEUED);
    expect(foo?.attempts).toBe(1);
    expect(await h.keys(KeyStatus.IN_PROGRESS)).toEqual([]);
    await h.finish();
  });

  it('7. Start then queue: in-progress [foo] and queued [foo]; the twin is not started while foo is live', async () => {
    await h.enqueue('foo');
    const listed = (await h.listing()).keys[0]!;
    const owned = await h.queue.start(listed, 'owner-a');
    expect(owned).toBeDefined();
    // The same listing cannot start foo a second time.
    expect(await h.queue.start(listed, 'owner-b')).toBeUndefined();

    await h.tick();
    expect(await h.enqueue('foo')).toBe('added');
    expect(await h.keys(KeyStatus.IN_PROGRESS)).toEqual(['foo']);
    expect(await h.keys(KeyStatus.QUEUED)).toEqual(['foo']);
    expect(await h.eligible()).toEqual([]);
    await h.clock.advance(h.options.leaseMs / 2);
    expect(await h.eligible()).toEqual([]);
    expect(await h.queue.start(listed, 'owner-b')).toBeUndefined();
    expect((await h.state('foo'))?.owner).toBe('owner-a');

    // Exactly once more after the attempt ends.
    await owned!.complete();
    expect(await h.eligible()).toEqual(['foo']);
    const again = await h.startKey('foo', 'owner-b');
    expect(again.attempts).toBe(1);
    await again.complete();
    await h.finish();
  });

  it('8. Requeue with backoff hides the key for the backoff, then it returns', async () => {
    await h.enqueue('foo');
    const owned = await h.startKey('foo');
    const backoff = 30_000;
    await owned.requeue({ delayMs: backoff, attempts: 'keep', lastError: 'boom' });
    const at = h.clock.now() + backoff;
    const hidden = await h.listing();
    expect(hidden.keys).toEqual([]);
    expect(hidden.nextNotBefore).toBe(at);
    expect((await h.queue.stats()).waiting).toBe(1);
    await h.clock.advance(backoff - 1);
    expect(await h.eligible()).toEqual([]);
    await h.clock.advance(1);
    const back = await h.listing();
    expect(back.keys.map((k) => k.key)).toEqual(['foo']);
    expect(back.keys[0]?.attempts).toBe(1);
    expect(back.keys[0]?.lastError).toBe('boom');
    await h.finish();
  });
}
