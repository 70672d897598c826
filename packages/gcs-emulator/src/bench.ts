// benchEmulator: requests per second through the emulator with the real @google-cloud/storage
// client over loopback, for `npm run bench`. Returns numbers; prints nothing.

import type { Storage } from '@google-cloud/storage';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGcsEmulator } from './emulator.ts';

export interface BenchOptions {
  /** Total run time, split evenly over the four phases. Default 8. */
  readonly seconds?: number;
  /** Requests in flight. Default 16. */
  readonly concurrency?: number;
  /** Persist to a fresh temp directory (measures the disk path too). Default false. */
  readonly persist?: boolean;
  /** Bench an emulator that is already running (e.g. a separate process) instead of starting one. */
  readonly url?: string;
}

export interface PhaseResult {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
}

export interface BenchResult {
  readonly concurrency: number;
  readonly persist: boolean;
  /** `save()` of empty objects, `{resumable:false}`, `ifGenerationMatch: 0`. */
  readonly create: PhaseResult;
  /** `setMetadata()` with `ifMetagenerationMatch` on the created objects. */
  readonly patch: PhaseResult;
  /** `delete()` with `ifGenerationMatch` of the created objects. */
  readonly delete: PhaseResult;
  /**
   * A workqueue key's life: create queued/k, patch it, copy to in-progress/k (ifGenerationMatch 0),
   * delete queued/k and in-progress/k — five requests per key.
   */
  readonly lifecycle: PhaseResult & { readonly keysPerSecond: number };
}

interface Created {
  readonly name: string;
  generation: number;
  metageneration: number;
}

/** Runs `op` on `concurrency` workers until the time is up; `op` returns requests made, or undefined when out of work. */
async function runPhase(
  seconds: number,
  concurrency: number,
  op: (worker: number) => Promise<number | undefined>,
): Promise<PhaseResult> {
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let requests = 0;
  let errors = 0;
  const worker = async (w: number): Promise<void> => {
    while (performance.now() < deadline) {
      try {
        const n = await op(w);
        if (n === undefined) return; // this worker ran out of work
        requests += n;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  return { requests, errors, seconds: elapsed, requestsPerSecond: requests / elapsed };
}

export async function benchEmulator(options: BenchOptions = {}): Promise<BenchResult> {
  const seconds = options.seconds ?? 8;
  const concurrency = options.concurrency ?? 16;
  const persist = options.persist ?? false;
  const dataDir =
    persist && !options.url ? await mkdtemp(join(tmpdir(), 'gcs-emulator-bench-')) : undefined;
  const emulator = options.url ? undefined : await startGcsEmulator(dataDir ? { dataDir } : {});
  // Loaded lazily so importing this package does not load the client library.
  const { Storage: StorageClass } = await import('@google-cloud/storage');
  const storage: Storage = new StorageClass({
    apiEndpoint: options.url ?? emulator!.url,
    projectId: 'bench',
  });
  const bucket = storage.bucket(`bench-${Date.now().toString(36)}`);
  const phase = seconds / 4;
  try {
    // Untimed warm-up: JIT, connection pool, lazy parts of the client.
    let warm = 0;
    await runPhase(Math.min(0.5, phase / 4), concurrency, async () => {
      await bucket.file(`warm-up/${warm++}`).save('', { resumable: false });
      return 1;
    });
    const created: Created[] = [];
    let seq = 0;
    const create = await runPhase(phase, concurrency, async () => {
      const name = `bench/${seq++}`;
      const file = bucket.file(name);
      await file.save('', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
      created.push({ name, generation: Number(file.metadata.generation), metageneration: 1 });
      return 1;
    });

    // Each worker patches its own slice, so metageneration preconditions never collide.
    const slices = Array.from({ length: concurrency }, (_, w) =>
      created.filter((_, i) => i % concurrency === w),
    );
    const turn = new Array<number>(concurrency).fill(0);
    const patch = await runPhase(phase, concurrency, async (w) => {
      const mine = slices[w]!;
      if (mine.length === 0) return undefined;
      const c = mine[turn[w]!++ % mine.length]!;
      const [meta] = await bucket
        .file(c.name)
        .setMetadata(
          { metadata: { attempts: String(turn[w]) } },
          { ifMetagenerationMatch: c.metageneration },
        );
      c.metageneration = Number(meta.metageneration);
      return 1;
    });

    const toDelete = [...created];
    const del = await runPhase(phase, concurrency, async () => {
      const c = toDelete.pop();
      if (!c) return undefined;
      await bucket.file(c.name).delete({ ifGenerationMatch: c.generation });
      return 1;
    });

    let key = 0;
    const life = await runPhase(phase, concurrency, async () => {
      const k = `key-${key++}`;
      const queued = bucket.file(`queued/${k}`);
      await queued.save('', {
        resumable: false,
        preconditionOpts: { ifGenerationMatch: 0 },
        metadata: { metadata: { priority: '00000001' } },
      });
      const [patched] = await queued.setMetadata(
        { metadata: { 'not-before': '0001-01-01T00:00:00Z' } },
        { ifMetagenerationMatch: 1 },
      );
      const inProgress = bucket.file(`in-progress/${k}`);
      await queued.copy(inProgress, {
        preconditionOpts: { ifGenerationMatch: 0 },
        metadata: { owner: 'bench' },
      });
      await queued.delete({
        ifGenerationMatch: Number(patched.generation),
        ifMetagenerationMatch: Number(patched.metageneration),
      });
      await inProgress.delete();
      return 5;
    });

    return {
      concurrency,
      persist,
      create,
      patch,
      delete: del,
      lifecycle: { ...life, keysPerSecond: life.requestsPerSecond / 5 },
    };
  } finally {
    await emulator?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}
