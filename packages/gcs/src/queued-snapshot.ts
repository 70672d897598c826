/**
 * A snapshot of `queued/`, so a dispatch pass need not list the whole prefix.
 *
 * Dispatch order (priority, then creation time) is not name order, so finding the first N
 * eligible keys means reading every queued object. Instead of listing on every pass (the Go
 * implementation's cost), a listing fills this snapshot, and passes select from it until it is
 * refreshed. This instance's own writes (enqueue, start, requeue, sweep) are applied as they
 * happen, so it never serves its own stale state; other instances' writes appear at the next
 * refresh. A stale entry costs at most a failed start (the start copy is pinned to the listed
 * generation and excluded by `ifGenerationMatch=0`), never a double run.
 *
 * Writes that land while a refresh is listing are journaled and replayed onto the new listing,
 * newest generation winning, so a refresh cannot resurrect what this instance just consumed.
 */
import type { EligibleListing, QueuedKey, QueuedState } from '@recon/core';
import { compareForDispatch } from '@recon/core';
import { compareGenerations } from './bucket-io.ts';

/** A queued copy as listed: its state plus the object version it was read from. */
export interface QueuedEntry extends QueuedState {
  key: string;
  generation: string;
  metageneration: string;
}

type Mutation =
  { kind: 'upsert'; entry: QueuedEntry } | { kind: 'remove'; key: string; generation: string };

/** `<generation>:<metageneration>`: the version a start pins. */
export function versionOf(entry: { generation: string; metageneration: string }): string {
  return `${entry.generation}:${entry.metageneration}`;
}

/**
 * Dispatch order, with the object generation breaking creation-time ties: timeCreated has
 * millisecond resolution, generations (microsecond-based, increasing) keep two keys created in
 * the same millisecond in FIFO order.
 */
export function compareEntries(a: QueuedEntry, b: QueuedEntry): number {
  if (a.priority !== b.priority || a.queuedAt !== b.queuedAt) return compareForDispatch(a, b);
  return compareGenerations(a.generation, b.generation) || compareForDispatch(a, b);
}

function apply(entries: Map<string, QueuedEntry>, m: Mutation): void {
  const current = entries.get(m.kind === 'remove' ? m.key : m.entry.key);
  if (m.kind === 'remove') {
    if (current && compareGenerations(current.generation, m.generation) <= 0) entries.delete(m.key);
    return;
  }
  const e = m.entry;
  if (current) {
    const byGeneration = compareGenerations(e.generation, current.generation);
    if (byGeneration < 0) return;
    if (byGeneration === 0 && Number(e.metageneration) < Number(current.metageneration)) return;
  }
  entries.set(e.key, e);
}

export class QueuedSnapshot {
  #entries: Map<string, QueuedEntry> | undefined;
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

  get size(): number {
    return this.#entries?.size ?? 0;
  }

  /** This instance wrote `entry` (created or merged a queued copy). */
  upsert(entry: QueuedEntry): void {
    this.#record({ kind: 'upsert', entry });
  }

  /** This instance consumed (started) or saw the end of `key`'s copy of `generation` or older. */
  remove(key: string, generation: string): void {
    this.#record({ kind: 'remove', key, generation });
  }

  #record(m: Mutation): void {
    if (this.#entries) apply(this.#entries, m);
    this.#journal?.push(m);
  }

  /** A listing starts: journal local writes until it finishes. */
  beginRefresh(): void {
    this.#journal = [];
  }

  /** The listing that began with beginRefresh saw `entries` in `pages` calls. */
  finishRefresh(entries: Iterable<QueuedEntry>, pages: number, takenAt: number): void {
    const next = new Map<string, QueuedEntry>();
    for (const e of entries) next.set(e.key, e);
    for (const m of this.#journal ?? []) apply(next, m);
    this.#journal = undefined;
    this.#entries = next;
    this.#pages = pages;
    this.#takenAt = takenAt;
  }

  /** The listing failed: keep the old snapshot. */
  abandonRefresh(): void {
    this.#journal = undefined;
  }

  /** The best `limit` due keys that are not busy, in dispatch order, plus gauges. */
  select(now: number, limit: number, isBusy: (key: string) => boolean): EligibleListing {
    const best: QueuedEntry[] = [];
    let waiting = 0;
    let maxAttempts = 0;
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
    const listing: EligibleListing = {
      keys: best.map(toQueuedKey),
      counts: { queued: this.size, waiting, maxAttempts },
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
