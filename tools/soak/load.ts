/**
 * The load generator: workers that pick a key (often a hot one, so enqueues land on queued and
 * running keys alike), bump its world version, and enqueue it through the receiver until the
 * receiver acknowledges. Bounded: each worker stops at `signal`, after its enqueue in hand.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkqueueClient } from '@recon/proto';
import { between, type Random } from './random.ts';

export interface LoadOptions {
  client: WorkqueueClient;
  keys: readonly string[];
  /** Written: key → world version (the reconciler reads it). */
  world: Map<string, number>;
  /** Written: key → the highest version whose enqueue the receiver acknowledged. */
  acked: Map<string, number>;
  workers: number;
  random: Random;
  /** Ends the load phase. */
  signal: AbortSignal;
  /** Gives up an enqueue still failing after this long (the soak is then failing anyway). */
  enqueueGiveUpMs: number;
}

export interface LoadStats {
  enqueues: number;
  /** Enqueue calls that failed and were retried (receiver UNAVAILABLE after its own retries). */
  retried: number;
  /** Enqueues never acknowledged (their versions are not required by the audit). */
  abandoned: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadStats> {
  const stats: LoadStats = { enqueues: 0, retried: 0, abandoned: 0 };
  const { random, keys } = options;
  const hot = Math.min(50, keys.length);
  const pick = () =>
    keys[Math.floor(random() < 0.3 ? random() * hot : random() * keys.length)] ?? keys[0]!;

  const enqueue = async (key: string) => {
    const version = (options.world.get(key) ?? 0) + 1;
    options.world.set(key, version);
    const priority = random() < 0.2 ? Math.floor(random() * 5) : 0;
    const delaySeconds = random() < 0.1 ? 1 : 0;
    const giveUpAt = performance.now() + options.enqueueGiveUpMs;
    for (;;) {
      try {
        await options.client.enqueue({ key, priority, delaySeconds });
        options.acked.set(key, Math.max(options.acked.get(key) ?? 0, version));
        stats.enqueues++;
        return;
      } catch {
        if (performance.now() > giveUpAt) {
          stats.abandoned++;
          return;
        }
        stats.retried++;
        await sleep(250);
      }
    }
  };

  await Promise.all(
    Array.from({ length: options.workers }, async () => {
      while (!options.signal.aborted) {
        await enqueue(pick());
        await sleep(between(random, 20, 400), undefined, { signal: options.signal }).catch(
          () => undefined,
        );
      }
    }),
  );
  return stats;
}
