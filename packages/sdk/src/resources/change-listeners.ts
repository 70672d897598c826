import type { ResourceChange } from './resource-store.ts';

/** The listeners of a store's `watch()`; one listener's failure never reaches the writer. */
export class ChangeListeners {
  readonly #listeners = new Set<(change: ResourceChange) => void>();

  add(listener: (change: ResourceChange) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  notify(change: ResourceChange): void {
    for (const l of this.#listeners) {
      try {
        l(change);
      } catch {
        // A listener's failure is its own; the write already happened.
      }
    }
  }
}
