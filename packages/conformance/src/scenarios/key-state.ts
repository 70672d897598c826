import { expect, it } from 'vitest';
import { KeyStatus } from '@recon/core';
import type { Harness } from '../harness.ts';

/** Scenario 21: what getKeyState reports. */
export function keyStateScenarios(h: Harness): void {
  it('21. Key state: unknown → NotFound; queued; in-progress wins over queued; the twin remains QUEUED', async () => {
    expect(await h.state('foo')).toBeUndefined();

    const queuedAt = h.clock.now();
    await h.enqueue('foo', { priority: 7 });
    expect(await h.state('foo')).toMatchObject({
      key: 'foo',
      status: KeyStatus.QUEUED,
      priority: 7,
      attempts: 0,
      queuedAt,
      notBefore: 0,
    });

    await h.tick();
    const owned = await h.startKey('foo');
    expect(await h.state('foo')).toMatchObject({
      key: 'foo',
      status: KeyStatus.IN_PROGRESS,
      priority: 7,
      attempts: 1,
      owner: 'owner-a',
      leaseExpiresAt: owned.leaseExpiresAt,
    });

    await h.tick();
    const twinQueuedAt = h.clock.now();
    await h.enqueue('foo', { priority: 3, delayMs: 5000 });
    expect((await h.state('foo'))?.status).toBe(KeyStatus.IN_PROGRESS);

    await owned.complete();
    expect(await h.state('foo')).toMatchObject({
      key: 'foo',
      status: KeyStatus.QUEUED,
      priority: 3,
      attempts: 0,
      queuedAt: twinQueuedAt,
      notBefore: twinQueuedAt + 5000,
    });
    await h.finish();
    expect(await h.state('foo')).toBeUndefined();
  });
}
