/**
 * A snapshot of `queued/`, so a dispatch pass need not list the whole prefix.
 *
 * Dispatch order (priority, then creation time) is not name order, so finding the first N
 * eligible keys means reading every queued object. Instead of listing on every pass (the Go
 * implementation's cost), a listing fills this snapshot, and passes select from it until it is
 * refreshed. The snapshot holds the best-ranked `capacity` keys of the listing (its window, see
 * queued-window.ts) and counts the rest, so its memory is bounded whatever the queue's depth.
 *
 * This instance's own writes (enqueue, start, requeue, sweep) are applied as they happen, so it
 * never serves its own stale state; other instances' writes appear at the next refresh. A stale
 * entry costs at most a failed start (the start copy is pinned to the listed generation and
 * excluded by `ifGenerationMatch=0`), never a double run.
 *
 * Writes that land while a refresh is listing are journaled and replayed onto the new listing,
 * newest generation winning, so a refresh cannot resurrect what this instance just consumed.
 *
 * Gauges: keys in the window are exact; keys beyond it are as the last listing counted them,
 * plus keys this instance created since (a replayed write cannot tell whether the listing already
 * counted it, so counts beyond the window may be off by the writes made during one listing).
 */
import type { EligibleListing, QueuedKey } from '@recon/core';
import { compareGenerations } from './bucket-io.ts';
import { compareEntries, versionOf, type QueuedEntry } from './queued-entry.ts';
import {
  WindowBuilder,
  addBeyond,
  compareForWindow,
  cutWindow,
  emptyBeyond,
  type Beyond,
  type ListedWindow,
} from './queued-window.ts';

type Mutation =
  | { kind: 'upsert'; entry: QueuedEntry; created: boolean }
  | { kind: 'remove'; key: string; generation: string };

export class QueuedSnapshot {
  /** The most keys held between listings (see `beginRefresh`). */
  #capacity = Number.POSITIVE_INFINITY;
  #entries: Map<string, QueuedEntry> | undefined;
  #beyond: Beyond = emptyBeyond();
  /** The worst entry the window kept when the listing left some out; undefined: it holds all. */
  #boundary: QueuedEntry | undefined;
  /** The queue time the window was ranked at. */
  #rankedAt = 0;
  #journal: Mutation[] | undefined;
  #takenAt = 0;
  #pages = 0;

  /** A listing has filled the snapshot at least once. */
  get loaded(): boolean {
    return this.#entries !== undefined;
  }

  /** When (I/O clock) the listing behind the snapshot started. */
  get takenAt(): number {
    return this.#takenAt;
  }

  /** List calls the last listing took. */
  get pages(): number {
    return this.#pages;
  }

