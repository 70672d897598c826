/**
 * Recently seen `X-GitHub-Delivery` ids: a bounded LRU whose entries also expire. GitHub gives a
 * redelivery (manual, or by an operator's tooling) the id of the original delivery, so a replay
 * within the window is answered `duplicate` and enqueues nothing. Per process: a replay that
 * reaches another replica is enqueued again, which level-based keys absorb.
 */
import { systemClock, type Clock } from '@recon/core';

export interface DeliveryDedupOptions {
  /** Ids remembered at most; the least recently seen go first. Default 10,000. */
  maxEntries?: number;
  /** An id is forgotten after this long (ms). Default 1 h. */
  ttlMs?: number;
  /** Default systemClock. */
  clock?: Clock;
}

export class DeliveryDedup {
  readonly #seen = new Map<string, number>();
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #clock: Clock;

  constructor(options: DeliveryDedupOptions = {}) {
    this.#max = Math.max(1, options.maxEntries ?? 10_000);
    this.#ttlMs = options.ttlMs ?? 60 * 60_000;
    this.#clock = options.clock ?? systemClock;
  }

  /** True when `id` was recorded within the TTL (and marks it recently used). */
  has(id: string): boolean {
    const at = this.#seen.get(id);
    if (at === undefined) return false;
    this.#seen.delete(id);
    if (this.#clock.now() - at >= this.#ttlMs) return false;
    this.#seen.set(id, at);
    return true;
  }

  /** Records `id` as handled now. */
  add(id: string): void {
    this.#seen.delete(id);
    this.#seen.set(id, this.#clock.now());
    while (this.#seen.size > this.#max) {
      const oldest = this.#seen.keys().next().value;
      if (oldest === undefined) break;
      this.#seen.delete(oldest);
    }
  }

  get size(): number {
    return this.#seen.size;
  }
}
