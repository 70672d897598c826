/**
 * How many copies carry each attempts count, so the largest one (the `maxAttempts` gauge) is
 * known without scanning the queue. Attempts only ever grow by one per start, so walking the
 * maximum down after a removal costs, amortised, nothing per operation.
 */
export class AttemptsHistogram {
  readonly #counts: number[] = [];
  #max = 0;

  get max(): number {
    return this.#max;
  }

  add(attempts: number): void {
    this.#counts[attempts] = (this.#counts[attempts] ?? 0) + 1;
    if (attempts > this.#max) this.#max = attempts;
  }

  remove(attempts: number): void {
    this.#counts[attempts] = (this.#counts[attempts] ?? 0) - 1;
    while (this.#max > 0 && !this.#counts[this.#max]) this.#max--;
  }
}
