/**
 * The dead-letter copies this instance has reason to believe exist: those it wrote itself and
 * those its last dead-letter listing (stats, list, getKeyState) saw.
 *
 * Complete removes a key's dead-letter copy only when the key is in here. A key that succeeds on
 * its first attempt, which is almost every key, then costs exactly two deletes (its queued and its
 * in-progress copy) instead of three. The price: a dead-letter copy written by another instance,
 * which this one never listed, survives a plain enqueue-and-complete of its key; the re-enqueue
 * path (`reenqueueDeadLetter`) always removes it, and so does any instance that has listed it.
 */
export class DeadLetterIndex {
  #keys = new Set<string>();

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  add(key: string): void {
    this.#keys.add(key);
  }

  delete(key: string): void {
    this.#keys.delete(key);
  }

  /** A full listing of `dead-letter/` saw exactly these keys. */
  replaceAll(keys: Iterable<string>): void {
    this.#keys = new Set(keys);
  }
}
