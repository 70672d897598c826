/** How long the dispatcher's listing of `queued/` takes as the queue deepens. */
import { Storage } from '@google-cloud/storage';
import { GcsBackend } from '@recon/workqueue-gcs';
import { deepQueue } from './lib/deep-queue.ts';
import { median } from './lib/stats.ts';
import type { Benchmark, Figure } from './lib/types.ts';

export const listingBench: Benchmark = {
  id: 'listing',
  title: 'Listing latency against queue depth',
  method:
    'One bucket on a standalone emulator process, filled through the GCS backend by two filler ' +
    'processes to 1,000, then 10,000, then 100,000 queued keys. At each depth a fresh ' +
    '`GcsBackend` answers `listEligible(80)` (what a dispatch pass with concurrency 20 asks for): ' +
    'its first call lists the whole `queued/` prefix in pages of 1,000 (cold), the next one is ' +
    'served from the snapshot (warm; the dispatcher then re-lists at most every ' +
    'max(1 s, 100 ms × pages), in the background). Median of 3 repetitions per depth. A Go ' +
    'dispatcher lists the whole bucket — queued, in-progress and dead-letter — on every pass.',
  runs: 1,
  async run({ quick, workDir, progress }) {
    const queue = await deepQueue(workDir);
    const storage = new Storage({ apiEndpoint: queue.emulator.url, projectId: 'bench' });
    const depths = quick ? [1000, 10_000] : [1000, 10_000, 100_000];
    const figures: Figure[] = [];
    const notes: string[] = [];
    for (const depth of depths) {
      const label = depth.toLocaleString('en-US');
      progress(`filling to ${label} keys`);
      const rate = await queue.fillTo(depth);
      if (Number.isFinite(rate))
        notes.push(`Filled to ${label} keys at ${rate.toFixed(0)} enqueues/s.`);
      const cold: number[] = [];
      const warm: number[] = [];
      let pages = 0;
      for (let rep = 0; rep < 3; rep++) {
        const backend = new GcsBackend({ storage, bucket: queue.bucket });
        const before = await queue.emulator.counters();
        let t = performance.now();
        const first = await backend.listEligible(80);
        cold.push(performance.now() - t);
        const after = await queue.emulator.counters();
        pages =
          (after.byOperation['objects.list'] ?? 0) - (before.byOperation['objects.list'] ?? 0);
        if (first.counts?.queued !== depth) {
          throw new Error(`listing saw ${first.counts?.queued} queued keys, expected ${depth}`);
        }
        t = performance.now();
        await backend.listEligible(80);
        warm.push(performance.now() - t);
        await backend.close();
      }
      figures.push(
        {
          id: `cold-${depth}`,
          label: `full listing of ${label} queued keys (${pages} list calls)`,
          value: median(cold),
          unit: 'ms',
          digits: 1,
        },
        {
          id: `warm-${depth}`,
          label: `pass served from the snapshot, ${label} queued`,
          value: median(warm),
          unit: 'ms',
          digits: 2,
        },
      );
    }
    return { figures, notes };
  },
};
