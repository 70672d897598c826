/**
 * GCS operations per processed key, measured on the emulator's counters: fill a queue to `depth`
 * keys, process every key once (list, start, complete) with `concurrency` attempts in flight, and
 * divide the billed operations by the keys. Enqueue, start, completion and the listing share are
 * all included. Returns figures; prints nothing.
 */
import { randomUUID } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import type { QueuedKey } from '@recon/core';
import { GcsBackend } from './gcs-backend.ts';

export interface GcsBenchOptions {
  /** Base URL of a running `@recon/gcs-emulator` (its `/_emulator/counters` is read). */
  emulatorUrl: string;
  /** Keys to queue and process. Default 10 000. */
  depth?: number;
  /** Attempts in flight. Default 20. */
  concurrency?: number;
  /** Parallel enqueues while filling. Default 50. */
  fillConcurrency?: number;
  /** Bucket to use; must be empty. Default: a fresh `bench-<uuid>`. */
  bucket?: string;
}

export interface GcsBenchResult {
  /** Class A (insert, copy, patch, list) per processed key, enqueue included. */
  classAPerKey: number;
  /** Class B (get) per processed key. */
  classBPerKey: number;
  /** Deletes (free) per processed key. */
  deletesPerKey: number;
  /** Keys processed per second, filling excluded. */
  keysPerSecond: number;
  /** Billed operations by JSON API method, per processed key. */
  perKeyByOperation: Record<string, number>;
}

interface Counters {
  classA: number;
  classB: number;
  delete: number;
  byOperation: Record<string, number>;
}

async function readCounters(emulatorUrl: string): Promise<Counters> {
  const response = await fetch(new URL('/_emulator/counters', emulatorUrl));
  if (!response.ok) throw new Error(`GET /_emulator/counters answered ${response.status}`);
  return (await response.json()) as Counters;
}

/** Runs `worker` `n` times concurrently. */
async function pool(n: number, worker: () => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: n }, () => worker()));
}

export async function benchGcsOpsPerKey(options: GcsBenchOptions): Promise<GcsBenchResult> {
  const depth = options.depth ?? 10_000;
  const concurrency = options.concurrency ?? 20;
  const storage = new Storage({ apiEndpoint: options.emulatorUrl, projectId: 'bench' });
  const backend = new GcsBackend({ storage, bucket: options.bucket ?? `bench-${randomUUID()}` });
  try {
    const before = await readCounters(options.emulatorUrl);

    let next = 0;
    await pool(options.fillConcurrency ?? 50, async () => {
      while (next < depth) await backend.enqueue({ key: `key-${String(next++).padStart(6, '0')}` });
    });

    const startedAt = performance.now();
    const done = new Set<string>();
    let backlog: QueuedKey[] = [];
    let refill: Promise<void> | undefined;
    const take = async (): Promise<QueuedKey | undefined> => {
      for (;;) {
        const candidate = backlog.shift();
        if (candidate === undefined) break;
        if (!done.has(candidate.key)) return candidate;
      }
      refill ??= backend
        .listEligible(concurrency * 4)
        .then((listing) => {
          backlog = listing.keys.filter((k) => !done.has(k.key));
        })
        .finally(() => {
          refill = undefined;
        });
      await refill;
      return backlog.shift();
    };
    await pool(concurrency, async () => {
      while (done.size < depth) {
        const candidate = await take();
        if (candidate === undefined) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          continue;
        }
        const owned = await backend.start(candidate, 'bench');
        if (!owned) continue;
        await owned.complete();
        done.add(candidate.key);
      }
    });
    const seconds = (performance.now() - startedAt) / 1000;

    const after = await readCounters(options.emulatorUrl);
    const perKeyByOperation: Record<string, number> = {};
    for (const [op, count] of Object.entries(after.byOperation)) {
      const delta = count - (before.byOperation[op] ?? 0);
      if (delta > 0) perKeyByOperation[op] = delta / depth;
    }
    return {
      classAPerKey: (after.classA - before.classA) / depth,
      classBPerKey: (after.classB - before.classB) / depth,
      deletesPerKey: (after.delete - before.delete) / depth,
      keysPerSecond: depth / seconds,
      perKeyByOperation,
    };
  } finally {
    await backend.close();
  }
}
