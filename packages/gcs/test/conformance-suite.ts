/**
 * The GCS factory for the shared workqueue conformance suite (spec 01, scenarios 1–27):
 * GcsBackend on the GCS emulator with the real storage client. conformance.test.ts runs it clean,
 * conformance-faults.test.ts with 10% 503 answers and 1% dropped connections (half of them after
 * the write was applied); separate files, so they run in parallel.
 *
 * Time. The suite drives a FakeClock; the backend reads it for everything that is queue
 * semantics (notBefore, leases, failure times). Object creation times (`timeCreated`, the FIFO
 * position and the reported queuedAt) come from the store. The factory reconciles the two by
 * giving the emulator the test's clock as its wall clock (`now`), so the store stamps objects in
 * the same fake time the suite reasons in (scenario 21 checks queuedAt against it). FIFO stays
 * exact even when the fake clock does not move between two creates: the backend breaks creation
 * time ties by generation, which the store keeps strictly increasing. On real GCS both clocks are
 * real time and the same rules hold.
 *
 * Every test gets a fresh bucket on one emulator per run; `reopen` is a second backend instance
 * (its own caches) on the same bucket. The instances list `queued/` whenever their snapshot is
 * stale at all (`minRefreshMs: 0`), so each sees the others' writes on its next pass, which the
 * multi-instance scenarios check without delay; the default (1 s) trades that for listing cost.
 * conformance-window.test.ts runs the suite with a snapshot of 2 keys listed 2 per page, so
 * every scenario with more keys goes through the bounded window and paging.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { runConformanceSuite } from '@recon/conformance';
import { startGcsEmulator } from '@recon/gcs-emulator';
import type { FaultOptions, GcsEmulator } from '@recon/gcs-emulator';
import type { Storage } from '@google-cloud/storage';
import type { Clock } from '@recon/core';
import { GcsBackend, type ListingOptions } from '../src/index.ts';
import { fastBackendRetries, freshBucket, storageFor } from './emulator.ts';

export function gcsConformance(
  name: string,
  faults: FaultOptions | undefined,
  retryOptions: object,
  listing: Partial<ListingOptions> = {},
): void {
  describe(name, () => {
    let emulator: GcsEmulator | undefined;
    let storage: Storage | undefined;
    let clock: Clock | undefined;
    let bucket = '';
    beforeAll(async () => {
      emulator = await startGcsEmulator({
        port: 0,
        seed: 20_26,
        now: () => clock?.now() ?? Date.now(),
      });
      storage = storageFor(emulator.url, retryOptions);
      if (faults) emulator.setFaults(faults);
    });
    afterAll(async () => {
      await emulator?.close();
    });

    const open = (ctx: { clock: Clock; options: GcsBackend['options']['workqueue'] }) =>
      new GcsBackend({
        storage: storage!,
        bucket,
        clock: ctx.clock,
        workqueue: ctx.options,
        retry: fastBackendRetries,
        listing: { minRefreshMs: 0, refreshMsPerPage: 0, ...listing },
      });

    runConformanceSuite(name, {
      durable: true,
      create: async (ctx) => {
        clock = ctx.clock;
        bucket = freshBucket();
        return open(ctx);
      },
      reopen: async (ctx) => open(ctx),
    });
  });
}
