import type { EligibleListing, OwnedKey, QueuedKey } from '@recon/core';
import { Admission } from './admission.ts';
import { Alarm } from './alarm.ts';
import { Attempt } from './attempt.ts';
import { Backlog } from './backlog.ts';
import { ListSize } from './list-size.ts';
import { ShuttingDownError } from './errors.ts';
import { resolveDispatchOptions } from './options.ts';
import type { ResolvedDispatchOptions } from './options.ts';
import { runPass } from './pass.ts';
import type { PassContext } from './pass.ts';
import { safeEvents } from './safe-events.ts';
import type { SafeEvents } from './safe-events.ts';
import { Slots } from './slots.ts';
import { startFromBacklog } from './starter.ts';
import { OrphanSweeper } from './sweep.ts';
import type { DispatchLoopHandle, DispatchLoopOptions, WakeReason } from './types.ts';

/**
 * Creates a dispatch loop over a queue. Nothing runs until `start()`. Throws ConfigError listing
 * every bad option.
 */
export function createDispatchLoop(options: DispatchLoopOptions): DispatchLoopHandle {
  return new DispatchLoop(resolveDispatchOptions(options));
}

type State = 'new' | 'running' | 'stopping' | 'stopped';

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
}

/**
 * Wires admission, passes, the backlog, attempts and timers together, and owns the lifecycle.
 * Each of those lives in its own file; this one only decides when they run.
 */
class DispatchLoop implements DispatchLoopHandle {
  readonly #o: ResolvedDispatchOptions;
  readonly #events: SafeEvents;
  /** Aborted by stop({ drain: false }): every storage call and wait gives up, nothing is written. */
  readonly #crash = new AbortController();
  readonly #slots: Slots;
  readonly #backlog = new Backlog();
  readonly #attempts = new Set<Attempt>();
  readonly #admission: Admission;
  readonly #sweeper: OrphanSweeper;
  /** Fallback: a pass `pollIntervalMs` after the last one, whatever the triggers do. */
  readonly #pollAlarm: Alarm;
  /** The earliest future notBefore the last listing reported. */
  readonly #notBeforeAlarm: Alarm;
  /** The next orphan sweep. */
  readonly #sweepAlarm: Alarm;
  readonly #pass: PassContext;
  #state: State = 'new';
  /** The latest pass listed successfully and found nothing eligible. */
  #lastListingEmpty = false;
  /** The latest listing hit its limit: more keys were eligible than it returned. */
  #lastListingFull = false;
  #waiters: Waiter[] = [];
  #stopped: Promise<void> | undefined;

