/**
 * How many candidates the next pass lists. Starts at `initial` (max(batchSize, concurrency) × 4)
 * and adapts between it and `max`:
 * - the backlog ran dry while the listing was full (slots sat free although more keys were
 *   eligible, until the next period) → double, so fast attempts are not capped at `limit` keys
 *   per period;
 * - a pass replaced a backlog of which more than half was never used → halve, so slow attempts
 *   do not pay for listing keys they cannot reach.
 */
export class ListSize {
  readonly #initial: number;
  readonly #max: number;
  #limit: number;
  #ranDry = false;

  constructor(initial: number, max: number) {
    this.#max = max;
    this.#initial = Math.min(initial, max);
    this.#limit = this.#initial;
  }

  get limit(): number {
    return this.#limit;
  }

  /** A slot wanted work, the backlog was empty, and the last listing was full. */
  ranDry(): void {
    this.#ranDry = true;
  }

  /** Called by each pass before it lists, with what is left of the backlog it replaces. */
  beforeListing(unusedBacklog: number): void {
    if (this.#ranDry) this.#limit = Math.min(this.#max, this.#limit * 2);
    else if (unusedBacklog > this.#limit / 2) {
      this.#limit = Math.max(this.#initial, Math.ceil(this.#limit / 2));
    }
    this.#ranDry = false;
  }
}
