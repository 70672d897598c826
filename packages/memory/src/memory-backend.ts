import {
  InvalidArgumentError,
  UnavailableError,
  resolveWorkqueueOptions,
  systemClock,
  validateEnqueue,
  validateKey,
} from '@recon/core';
import type {
  Clock,
  EligibleListing,
  EnqueueRequest,
  EnqueueResult,
  KeyStateView,
  KeyStatus,
  ListOptions,
  ListPage,
  OwnedKey,
  QueueStats,
  QueuedKey,
  SweepResult,
  WorkqueueBackend,
  WorkqueueOptions,
} from '@recon/core';
import { MemoryStore } from './memory-store.ts';
import { MemoryOwnedKey } from './owned-key.ts';
import type { OwnerOperations } from './owned-key.ts';

export interface MemoryBackendOptions {
  /** Where every timestamp comes from (queued time, notBefore, leases). Default systemClock. */
  clock?: Clock;
  /**
   * Queue semantics; the backend itself reads `leaseMs` (how far `start` and `renew` push the
   * lease; default 15 min). The rest is validated so one options object can serve the backend
   * and its dispatchers.
   */
  workqueue?: Partial<WorkqueueOptions>;
}

/**
 * The whole workqueue contract in one process. Every operation completes synchronously inside
 * its promise, so it is atomic against every other caller in the process: two dispatchers on
 * one MemoryBackend never own a key at once, and a stale owner's writes are fenced. Durability
 * is "this process": nothing survives a restart. Costs do not grow with queue depth (see
 * QueueIndex): enqueue, start and complete are O(log n), a listing O(limit × log limit).
 */
export class MemoryBackend implements WorkqueueBackend {
  readonly #clock: Clock;
  readonly #store: MemoryStore;
  readonly #owners: OwnerOperations;
  #closed = false;

  constructor(options: MemoryBackendOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    const { leaseMs } = resolveWorkqueueOptions(options.workqueue);
    this.#store = new MemoryStore({ leaseMs });
    this.#owners = {
      renew: (entry, signal) => {
        this.#ready(signal);
        this.#store.renew(entry, this.#clock.now());
      },
      complete: (entry, signal) => {
        this.#ready(signal);
        this.#store.complete(entry, this.#clock.now());
      },
      requeue: (entry, requeue, signal) => {
        this.#ready(signal);
        this.#store.requeue(entry, requeue, this.#clock.now());
      },
      deadLetter: (entry, lastError, signal) => {
        this.#ready(signal);
        this.#store.deadLetter(entry, String(lastError), this.#clock.now());
      },
    };
  }

  async enqueue(request: EnqueueRequest, signal?: AbortSignal): Promise<EnqueueResult> {
    this.#ready(signal);
    return this.#store.enqueue(validateEnqueue(request), this.#clock.now());
  }

  async getKeyState(key: string, signal?: AbortSignal): Promise<KeyStateView | undefined> {
    this.#ready(signal);
    return this.#store.keyState(validateKey(key));
  }

  async listEligible(limit: number, signal?: AbortSignal): Promise<EligibleListing> {
    this.#ready(signal);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InvalidArgumentError('limit', `must be an integer >= 1, got ${limit}`);
    }
    return this.#store.listEligible(limit, this.#clock.now());
  }

  async start(key: QueuedKey, owner: string, signal?: AbortSignal): Promise<OwnedKey | undefined> {
    this.#ready(signal);
    if (typeof owner !== 'string' || owner === '') {
      throw new InvalidArgumentError('owner', 'must be a non-empty string');
    }
    const entry = this.#store.start(key, owner, this.#clock.now());
    return entry && new MemoryOwnedKey(entry, this.#owners);
  }

  async sweepOrphans(signal?: AbortSignal): Promise<SweepResult> {
    this.#ready(signal);
    return this.#store.sweepOrphans(this.#clock.now());
  }

  async stats(signal?: AbortSignal): Promise<QueueStats> {
    this.#ready(signal);
    return this.#store.stats(this.#clock.now());
  }

  async list(status: KeyStatus, options?: ListOptions, signal?: AbortSignal): Promise<ListPage> {
    this.#ready(signal);
    return this.#store.list(status, options);
  }

  async reenqueueDeadLetter(key: string, signal?: AbortSignal): Promise<boolean> {
    this.#ready(signal);
    return this.#store.reenqueueDeadLetter(validateKey(key), this.#clock.now());
  }

  /** Later calls fail with UnavailableError; the queue's contents are dropped with the object. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  #ready(signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    if (this.#closed) throw new UnavailableError('the memory backend is closed');
  }
}

/** Same as `new MemoryBackend(options)`. */
export function createMemoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  return new MemoryBackend(options);
}
