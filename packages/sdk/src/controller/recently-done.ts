import type { Clock } from '@recon/core';

/** Remembers when keys last succeeded, for `windowMs`, so a repeat right after can be skipped. */
export class RecentlyDone {
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #at = new Map<string, number>();

  constructor(windowMs: number, clock: Clock) {
    this.#windowMs = windowMs;
    this.#clock = clock;
  }

  get enabled(): boolean {
    return this.#windowMs > 0;
  }

  record(key: string): void {
    if (!this.enabled) return;
    const now = this.#clock.now();
    this.#at.delete(key); // re-insert: the map stays ordered by success time
    this.#at.set(key, now);
    for (const [k, t] of this.#at) {
      if (now - t < this.#windowMs) break;
      this.#at.delete(k);
    }
  }

  /** True when `key` succeeded less than the window ago. */
  has(key: string): boolean {
    const t = this.#at.get(key);
    return t !== undefined && this.#clock.now() - t < this.#windowMs;
  }
}
