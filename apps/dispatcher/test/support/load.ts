import type { CallRecord } from './go-reconciler.ts';
import type { TestReceiver } from './receiver.ts';

/**
 * Enqueues every key `rounds` times through the receiver with `workers` concurrent senders,
 * recording when each key was last sent: the moment a later reconcile must start after.
 */
export async function enqueueRounds(
  receiver: TestReceiver,
  keys: readonly string[],
  options: { rounds: number; workers: number; shuffle?: boolean },
): Promise<Map<string, number>> {
  const lastSent = new Map<string, number>();
  for (let round = 0; round < options.rounds; round++) {
    const order = options.shuffle ? [...keys].sort(() => Math.random() - 0.5) : keys;
    let next = 0;
    await Promise.all(
      Array.from({ length: options.workers }, async () => {
        while (next < order.length) {
          const key = order[next++] as string;
          lastSent.set(key, Date.now());
          await receiver.enqueue(key);
        }
      }),
    );
  }
  return lastSent;
}

/** Keys with no reconcile that started after their last enqueue (level-based: must be none). */
export function keysNotRunAfterLastEnqueue(
  reconciler: { callsOf(key: string): readonly CallRecord[] },
  keys: readonly string[],
  lastSent: ReadonlyMap<string, number>,
): string[] {
  return keys.filter(
    (k) => !reconciler.callsOf(k).some((c) => c.start > (lastSent.get(k) ?? Infinity)),
  );
}
