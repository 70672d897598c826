/**
 * The hard per-instance concurrency limit. A slot is reserved BEFORE `start` is called and held
 * until the attempt's outcome is written, so concurrent starters (a pass and backlog refills) can
 * never together run more than `capacity` attempts. The keys held are tracked too, so this
 * instance never tries to start a key it is already running.
 */
export class Slots {
  readonly capacity: number;
  #reserved = 0;
  readonly #keys = new Set<string>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get reserved(): number {
    return this.#reserved;
  }

  get free(): number {
    return this.capacity - this.#reserved;
  }

  /** Takes a slot; false when none is free. */
  reserve(): boolean {
    if (this.#reserved >= this.capacity) return false;
    this.#reserved++;
    return true;
  }

  release(): void {
    if (this.#reserved > 0) this.#reserved--;
  }

  /** Marks `key` as running here (its slot was reserved). */
  hold(key: string): void {
    this.#keys.add(key);
  }

  unhold(key: string): void {
    this.#keys.delete(key);
  }

  holds(key: string): boolean {
    return this.#keys.has(key);
  }
}
