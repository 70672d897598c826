/**
 * Exclusion across instances (spec 01, scenario 23) with the deployed parts: three dispatchers,
 * each with its own GcsBackend and storage client, on one bucket; 200 keys each enqueued five
 * times through the receiver while they are being processed. The reconciler records every call's
 * interval: no key may ever be in two reconciles at once, and each key's last enqueue must be
 * followed by a reconcile that started after it.
 */
import { describe, expect, it } from 'vitest';
import { useCleanup } from './support/cleanup.ts';
import { startTestDispatcher } from './support/dispatcher.ts';
import { useGcs } from './support/gcs.ts';
import { startGoReconciler, type CallRecord } from './support/go-reconciler.ts';
import { enqueueRounds, keysNotRunAfterLastEnqueue } from './support/load.ts';
import { startTestReceiver } from './support/receiver.ts';
import { eventually } from './support/wait.ts';

const gcs = useGcs();
const cleanup = useCleanup();

/** Keys whose calls overlap in time, from the recorded intervals. */
function overlappingKeys(calls: readonly CallRecord[]): string[] {
  const byKey = new Map<string, CallRecord[]>();
  for (const c of calls) byKey.set(c.request.key, [...(byKey.get(c.request.key) ?? []), c]);
  const bad: string[] = [];
  for (const [key, list] of byKey) {
    const sorted = [...list].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      if (prev && (prev.end === undefined || (sorted[i]?.start ?? 0) < prev.end)) bad.push(key);
    }
  }
  return bad;
}

describe('three dispatchers on one bucket', () => {
  it(
    '200 keys × 5 enqueues while processing: never two reconciles of a key at once, none missed',
    { timeout: 90_000 },
    async () => {
      const bucket = gcs.bucket();
      const reconciler = await startGoReconciler({ workMs: () => Math.random() * 20 });
      cleanup(() => reconciler.close());
      const dispatchers = [];
      for (let i = 0; i < 3; i++) {
        // Production listing (a snapshot refreshed at most once a second), own client per instance.
        const dispatcher = await startTestDispatcher({
          queue: gcs.backend(bucket),
          target: reconciler.url,
          concurrency: 10,
          owner: `dsp-${i}`,
          dispatchPeriodMs: 100,
        });
        cleanup(() => dispatcher.close());
        dispatchers.push(dispatcher);
      }
      const receiver = await startTestReceiver(gcs.backend(bucket));
      cleanup(() => receiver.close());

      const keys = Array.from({ length: 200 }, (_, i) => `repo-${i % 7}/pull/${i}`);
      const lastSent = await enqueueRounds(receiver, keys, {
        rounds: 5,
        workers: 16,
        shuffle: true,
      });

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
          intervalMs: 100,
          what: 'the queue to drain',
        },
      );

      expect(reconciler.overlaps).toEqual([]);
      expect(overlappingKeys(reconciler.calls)).toEqual([]);
      expect(uncovered()).toEqual([]);
      expect(reconciler.calls.length).toBeGreaterThanOrEqual(200);
      expect(reconciler.calls.length).toBeLessThanOrEqual(1000);
      // All three took part.
      for (const d of dispatchers) {
        const values = (await d.metrics.outcomes.get()).values;
        expect(values.find((v) => v.labels['outcome'] === 'success')?.value ?? 0).toBeGreaterThan(
          0,
        );
      }
    },
  );
});
