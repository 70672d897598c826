import type { Clock, DispatchPort } from '@recon/core';
import type { SafeEvents } from './safe-events.ts';

export interface SweeperOptions {
  queue: DispatchPort;
  clock: Clock;
  periodMs: number;
  events: SafeEvents;
  /** Aborted by a crash stop. */
  signal: AbortSignal;
}

/**
 * Requeues orphans (in-progress copies whose lease expired: a killed dispatcher's keys) at most
 * once per period. The sweep lists the whole in-progress prefix, so it is rate-limited on its own
 * rather than run on every pass; it runs at the start of a pass so the same pass's listing already
 * sees the keys it requeued. On Cloud Run a pass (a trigger) is also what gives the instance CPU,
 * so the scheduler's trigger sweeps even when the loop's own timers were throttled.
 */
export class OrphanSweeper {
  readonly #o: SweeperOptions;
  #lastAt: number | undefined;

  constructor(options: SweeperOptions) {
    this.#o = options;
  }

  /** When the next sweep is due (now, if none ran yet). */
  get nextDueAt(): number {
    return this.#lastAt === undefined ? this.#o.clock.now() : this.#lastAt + this.#o.periodMs;
  }

  /** Sweeps when due; reports through onSweep/onCounts, errors through onError. Never rejects. */
  async sweepIfDue(): Promise<void> {
    const { clock, events, queue, signal } = this.#o;
    if (this.nextDueAt > clock.now()) return;
    this.#lastAt = clock.now();
    try {
      const result = await queue.sweepOrphans(signal);
      events.onSweep(result);
      events.onCounts({ inProgress: result.inProgress, leaseAgesMs: result.leaseAgesMs });
    } catch (error) {
      if (!signal.aborted) events.onError({ where: 'sweep', error });
    }
  }
}
