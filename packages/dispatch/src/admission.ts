import type { Clock } from '@recon/core';
import { wait } from './wait.ts';

export type AdmissionResult = 'accepted' | 'shed';

export interface AdmissionOptions {
  clock: Clock;
  /** At most one pass starts per period. */
  periodMs: number;
  /** Runs one pass. Never rejects (the loop reports its own errors). */
  runPass: () => Promise<void>;
  /** Called after each pass once `busy` reflects its end (idle waiters re-check then). */
  onPassEnd?: () => void;
}

/**
 * Admission: at most one pass per period, never two at once.
 *
 * Triggers are cheap and bursty (one Pub/Sub push per enqueued object, a scheduler tick, every
 * freed slot), while a pass costs a listing of the whole queued prefix. So a request when the
 * last pass started at least a period ago and none is running runs a pass at once; any other
 * request is folded into ONE pending pass that starts when the period ends (or when the running
 * pass ends, whichever is later). The request that creates the pending pass is `accepted` (it
 * caused a pass); requests that find a pass already pending add nothing and are `shed` — Go's
 * `workqueue_dispatch_triggers_total{result="shed"}`.
 *
 * Nothing is lost by shedding: the pending pass starts after the shed request arrived, so it sees
 * whatever that request announced.
 */
export class Admission {
  readonly #clock: Clock;
  readonly #periodMs: number;
  readonly #runPass: () => Promise<void>;
  readonly #onPassEnd: () => void;
  #lastStartAt: number | undefined;
  #running: Promise<void> | undefined;
  #pending = false;
  #timer: AbortController | undefined;
  #stopped = false;

  constructor(options: AdmissionOptions) {
    this.#clock = options.clock;
    this.#periodMs = options.periodMs;
    this.#runPass = options.runPass;
    this.#onPassEnd = options.onPassEnd ?? (() => {});
  }

  /** A pass is running or waiting for its period to end. */
  get busy(): boolean {
    return this.#running !== undefined || this.#pending;
  }

  /** The running pass, if any, to wait for on shutdown. */
  get running(): Promise<void> | undefined {
    return this.#running;
  }

  request(): AdmissionResult {
    if (this.#stopped || this.#pending) return 'shed';
    const now = this.#clock.now();
    if (this.#running === undefined && !this.#withinPeriod(now)) {
      this.#start();
      return 'accepted';
    }
    this.#pending = true;
    // While a pass runs, the pending one is scheduled when it ends.
    if (this.#running === undefined) this.#schedulePending();
    return 'accepted';
  }

  /** Admits nothing more and cancels the pending pass; a running pass finishes on its own. */
  stop(): void {
    this.#stopped = true;
    this.#pending = false;
    this.#timer?.abort();
    this.#timer = undefined;
  }

  #withinPeriod(now: number): boolean {
    return this.#lastStartAt !== undefined && now - this.#lastStartAt < this.#periodMs;
  }

  #start(): void {
    this.#lastStartAt = this.#clock.now();
    // runPass reports its own errors; the catch only keeps a broken one from going unhandled.
    const pass = this.#runPass()
      .catch(() => undefined)
      .finally(() => {
        this.#running = undefined;
        if (this.#pending && !this.#stopped) this.#schedulePending();
        this.#onPassEnd();
      });
    this.#running = pass;
  }

  #schedulePending(): void {
    const ctl = new AbortController();
    this.#timer = ctl;
    const delay = (this.#lastStartAt ?? 0) + this.#periodMs - this.#clock.now();
    void wait(this.#clock, delay, ctl.signal).then(() => {
      if (ctl.signal.aborted || this.#stopped) return;
      this.#timer = undefined;
      this.#pending = false;
      this.#start();
    });
  }
}
