/**
 * listEligible: due keys without a live in-progress copy, in dispatch order, from a snapshot of
 * `queued/` (see queued-snapshot.ts). Only the `queued/` prefix is listed, never the bucket:
 * in-progress keys are known from the in-progress cache (orphan sweeps and this instance's own
 * starts), and dead letters are not needed to dispatch.
 *
 * When the listing is refreshed:
 * - no snapshot yet → list now;
 * - the snapshot is older than its refresh interval → list now if that is one list call (a small
 *   queue: as cheap as it gets) or if the snapshot has nothing due; otherwise (a deep queue) serve
 *   the snapshot and list in the background, so a long listing never stalls dispatch;
 * - younger than the interval → serve it.
 * The interval is `minRefreshMs`, or `refreshMsPerPage` per list call of the last listing if that
 * is longer, so a deep queue is listed less often: its listing share per processed key stays
 * small. A deep queue's snapshot holds only its best `snapshotKeys` keys: when a pass finds fewer
 * than it asked for and the listing left due keys out, it lists again at once (in the background
 * while the snapshot still has keys to serve). Another instance's writes therefore show up here within about one interval (default
 * 1 s, like a Go dispatcher's pass); `minRefreshMs: 0, refreshMsPerPage: 0` lists a small queue
 * on every pass, as Go does.
 */
import { InvalidArgumentError } from '@recon/core';
import type { Clock, EligibleListing } from '@recon/core';
import type { BackendContext } from './context.ts';
import { toQueuedEntry } from './enqueue.ts';
import { Prefix, keyOf } from './names.ts';

export interface ListingOptions {
  /** Objects per list call; GCS answers at most 1000. Default 1000. */
  pageSize: number;
  /** A snapshot serves passes for at least this long (real time) before it is listed again. Default 1000 ms. */
  minRefreshMs: number;
  /** ...or this long per list call its listing took, if that is longer. Default 100 ms. */
  refreshMsPerPage: number;
  /**
   * The most queued keys held in memory between listings: the best-ranked ones; the others are
   * counted, and listed again when their turn comes. Default 10,000 (about 3 MB).
   */
  snapshotKeys: number;
}

export const defaultListingOptions: Readonly<ListingOptions> = Object.freeze({
  pageSize: 1000,
  minRefreshMs: 1000,
  refreshMsPerPage: 100,
  snapshotKeys: 10_000,
});

export class EligibleLister {
  readonly #ctx: BackendContext;
  readonly #options: ListingOptions;
  /** Real time: the snapshot's age is about I/O cost, not queue semantics. */
  readonly #ioClock: Clock;
  readonly #closing: AbortSignal;
  #refreshing: Promise<void> | undefined;
  /** A wake announced keys queued elsewhere since the snapshot's listing began. */
  #invalidated = false;
  /** The largest limit a pass has asked for: the snapshot holds at least twice that. */
  #largestLimit = 0;

  constructor(ctx: BackendContext, options: ListingOptions, ioClock: Clock, closing: AbortSignal) {
    this.#ctx = ctx;
    this.#options = options;
    this.#ioClock = ioClock;
    this.#closing = closing;
  }

  async listEligible(limit: number, signal?: AbortSignal): Promise<EligibleListing> {
    if (!(Number.isInteger(limit) && limit >= 0)) {
      throw new InvalidArgumentError('limit', `must be an integer >= 0, got ${String(limit)}`);
    }
    const { snapshot } = this.#ctx;
    if (limit > this.#largestLimit) this.#largestLimit = limit;
    if (!snapshot.loaded || (this.#stale() && snapshot.pages <= 1)) {
      await this.refresh(signal);
      return this.#select(limit);
    }
    const listing = this.#select(limit);
    const exhausted = listing.keys.length < limit && snapshot.dueBeyond;
    if (!exhausted && !this.#stale()) return listing;
    if (listing.keys.length > 0) {
      this.#refreshInBackground();
      return listing;
    }
    await this.refresh(signal);
    return this.#select(limit);
  }

  /** Lists `queued/` into the snapshot; concurrent callers share one listing. */
  refresh(signal?: AbortSignal): Promise<void> {
    this.#refreshing ??= this.#list().finally(() => {
      this.#refreshing = undefined;
    });
    const shared = this.#refreshing;
    if (!signal) return shared;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** The next pass lists again, whatever the snapshot's age (see DispatchPort.invalidateListing). */
  invalidate(): void {
    this.#invalidated = true;
  }

  /** Waits for a listing in flight (on close). */
  async settle(): Promise<void> {
    await this.#refreshing?.catch(() => undefined);
  }

  #select(limit: number): EligibleListing {
    const now = this.#ctx.clock.now();
    return this.#ctx.snapshot.select(now, limit, (key) => this.#ctx.inProgress.isBusy(key, now));
  }

  #stale(): boolean {
    if (this.#invalidated) return true;
    const { snapshot } = this.#ctx;
    const interval = Math.max(
      this.#options.minRefreshMs,
      snapshot.pages * this.#options.refreshMsPerPage,
    );
    return this.#ioClock.now() - snapshot.takenAt >= interval;
  }

  #refreshInBackground(): void {
    if (this.#refreshing || this.#closing.aborted) return;
    // Failures are not lost work: the next stale pass lists again.
    this.refresh().catch(() => undefined);
  }

  async #list(): Promise<void> {
    const { snapshot, io } = this.#ctx;
    const takenAt = this.#ioClock.now();
    // A wake during this listing may name a key it has already passed: it sets the flag again.
    this.#invalidated = false;
    const capacity = Math.max(this.#options.snapshotKeys, 2 * this.#largestLimit);
    const window = snapshot.beginRefresh(this.#ctx.clock.now(), capacity);
    try {
      let pages = 0;
      for await (const items of io.scan(Prefix.queued, this.#options.pageSize, this.#closing)) {
        pages++;
        for (const info of items) {
          const key = keyOf(info.name, Prefix.queued);
          if (key !== undefined) window.add(toQueuedEntry(info, key));
        }
      }
      snapshot.finishRefresh(window, pages, takenAt);
    } catch (err) {
      snapshot.abandonRefresh();
      throw err;
    }
  }
}
