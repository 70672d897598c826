import type { Clock } from '@recon/core';

/** What a reconciler sees as `ctx.limiter`. */
export interface ActionLimiter {
  /**
   * Waits until the named action may run again (its minimum interval since the last one has
   * passed), then claims the slot. Actions without a configured interval pass at once.
   * Rejects with the signal's reason when aborted.
   */
  wait(action: string, signal?: AbortSignal): Promise<void>;
}

/** Per-action minimum intervals, shared by every reconcile of one runtime. */
export class IntervalLimiter implements ActionLimiter {
  readonly #intervals: ReadonlyMap<string, number>;
  readonly #clock: Clock;
  readonly #nextAt = new Map<string, number>();

  constructor(minIntervalMs: Readonly<Record<string, number>>, clock: Clock) {
    this.#intervals = new Map(Object.entries(minIntervalMs));
    this.#clock = clock;
  }

  async wait(action: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const interval = this.#intervals.get(action);
    if (interval === undefined || interval <= 0) return;
    const now = this.#clock.now();
    const slot = Math.max(now, this.#nextAt.get(action) ?? now);
    this.#nextAt.set(action, slot + interval);
    if (slot > now) await this.#clock.sleep(slot - now, signal);
    signal?.throwIfAborted();
  }
}

/** A limiter that never waits. */
export const unlimited: ActionLimiter = {
  async wait(_action, signal) {
    signal?.throwIfAborted();
  },
};
