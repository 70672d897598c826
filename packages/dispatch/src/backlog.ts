import type { QueuedKey } from '@recon/core';

/**
 * The candidates the last listing returned beyond what its pass could start.
 *
 * A pass lists more keys than it has free slots; the surplus waits here and fills slots as
 * attempts end, so a busy instance keeps `concurrency` attempts running between passes instead of
 * idling until the next period. Entries may go stale (another dispatcher started the key, or it
 * was re-enqueued and its version changed): `start` is atomic and fenced to the listed version, so
 * a stale entry costs one failed start, never a double run. The next pass replaces the whole
 * backlog, which bounds its age by the pass period.
 */
export class Backlog {
  #keys: QueuedKey[] = [];

  get size(): number {
    return this.#keys.length;
  }

  /** Replaces the backlog with a fresh listing, in dispatch order. */
  replace(keys: readonly QueuedKey[]): void {
    this.#keys = [...keys];
  }

  /** The next candidate in dispatch order, skipping keys `busy` says are already running here. */
  take(busy: (key: string) => boolean): QueuedKey | undefined {
    for (;;) {
      const next = this.#keys.shift();
      if (next === undefined || !busy(next.key)) return next;
    }
  }

  clear(): void {
    this.#keys = [];
  }
}
