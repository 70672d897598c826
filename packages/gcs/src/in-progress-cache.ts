/**
 * Which keys have a live in-progress copy, known without listing `in-progress/` on every pass:
 * - keys this instance owns (from its own starts, until they end);
 * - other owners' keys, from the last orphan sweep (or stats) and from starts that lost with a
 *   412, each until its lease expires by the queue clock. A later sweep replaces them all.
 * The listing leaves these keys out, so a queued twin never starts while its key runs. The cache
 * only saves wasted copy attempts: the start's `ifGenerationMatch=0` copy stays the exclusion
 * point, whatever the cache says.
 */
export class InProgressCache {
  /** key → generation of the in-progress copy this instance created. */
  readonly #mine = new Map<string, string>();
  /** Keys this instance is starting right now. */
  readonly #starting = new Set<string>();
  /** key → lease expiry (queue clock, ms) of another owner's copy. */
  #others = new Map<string, number>();

  /** Claims `key` for one start on this instance; false when we start or own it already. */
  claimStart(key: string): boolean {
    if (this.#starting.has(key) || this.#mine.has(key)) return false;
    this.#starting.add(key);
    return true;
  }

  endStart(key: string): void {
    this.#starting.delete(key);
  }

  addMine(key: string, generation: string): void {
    this.#mine.set(key, generation);
    this.#others.delete(key);
  }

  /** This instance's copy (of that generation) is gone: completed, requeued, lost. */
  removeMine(key: string, generation: string): void {
    if (this.#mine.get(key) === generation) this.#mine.delete(key);
    this.#others.delete(key);
  }

  hasMine(key: string): boolean {
    return this.#mine.has(key);
  }

  /** Another owner holds `key` until `leaseExpiresAt`. */
  noteOther(key: string, leaseExpiresAt: number): void {
    if (!this.#mine.has(key)) this.#others.set(key, leaseExpiresAt);
  }

  forgetOther(key: string): void {
    this.#others.delete(key);
  }

  /** A full listing of `in-progress/` saw exactly these live leases. */
  replaceOthers(live: ReadonlyMap<string, number>): void {
    const others = new Map<string, number>();
    for (const [key, expiry] of live) if (!this.#mine.has(key)) others.set(key, expiry);
    this.#others = others;
  }

  /** True while `key` has a live in-progress copy as far as this instance knows. */
  isBusy(key: string, now: number): boolean {
    if (this.#mine.has(key) || this.#starting.has(key)) return true;
    const expiry = this.#others.get(key);
    return expiry !== undefined && expiry > now;
  }
}
