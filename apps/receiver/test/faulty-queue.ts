import type { EnqueuePort } from '@recon/core';

/** Wraps a real queue; while `failing` is set, every call throws it instead of reaching storage. */
export class FaultyQueue implements EnqueuePort {
  failing: Error | undefined;
  readonly #inner: EnqueuePort;
  constructor(inner: EnqueuePort) {
    this.#inner = inner;
  }
  enqueue: EnqueuePort['enqueue'] = (request, signal) => {
    if (this.failing) return Promise.reject(this.failing);
    return this.#inner.enqueue(request, signal);
  };
  getKeyState: EnqueuePort['getKeyState'] = (key, signal) => {
    if (this.failing) return Promise.reject(this.failing);
    return this.#inner.getKeyState(key, signal);
  };
}
