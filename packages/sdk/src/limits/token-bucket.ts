import { type Clock, InvalidArgumentError } from '@recon/core';

export interface TokenBucketOptions {
  /** Tokens added per second. */
  perSecond: number;
  /** Most tokens held at once (the largest burst). */
  burst: number;
  clock: Clock;
}

/**
 * A token bucket with reservations: each `take()` reserves the next token, even one not minted
 * yet, and waits on the clock until it is due. Waiters are served in call order.
 */
export class TokenBucket {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #at: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.perSecond > 0))
      throw new InvalidArgumentError('rateLimit.perSecond', 'must be > 0');
    if (!(options.burst >= 1)) throw new InvalidArgumentError('rateLimit.burst', 'must be >= 1');
    this.#perMs = options.perSecond / 1000;
    this.#burst = options.burst;
    this.#clock = options.clock;
    this.#tokens = options.burst;
    this.#at = options.clock.now();
  }

  /** Waits for a token. Rejects with the signal's reason (returning the token) when aborted. */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.#refill();
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    await this.#clock.sleep(Math.ceil(-this.#tokens / this.#perMs), signal);
    if (signal?.aborted) {
      this.#tokens += 1;
      signal.throwIfAborted();
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#perMs);
    this.#at = now;
  }
}
