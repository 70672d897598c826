/**
 * Fault injection on the emulator (10% 503 answers, 1% dropped connections, half of those after
 * the write was applied): three dispatching instances share one bucket while keys are enqueued
 * twice each. No key may be lost: every key is processed after its last enqueue, never by two
 * owners at once, and the queue drains.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock, LeaseLostError } from '@recon/core';
import { GcsBackend } from '../src/index.ts';
import {
  clientRetries,
  fastBackendRetries,
  freshBucket,
  noClientRetries,
  storageFor,
  testWorkqueue,
  useEmulator,
} from './emulator.ts';

const fx = useEmulator();
const leaseMs = testWorkqueue.leaseMs ?? 0;

/** Retries a call the way a caller of the queue would: until it stops failing. */
async function persist<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (LeaseLostError.is(err) || attempt > 20) throw err;
    }
  }
}

describe('under injected faults', { timeout: 90_000 }, () => {
  it('10% 503 + 1% drops: no key lost, no key run twice at once, the queue drains', async () => {
    const clock = new FakeClock();
    const bucket = freshBucket();
    const backends = [clientRetries, noClientRetries, noClientRetries].map(
      (retryOptions) =>
        new GcsBackend({
          storage: storageFor(fx.url, retryOptions),
          bucket,
          clock,
          workqueue: testWorkqueue,
          retry: fastBackendRetries,
          listing: { minRefreshMs: 20, refreshMsPerPage: 0 },
        }),
    );
    const keys = Array.from({ length: 80 }, (_, i) => `key-${i}`);
    let seq = 0;
    const lastEnqueue = new Map<string, number>();
    const lastStart = new Map<string, number>();
    const running = new Set<string>();
    let overlaps = 0;
    let errors = 0;

    fx.emulator.setFaults({ errorRate: 0.1, errorStatuses: [503], dropRate: 0.01 });
    const enqueueAll = async (from: GcsBackend) => {
      for (const key of keys) {
        lastEnqueue.set(key, ++seq);
        await persist(() => from.enqueue({ key }));
      }
    };
    let enqueuing = true;
    const enqueuers = Promise.all([enqueueAll(backends[1]!), enqueueAll(backends[2]!)]).finally(
      () => {
        enqueuing = false;
      },
    );

    const covered = () => keys.every((k) => (lastStart.get(k) ?? 0) > (lastEnqueue.get(k) ?? 0));
    const worker = async (b: GcsBackend, owner: string) => {
      for (let idle = 0; idle < 400 && (enqueuing || !covered());) {
        let listed;
        try {
          listed = (await b.listEligible(10)).keys;
        } catch {
          errors++;
          continue;
        }
        if (listed.length === 0) idle++;
        for (const k of listed) {
          let owned;
          try {
            owned = await b.start(k, owner);
          } catch {
            errors++; // its copy may have landed: the lease expires and a sweep gives it back
            continue;
          }
          if (!owned) continue;
          if (running.has(k.key)) overlaps++;
          running.add(k.key);
          lastStart.set(k.key, ++seq);
          await new Promise((r) => setTimeout(r, 1));
          running.delete(k.key);
          try {
            await persist(() => owned.complete());
          } catch {
            errors++;
          }
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    const sweeper = async () => {
      // Keys whose owner call failed mid-way (a start whose copy landed but whose answer never
      // came) sit in progress until their lease expires; when progress stalls, let the leases
      // expire and sweep, as a dispatcher's periodic sweep would.
      let progress = -1;
      while (enqueuing || !covered()) {
        await new Promise((r) => setTimeout(r, 250));
        if (seq !== progress) {
          progress = seq;
          continue;
        }
        await clock.advance(leaseMs + 1);
        await backends[2]!.sweepOrphans().catch(() => errors++);
      }
    };
    await Promise.all([
      enqueuers,
      sweeper(),
      ...backends.flatMap((b, i) => [worker(b, `owner-${i}a`), worker(b, `owner-${i}b`)]),
    ]);
    fx.emulator.setFaults({});

    expect(keys.filter((k) => !((lastStart.get(k) ?? 0) > (lastEnqueue.get(k) ?? 0)))).toEqual([]);
    expect(overlaps).toBe(0);
    const faults = fx.emulator.counters();
    expect(faults.rejected).toBeGreaterThan(0);
    // Drain what is left (twins of the second enqueue, orphans), then the store must be empty.
    for (let round = 0; round < 10; round++) {
      await clock.advance(leaseMs + 1);
      await backends[0]!.sweepOrphans();
      for (const k of (await backends[0]!.listEligible(1000)).keys)
        await (await backends[0]!.start(k, 'drain'))?.complete();
    }
    expect(await backends[0]!.stats()).toMatchObject({ queued: 0, inProgress: 0, deadLettered: 0 });
    for (const b of backends) await b.close();
  });
});
