/**
 * Polls a LeaderLease and reports transitions. Without a lease the controller is always the
 * leader of term 0. A failed check counts as "not leader": a replica that cannot prove it holds
 * the lease must stop acting.
 */
import type { Clock } from '@recon/core';
import type { LeaderLease } from '../leader/leader-lease.ts';
import type { Logger } from '../logger.ts';
import { messageOf } from '../outcomes.ts';

export interface LeadershipOptions {
  lease: LeaderLease | undefined;
  clock: Clock;
  checkEveryMs: number;
  logger: Logger;
  onChange: (leader: boolean, term: number) => Promise<void>;
}

export class Leadership {
  readonly #o: LeadershipOptions;
  #leader: boolean;
  #term = 0;
  #checking: Promise<void> = Promise.resolve();

  constructor(options: LeadershipOptions) {
    this.#o = options;
    this.#leader = options.lease === undefined;
  }

  get leader(): boolean {
    return this.#leader;
  }

  get term(): number {
    return this.#term;
  }

  get gated(): boolean {
    return this.#o.lease !== undefined;
  }

  /** One check; transitions are reported (and awaited) in order. */
  check(signal?: AbortSignal): Promise<void> {
    this.#checking = this.#checking.then(() => this.#checkOnce(signal));
    return this.#checking;
  }

  /** Checks every `checkEveryMs` until `signal` aborts (the first check is the caller's). */
  async run(signal: AbortSignal): Promise<void> {
    if (!this.#o.lease) return;
    for (;;) {
      await this.#o.clock.sleep(this.#o.checkEveryMs, signal);
      if (signal.aborted) return;
      await this.check(signal);
    }
  }

  /** Steps down (reporting the transition) and releases the lease. */
  async resign(): Promise<void> {
    await this.#checking;
    if (!this.#o.lease) return;
    if (this.#leader) {
      this.#leader = false;
      await this.#o.onChange(false, this.#term);
    }
    try {
      await this.#o.lease.release();
    } catch (err) {
      this.#o.logger.warn('could not release the leader lease', { error: messageOf(err) });
    }
  }

  async #checkOnce(signal?: AbortSignal): Promise<void> {
    const lease = this.#o.lease;
    if (!lease || signal?.aborted) return;
    let leader = false;
    let term = this.#term;
    try {
      ({ leader, term } = await lease.check(signal));
    } catch (err) {
      this.#o.logger.warn('leader check failed; acting as a follower', { error: messageOf(err) });
    }
    if (signal?.aborted) return;
    const changed = leader !== this.#leader || (leader && term !== this.#term);
    if (!changed) return;
    if (this.#leader) {
      this.#leader = false;
      await this.#o.onChange(false, this.#term);
    }
    if (leader) {
      this.#term = Math.max(this.#term, term);
      this.#leader = true;
      await this.#o.onChange(true, this.#term);
    }
  }
}