  constructor(options: ResolvedDispatchOptions) {
    this.#o = options;
    this.#events = safeEvents(options.events);
    this.#slots = new Slots(options.concurrency);
    const { clock } = options;
    this.#admission = new Admission({
      clock,
      periodMs: options.dispatchPeriodMs,
      runPass: () => this.#runPass(),
      onPassEnd: () => this.#changed(),
    });
    this.#sweeper = new OrphanSweeper({
      queue: options.queue,
      clock,
      periodMs: options.orphanSweepPeriodMs,
      events: this.#events,
      signal: this.#crash.signal,
    });
    this.#pollAlarm = new Alarm(clock, () => this.#request('poll'));
    this.#notBeforeAlarm = new Alarm(clock, () => this.#request('timer'));
    this.#sweepAlarm = new Alarm(clock, () => this.#request('timer'));
    this.#pass = {
      queue: options.queue,
      owner: options.owner,
      slots: this.#slots,
      backlog: this.#backlog,
      events: this.#events,
      signal: this.#crash.signal,
      clock,
      listSize: new ListSize(options.initialListSize, options.listLimit),
      batchSize: options.batchSize,
      sweeper: this.#sweeper,
      admitting: () => this.#state === 'running',
      launch: (owned, candidate) => this.#launch(owned, candidate),
      released: () => this.#changed(),
      onListing: (listing) => this.#onListing(listing),
    };
  }

  get inFlight(): number {
    return this.#slots.reserved;
  }

  start(): void {
    if (this.#state !== 'new') return;
    this.#state = 'running';
    // The first pass is not a trigger: it is not reported through onTrigger.
    this.#admission.request();
  }

  wake(reason: WakeReason): 'accepted' | 'shed' {
    // A wake from outside announces keys this instance has not seen: the next pass must list
    // afresh, or a snapshot taken just before the enqueue would hide the key until the poll.
    if (reason === 'notification' || reason === 'scheduler' || reason === 'local') {
      this.#o.queue.invalidateListing?.();
    }
    return this.#request(reason);
  }

  stop(options: { drain?: boolean } = {}): Promise<void> {
    const drain = options.drain ?? true;
    if (this.#state === 'new' || this.#state === 'running') {
      this.#state = 'stopping';
      this.#admission.stop();
      this.#pollAlarm.disarm();
      this.#notBeforeAlarm.disarm();
      this.#sweepAlarm.disarm();
      this.#backlog.clear();
    }
    // A crash may follow a drain that takes too long: it cuts the drain short.
    if (!drain) this.#crash.abort(new ShuttingDownError());
    for (const attempt of this.#attempts) attempt.shutdown();
    this.#stopped ??= this.#waitFor(
      () => this.#slots.reserved === 0 && this.#admission.running === undefined,
    ).then(() => {
      this.#state = 'stopped';
    });
    this.#changed();
    return this.#stopped;
  }

  idle(): Promise<void> {
    return this.#waitFor(() => this.#isIdle());
  }

  #isIdle(): boolean {
    switch (this.#state) {
      case 'new':
        return false;
      case 'running':
        return (
          this.#slots.reserved === 0 &&
          this.#backlog.size === 0 &&
          !this.#admission.busy &&
          this.#lastListingEmpty
        );
      default:
        return this.#slots.reserved === 0 && this.#admission.running === undefined;
    }
  }

  /** A wake from outside or from our own timers and slots, through admission. */
  #request(reason: WakeReason): 'accepted' | 'shed' {
    const result = this.#state === 'running' ? this.#admission.request() : 'shed';
    this.#events.onTrigger({ reason, result });
    return result;
  }

  async #runPass(): Promise<void> {
    if (this.#state !== 'running') return;
    const { clock } = this.#o;
    this.#pollAlarm.armAt(clock.now() + this.#o.pollIntervalMs);
    const report = await runPass(this.#pass);
    this.#lastListingEmpty = report.ok && report.listed === 0;
    this.#lastListingFull = report.full;
    if (this.#state !== 'running') return;
    this.#sweepAlarm.armAt(this.#sweeper.nextDueAt);
    // Slots left free while more work is known (batchSize < free slots, or a full listing all
    // started or lost to other dispatchers): ask for the next pass rather than wait for a trigger.
    if (this.#slots.free > 0 && (this.#backlog.size > 0 || report.full)) {
      if (this.#backlog.size === 0) this.#pass.listSize.ranDry();
      this.#request('slot');
    }
  }

  #onListing(listing: EligibleListing): void {
    if (listing.nextNotBefore === undefined) this.#notBeforeAlarm.disarm();
    else this.#notBeforeAlarm.armAt(listing.nextNotBefore);
    if (listing.counts) this.#events.onCounts(listing.counts);
  }

  /** Runs an attempt for a key `start` gave us; the attempt holds the slot until it ends. */
  #launch(owned: OwnedKey, candidate: QueuedKey): void {
    if (this.#crash.signal.aborted) {
      // Crashed while starting: walk away without a write; the key is an orphan now.
      this.#free(owned.key);
      return;
    }
    const attempt = new Attempt({
      owned,
      queuedAt: candidate.queuedAt,
      options: this.#o,
      events: this.#events,
      crash: this.#crash.signal,
      draining: this.#state !== 'running',
    });
    this.#attempts.add(attempt);
    void attempt.done.then(() => {
      this.#attempts.delete(attempt);
      this.#free(owned.key);
      this.#slotFreed();
    });
  }

  #free(key: string): void {
    this.#slots.unhold(key);
    this.#slots.release();
    this.#changed();
  }

  /**
   * A slot came free: refill it from the backlog, or ask for a pass. The pass is asked for even
   * when the last listing was not full, because the attempt that just ended may have left a
   * queued twin (enqueued while it ran) that only now became eligible, and nothing else announces
   * that. Admission keeps this to one pass per period however many slots free up.
   */
  #slotFreed(): void {
    if (this.#state !== 'running') return;
    if (this.#backlog.size === 0) {
      if (this.#lastListingFull) this.#pass.listSize.ranDry();
      this.#request('slot');
      return;
    }
    void startFromBacklog(this.#pass, 1)
      .then((started) => {
        if (started === 0 && this.#state === 'running') this.#request('slot');
      })
      .catch((error: unknown) => this.#events.onError({ where: 'start', error }))
      .finally(() => this.#changed());
  }

  #waitFor(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ ready, resolve }));
  }

  /** Something idle() or stop() waits on may have changed. */
  #changed(): void {
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.ready()) waiter.resolve();
      else still.push(waiter);
    }
    this.#waiters = still;
  }
}
