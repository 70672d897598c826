/**
 * Fault wrappers over a real EnqueuePort (a MemoryBackend): record every enqueue, and fail with
 * UnavailableError while `down` (or for the next N calls), the way a receiver outage looks.
 */
import {
  UnavailableError,
  type EnqueuePort,
  type EnqueueRequest,
  type EnqueueResult,
  type KeyStateView,
} from '@recon/core';

export class RecordingPort implements EnqueuePort {
  readonly calls: EnqueueRequest[] = [];
  readonly failedCalls: EnqueueRequest[] = [];
  down = false;
  #failNext = 0;
  readonly #inner: EnqueuePort;

  constructor(inner: EnqueuePort) {
    this.#inner = inner;
  }

  failNext(n: number): void {
    this.#failNext = n;
  }

  async enqueue(request: EnqueueRequest, signal?: AbortSignal): Promise<EnqueueResult> {
    if (this.down || this.#failNext > 0) {
      if (this.#failNext > 0) this.#failNext--;
      this.failedCalls.push(request);
      throw new UnavailableError('receiver unavailable (injected)');
    }
    const result = await this.#inner.enqueue(request, signal);
    this.calls.push(request);
    return result;
  }

  getKeyState(key: string, signal?: AbortSignal): Promise<KeyStateView | undefined> {
    return this.#inner.getKeyState(key, signal);
  }

  /** Successful enqueues per key. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const c of this.calls) counts.set(c.key, (counts.get(c.key) ?? 0) + 1);
    return counts;
  }
}
