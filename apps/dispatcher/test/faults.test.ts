/**
 * Storage faults: the emulator answers 10% of all requests with 503 and delays every one, for
 * the receiver and for two dispatchers on one bucket alike. 100 keys enqueued through the
 * receiver (twice each, the second time while processing): nothing is lost, nothing runs twice
 * at once, and the queue drains.
 */
import { describe, expect, it } from 'vitest';
import { useCleanup } from './support/cleanup.ts';
import { startTestDispatcher } from './support/dispatcher.ts';
import {
  clientRetries,
  eagerListing,
  fastBackendRetries,
  noClientRetries,
  useGcs,
} from './support/gcs.ts';
import { startGoReconciler } from './support/go-reconciler.ts';
import { enqueueRounds, keysNotRunAfterLastEnqueue } from './support/load.ts';
import { startTestReceiver } from './support/receiver.ts';
import { eventually } from './support/wait.ts';

const gcs = useGcs();
const cleanup = useCleanup();

describe('under injected storage faults', () => {
  it(
    '10% 503s and latency: 100 keys, none lost, none run twice at once',
    { timeout: 90_000 },
    async () => {
      const bucket = gcs.bucket();
      const reconciler = await startGoReconciler({ workMs: () => Math.random() * 10 });
      cleanup(() => reconciler.close());
      // One dispatcher relies on the storage client's own retries as well, one on the backend's only.
      for (const [i, retryOptions] of [clientRetries, noClientRetries].entries()) {
        const dispatcher = await startTestDispatcher({
          queue: gcs.backend(bucket, {
            storage: gcs.storage(retryOptions),
            retry: fastBackendRetries,
            listing: eagerListing,
          }),
          target: reconciler.url,
          owner: `dsp-${i}`,
          concurrency: 8,
        });
        cleanup(() => dispatcher.close());
      }
      const receiver = await startTestReceiver(
        gcs.backend(bucket, { storage: gcs.storage(noClientRetries) }),
      );
      cleanup(() => receiver.close());

      gcs.emulator.setFaults({ errorRate: 0.1, errorStatuses: [503], latencyMs: 3 });
      cleanup(() => gcs.emulator.setFaults({}));
      // The faults are real: a client without retries sees them.
      const probe = gcs.storage(noClientRetries).bucket(bucket).file('probe');
      const probes = await Promise.allSettled(Array.from({ length: 100 }, () => probe.exists()));
      expect(probes.filter((p) => p.status === 'rejected').length).toBeGreaterThan(0);
      const keys = Array.from({ length: 100 }, (_, i) => `faulty/${i}`);
      const lastSent = await enqueueRounds(receiver, keys, { rounds: 2, workers: 8 });

      const uncovered = () => keysNotRunAfterLastEnqueue(reconciler, keys, lastSent);
      await eventually(() => uncovered().length === 0, {
        timeoutMs: 60_000,
        intervalMs: 100,
        what: 'every key reconciled after its last enqueue',
      });
      await eventually(
        async () => reconciler.active.size === 0 && (await gcs.objects(bucket)).length === 0,
        {
          timeoutMs: 30_000,
          intervalMs: 200,
          what: 'the queue to drain',
        },
      );
      expect(reconciler.overlaps).toEqual([]);
    },
  );
});
