import type { EnqueuePort, InspectPort } from '@recon/core';
import { BackPressureError } from '../errors.ts';

/**
 * A queue bound: a NEW key beyond `limit` queued keys is refused with BackPressureError (a merge
 * into a queued copy always fits). Check-then-enqueue runs one at a time, so two callers can
 * never both take the last place. Without a limit, writes pass straight through.
 */
export class BoundedEnqueue {
  readonly #queue: EnqueuePort & InspectPort;
  readonly #limit: number | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(queue: EnqueuePort & InspectPort, limit: number | undefined) {
    this.#queue = queue;
    this.#limit = limit;
  }

  /** Runs `write` once `key` is known to fit. */
  run<T>(key: string, write: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#limit === undefined) return write();
    const limit = this.#limit;
    const guarded = async () => {
      const state = await this.#queue.getKeyState(key, signal);
      if (state?.status !== 'QUEUED') {
        const { queued } = await this.#queue.stats(signal);
        if (queued >= limit) throw new BackPressureError(key, { limit });
      }
      return write();
    };
    const result = this.#tail.then(guarded, guarded);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
