/** Exclusion across instances and fencing of stale owners, on one bucket shared by 3 backends. */
import { describe, expect, it } from 'vitest';
import { FakeClock, KeyStatus, LeaseLostError } from '@recon/core';
import type { OwnedKey } from '@recon/core';
import { freshBucket, startListed, testWorkqueue, useEmulator } from './emulator.ts';

const fx = useEmulator();
const leaseMs = testWorkqueue.leaseMs ?? 0;

/** Instances that list `queued/` whenever their snapshot is stale at all: they see each other's writes at once. */
function instances(n: number, clock: FakeClock) {
  const bucket = freshBucket();
  return Array.from({ length: n }, () =>
    fx.backend({ bucket, clock, listing: { minRefreshMs: 0, refreshMsPerPage: 0 } }),
  );
}

describe('exclusion', () => {
  it('20 instances starting one key at once: exactly one copy wins in storage', async () => {
    const clock = new FakeClock();
    const backends = instances(20, clock);
    await backends[0]!.enqueue({ key: 'k' });
    const listed = await Promise.all(backends.map(async (b) => (await b.listEligible(5)).keys[0]));
    const results = await Promise.all(backends.map((b, i) => b.start(listed[i]!, `owner-${i}`)));
    const winners = results.filter((r): r is OwnedKey => r !== undefined);
    expect(winners).toHaveLength(1);
    await winners[0]!.complete();
  });

  it('20 concurrent starts of one key across 3 instances: exactly one wins, every round', async () => {
    const clock = new FakeClock();
    const backends = instances(3, clock);
    for (let round = 0; round < 5; round++) {
      const key = `hot-${round}`;
      await backends[0]!.enqueue({ key });
      const listed = await Promise.all(
        backends.map(async (b) => (await b.listEligible(5)).keys.find((k) => k.key === key)),
      );
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const b = backends[i % 3]!;
          return b.start(listed[i % 3]!, `owner-${i % 3}`);
        }),
      );
      const winners = results.filter((r): r is OwnedKey => r !== undefined);
      expect(winners).toHaveLength(1);
      expect(winners[0]?.attempts).toBe(1);
      const state = await backends[1]!.getKeyState(key);
      expect(state).toMatchObject({ status: KeyStatus.IN_PROGRESS, owner: winners[0]?.owner });
      await winners[0]!.complete();
    }
    expect(await backends[2]!.stats()).toMatchObject({ queued: 0, inProgress: 0 });
  });
});

describe('fencing', () => {
  const ops: Record<string, (o: OwnedKey) => Promise<void>> = {
    complete: (o) => o.complete(),
    requeue: (o) => o.requeue({ delayMs: 0, attempts: 'keep', lastError: 'stale' }),
    deadLetter: (o) => o.deadLetter('stale'),
    renew: (o) => o.renew(),
  };

  for (const [name, op] of Object.entries(ops)) {
    it(`a stale owner cannot ${name} after its lease expired and the key restarted elsewhere`, async () => {
      const clock = new FakeClock();
      const [a, b] = instances(2, clock);
      await a!.enqueue({ key: 'k' });
      const stale = await startListed(a!, 'k', 'a');
      await clock.advance(leaseMs + 1);
      expect((await b!.sweepOrphans()).requeued).toEqual(['k']);
      const fresh = await startListed(b!, 'k', 'b');
      expect(fresh.attempts).toBe(2);
      const [before] = await fx.storage
        .bucket(b!.options.bucket)
        .file('in-progress/k')
        .getMetadata();

      await expect(op(stale)).rejects.toSatisfy((e) => LeaseLostError.is(e));
      expect(stale.signal.aborted).toBe(true);
      expect(LeaseLostError.is(stale.signal.reason)).toBe(true);
      await expect(stale.complete()).rejects.toSatisfy((e) => LeaseLostError.is(e));

      const [after] = await fx.storage
        .bucket(b!.options.bucket)
        .file('in-progress/k')
        .getMetadata();
      expect([after.generation, after.metageneration]).toEqual([
        before.generation,
        before.metageneration,
      ]);
      expect(await b!.list(KeyStatus.QUEUED)).toEqual({ entries: [] });
      expect(await b!.list(KeyStatus.DEAD_LETTER)).toEqual({ entries: [] });
      expect(fresh.signal.aborted).toBe(false);
      await fresh.complete();
    });
  }

  it("a sweep on the owner's own instance ends its expired ownership", async () => {
    const clock = new FakeClock();
    const [a] = instances(1, clock);
    await a!.enqueue({ key: 'k' });
    const owned = await startListed(a!, 'k');
    await clock.advance(leaseMs + 1);
    expect((await a!.sweepOrphans()).requeued).toEqual(['k']);
    expect(owned.signal.aborted).toBe(true);
    const again = await startListed(a!, 'k');
    expect(again.attempts).toBe(2);
    await again.complete();
  });

  it('an owner whose lease expired but was not taken over may still complete', async () => {
    const clock = new FakeClock();
    const [a] = instances(1, clock);
    await a!.enqueue({ key: 'k' });
    const owned = await startListed(a!, 'k');
    await clock.advance(leaseMs * 2);
    await owned.complete();
    expect(await a!.getKeyState('k')).toBeUndefined();
  });

  it('an orphan whose owner renewed during the sweep keeps its lease (the queued copy is a twin)', async () => {
    const clock = new FakeClock();
    const [a, b] = instances(2, clock);
    await a!.enqueue({ key: 'k' });
    const owned = await startListed(a!, 'k');
    await clock.advance(leaseMs + 1);
    await owned.renew(); // the owner was only late
    expect((await b!.sweepOrphans()).requeued).toEqual([]);
    expect(owned.signal.aborted).toBe(false);
    await owned.complete();
  });
});
