import type { Clock } from '@recon/core';
import { wait } from './wait.ts';

/**
 * A re-armable one-shot timer on the injected clock: arming again replaces the previous time, so
 * the loop can keep "wake me at the next notBefore" or "poll 10 s after the last pass" current
 * without stacking sleepers. A FakeClock therefore drives every timer of the loop.
 */
export class Alarm {
  readonly #clock: Clock;
  readonly #fire: () => void;
  #current: AbortController | undefined;
  #at: number | undefined;

  constructor(clock: Clock, fire: () => void) {
    this.#clock = clock;
    this.#fire = fire;
  }

  /** When the alarm will fire, if armed. */
  get at(): number | undefined {
    return this.#at;
  }

  /** Fires at `at` (Unix ms); a time already past fires on the next microtask. */
  armAt(at: number): void {
    this.disarm();
    const ctl = new AbortController();
    this.#current = ctl;
    this.#at = at;
    void wait(this.#clock, at - this.#clock.now(), ctl.signal).then(() => {
      if (ctl.signal.aborted) return;
      this.#current = undefined;
      this.#at = undefined;
      this.#fire();
    });
  }

  disarm(): void {
    this.#current?.abort();
    this.#current = undefined;
    this.#at = undefined;
  }
}
