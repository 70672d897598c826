/** The calls a served reconciler is answering right now, so a drain can reach each of them. */
export interface InFlightCall {
  /** Aborts the reconcile's signal and makes the call answer with a drain requeue. */
  drain(): void;
  /** Settles once the call has been answered. */
  readonly answered: Promise<void>;
}

export class InFlightCalls {
  readonly #calls = new Set<InFlightCall>();

  add(call: InFlightCall): () => void {
    this.#calls.add(call);
    return () => {
      this.#calls.delete(call);
    };
  }

  /** Drains every call in flight; resolves when all of them have been answered. */
  async drainAll(): Promise<void> {
    const calls = [...this.#calls];
    for (const c of calls) c.drain();
    await Promise.all(calls.map((c) => c.answered));
  }

  get size(): number {
    return this.#calls.size;
  }
}
