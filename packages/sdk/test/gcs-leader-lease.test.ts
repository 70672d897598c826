/** GcsLeaderLease with the real @google-cloud/storage client against the GCS emulator. */
import { Storage } from '@google-cloud/storage';
import { FakeClock } from '@recon/core';
import { type GcsEmulator, startGcsEmulator } from '@recon/gcs-emulator';
import { MemoryBackend } from '@recon/workqueue-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Controller, GcsLeaderLease, silentLogger } from '../src/index.ts';

let emulator: GcsEmulator;
let storage: Storage;
let bucketNo = 0;

beforeAll(async () => {
  emulator = await startGcsEmulator();
  storage = new Storage({
    apiEndpoint: emulator.url,
    projectId: 'test',
    retryOptions: { autoRetry: false },
  });
});
afterAll(async () => {
  await emulator?.close();
});

async function freshBucket() {
  const [bucket] = await storage.createBucket(`leases-${++bucketNo}`);
  return bucket;
}

describe('GcsLeaderLease', () => {
  it('one holder at a time; an expired holding is taken over under a higher term', async () => {
    const bucket = await freshBucket();
    const clock = new FakeClock();
    const a = new GcsLeaderLease({ bucket, holder: 'a', leaseMs: 10_000, clock });
    const b = new GcsLeaderLease({ bucket, holder: 'b', leaseMs: 10_000, clock });

    const first = await a.check();
    expect(first.leader).toBe(true);
    expect(await b.check()).toEqual({ leader: false, term: first.term });
    await clock.advance(5000);
    expect(await a.check()).toEqual({ leader: true, term: first.term }); // a renewal keeps the term

    await clock.advance(10_001); // a stops renewing
    const second = await b.check();
    expect(second.leader).toBe(true);
    expect(second.term).toBeGreaterThan(first.term);
    expect((await a.check()).leader).toBe(false);

    await a.release(); // not held: nothing happens
    expect((await b.check()).leader).toBe(true);
    await b.release();
    const third = await a.check();
    expect(third.leader).toBe(true);
    expect(third.term).toBeGreaterThan(second.term);
  });

  it('of many candidates racing for a free lease, exactly one wins', async () => {
    const bucket = await freshBucket();
    const leases = Array.from(
      { length: 6 },
      (_, i) => new GcsLeaderLease({ bucket, holder: `c${i}` }),
    );
    const results = await Promise.all(leases.map((l) => l.check()));
    expect(results.filter((r) => r.leader)).toHaveLength(1);
  });

  it('gates a Controller: only the holder reconciles; when it stops, another takes over', async () => {
    const bucket = await freshBucket();
    const queue = new MemoryBackend(); // one queue shared by two replicas
    const runs: string[] = [];
    const replica = (name: string) =>
      new Controller({
        queue,
        reconciler: (key) => void runs.push(`${name}:${key}`),
        leaderLease: new GcsLeaderLease({ bucket, holder: name, leaseMs: 5000 }),
        leaderCheckMs: 50,
        dispatchPeriodMs: 10,
        logger: silentLogger,
      });
    const one = replica('one');
    const two = replica('two');
    await one.start();
    await two.start();
    expect([one.isLeader, two.isLeader]).toEqual([true, false]);
    await one.enqueue('k1');
    await waitFor(() => runs.length === 1);
    await one.stop(); // releases the lease
    await waitFor(() => two.isLeader);
    await two.enqueue('k2');
    await waitFor(() => runs.length === 2);
    expect(runs).toEqual(['one:k1', 'two:k2']);
    await two.stop();
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
