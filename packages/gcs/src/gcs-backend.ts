/**
 * The GCS workqueue backend: every role of the queue port over one bucket, in the Go workqueue's
 * layout. Each operation lives in its own module; this class wires them to shared state.
 */
import { Storage } from '@google-cloud/storage';
import type {
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
} from '@recon/core';
import { BucketIO } from './bucket-io.ts';
import type { BackendContext } from './context.ts';
import { reenqueueDeadLetter } from './dead-letter.ts';
import { DeadLetterIndex } from './dead-letter-index.ts';
import { enqueue } from './enqueue.ts';
import { InProgressCache } from './in-progress-cache.ts';
import { getKeyState, listKeys, stats } from './inspect.ts';
import { EligibleLister } from './listing.ts';
import type { GcsBackendOptions, ResolvedGcsOptions } from './options.ts';
import { resolveGcsOptions } from './options.ts';
import { QueuedSnapshot } from './queued-snapshot.ts';
import { startKey } from './start.ts';
import { sweepOrphans } from './sweep.ts';

export class GcsBackend implements WorkqueueBackend {
  readonly options: ResolvedGcsOptions;
  readonly #ctx: BackendContext;
  readonly #lister: EligibleLister;
  readonly #closing = new AbortController();

  constructor(options: GcsBackendOptions) {
    this.options = resolveGcsOptions(options);
    const { retry, ioClock, random, clock, workqueue, newToken, listing } = this.options;
    const storage = options.storage ?? new Storage();
    this.#ctx = {
      io: new BucketIO(storage.bucket(this.options.bucket), {
        policy: retry,
        clock: ioClock,
        random,
      }),
      clock,
      workqueue,
      snapshot: new QueuedSnapshot(),
      inProgress: new InProgressCache(),
      deadLetters: new DeadLetterIndex(),
      owned: new Map(),
      newToken,
    };
    this.#lister = new EligibleLister(this.#ctx, listing, ioClock, this.#closing.signal);
  }

  enqueue(request: EnqueueRequest, signal?: AbortSignal): Promise<EnqueueResult> {
    return enqueue(this.#ctx, request, signal);
  }

  getKeyState(key: string, signal?: AbortSignal): Promise<KeyStateView | undefined> {
    return getKeyState(this.#ctx, key, signal);
  }

  listEligible(limit: number, signal?: AbortSignal): Promise<EligibleListing> {
    return this.#lister.listEligible(limit, signal);
  }

  invalidateListing(): void {
    this.#lister.invalidate();
  }

  start(key: QueuedKey, owner: string, signal?: AbortSignal): Promise<OwnedKey | undefined> {
    return startKey(this.#ctx, key, owner, signal);
  }

  sweepOrphans(signal?: AbortSignal): Promise<SweepResult> {
    return sweepOrphans(this.#ctx, this.options.listing.pageSize, signal);
  }

  stats(signal?: AbortSignal): Promise<QueueStats> {
    return stats(this.#ctx, this.options.listing.pageSize, signal);
  }

  list(status: KeyStatus, options?: ListOptions, signal?: AbortSignal): Promise<ListPage> {
    return listKeys(this.#ctx, status, options, signal);
  }

  reenqueueDeadLetter(key: string, signal?: AbortSignal): Promise<boolean> {
    return reenqueueDeadLetter(this.#ctx, key, signal);
  }

  /** Stops background listing. Owned keys stay in storage; their leases expire on their own. */
  async close(): Promise<void> {
    this.#closing.abort();
    await this.#lister.settle();
  }
}

export function createGcsBackend(options: GcsBackendOptions): GcsBackend {
  return new GcsBackend(options);
}