  /** Queued keys: those held plus those counted beyond the window. */
  get size(): number {
    return (this.#entries?.size ?? 0) + this.#beyond.count;
  }

  /** Keys held in memory. */
  get held(): number {
    return this.#entries?.size ?? 0;
  }

  /** The last listing left out keys that were already due: a new listing may find more work. */
  get dueBeyond(): boolean {
    return this.#beyond.count > this.#beyond.waiting;
  }

  /**
   * This instance wrote `entry` (created or merged a queued copy). `created`: the copy did not
   * exist before (it is counted as a new key if it ranks beyond the window).
   */
  upsert(entry: QueuedEntry, created = false): void {
    this.#record({ kind: 'upsert', entry, created });
  }

  /** This instance consumed (started) or saw the end of `key`'s copy of `generation` or older. */
  remove(key: string, generation: string): void {
    this.#record({ kind: 'remove', key, generation });
  }

  #record(m: Mutation): void {
    if (this.#entries) this.#apply(this.#entries, m, m.kind === 'upsert' && m.created);
    this.#journal?.push(m);
  }

  /**
   * A listing starts, ranking keys as of queue time `now` and keeping the best `capacity` of them
   * (default: all); local writes are journaled until it ends.
   */
  beginRefresh(now: number, capacity = Number.POSITIVE_INFINITY): WindowBuilder {
    this.#journal = [];
    return new WindowBuilder(capacity, now);
  }

  /** The listing that began with beginRefresh collected `listed` in `pages` calls. */
  finishRefresh(listed: WindowBuilder | ListedWindow, pages: number, takenAt: number): void {
    const window = listed instanceof WindowBuilder ? listed.finish() : listed;
    this.#capacity = window.capacity;
    const next = new Map<string, QueuedEntry>();
    for (const e of window.entries) next.set(e.key, e);
    this.#beyond = window.beyond;
    this.#boundary = window.boundary;
    this.#rankedAt = window.rankedAt;
    // Whether the listing already counted a key created meanwhile is unknown: not counted twice.
    for (const m of this.#journal ?? []) this.#apply(next, m, false);
    this.#journal = undefined;
    this.#entries = next;
    this.#pages = pages;
    this.#takenAt = takenAt;
  }

  /** The listing failed: keep the old snapshot. */
  abandonRefresh(): void {
    this.#journal = undefined;
  }

  #apply(entries: Map<string, QueuedEntry>, m: Mutation, countNew: boolean): void {
    const key = m.kind === 'remove' ? m.key : m.entry.key;
    const current = entries.get(key);
    if (m.kind === 'remove') {
      if (current && compareGenerations(current.generation, m.generation) <= 0) {
        entries.delete(key);
      }
      return;
    }
    const e = m.entry;
    if (current) {
      const byGeneration = compareGenerations(e.generation, current.generation);
      if (byGeneration < 0) return;
      if (byGeneration === 0 && Number(e.metageneration) < Number(current.metageneration)) return;
    }
    if (this.#boundary && compareForWindow(e, this.#boundary, this.#rankedAt) > 0) {
      // Ranks beyond the window: not held (a later listing brings it in when its turn comes).
      if (current) entries.delete(key);
      if (current || countNew) addBeyond(this.#beyond, e, this.#rankedAt);
      return;
    }
    entries.set(key, e);
    if (!current && entries.size >= 2 * this.#capacity) this.#cut(entries);
  }

  /** Local writes pushed the window to twice its capacity: cut it back. */
  #cut(entries: Map<string, QueuedEntry>): void {
    const { kept, boundary } = cutWindow(
      [...entries.values()],
      this.#capacity,
      this.#rankedAt,
      this.#beyond,
    );
    entries.clear();
    for (const e of kept) entries.set(e.key, e);
    if (boundary) this.#boundary = boundary;
  }

  /** The best `limit` due keys that are not busy, in dispatch order, plus gauges. */
  select(now: number, limit: number, isBusy: (key: string) => boolean): EligibleListing {
    const best: QueuedEntry[] = [];
    let waiting = 0;
    let maxAttempts = this.#beyond.maxAttempts;
    let nextNotBefore: number | undefined;
    for (const e of this.#entries?.values() ?? []) {
      if (e.attempts > maxAttempts) maxAttempts = e.attempts;
      if (e.notBefore > now) {
        waiting++;
        if (nextNotBefore === undefined || e.notBefore < nextNotBefore) nextNotBefore = e.notBefore;
        continue;
      }
      if (limit <= 0 || isBusy(e.key)) continue;
      insertBounded(best, e, limit);
    }
    // A waiting key beyond the window that has come due is not held: the next listing finds it.
    const beyondNext = this.#beyond.nextNotBefore;
    if (beyondNext !== undefined && beyondNext > now) {
      if (nextNotBefore === undefined || beyondNext < nextNotBefore) nextNotBefore = beyondNext;
    }
    const listing: EligibleListing = {
      keys: best.map(toQueuedKey),
      counts: { queued: this.size, waiting: waiting + this.#beyond.waiting, maxAttempts },
    };
    if (nextNotBefore !== undefined) listing.nextNotBefore = nextNotBefore;
    return listing;
  }
}

/** Keeps `best` sorted and at most `limit` long. */
function insertBounded(best: QueuedEntry[], e: QueuedEntry, limit: number): void {
  const last = best[best.length - 1];
  if (best.length >= limit && last && compareEntries(e, last) >= 0) return;
  let lo = 0;
  let hi = best.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(best[mid] as QueuedEntry, e) <= 0) lo = mid + 1;
    else hi = mid;
  }
  best.splice(lo, 0, e);
  if (best.length > limit) best.pop();
}

function toQueuedKey(e: QueuedEntry): QueuedKey {
  const k: QueuedKey = {
    key: e.key,
    priority: e.priority,
    queuedAt: e.queuedAt,
    firstQueuedAt: e.firstQueuedAt,
    notBefore: e.notBefore,
    floor: e.floor,
    attempts: e.attempts,
    version: versionOf(e),
  };
  if (e.lastError !== undefined) k.lastError = e.lastError;
  if (e.lastAttemptedAt !== undefined) k.lastAttemptedAt = e.lastAttemptedAt;
  return k;
}
