/**
 * The best-ranked part of a `queued/` listing, bounded in size, and a summary of the rest.
 *
 * A dispatch pass needs the first few due keys in dispatch order, not all of them: holding every
 * queued key between listings costs memory in proportion to the queue (about 270 bytes a key,
 * 27 MB at 100,000, twice that while a refresh builds the next snapshot). The window keeps the
 * `capacity` best keys as ranked at the listing — due keys in dispatch order, then waiting keys by
 * notBefore — and only counts the others. A key beyond the window is not lost: it is still in the
 * bucket and comes into the window at a later listing, once the keys ahead of it are consumed.
 */
import { compareEntries, type QueuedEntry } from './queued-entry.ts';

/** What a listing saw beyond the window, as of `rankedAt`. */
export interface Beyond {
  count: number;
  /** Of `count`, keys whose notBefore was still ahead of `rankedAt`. */
  waiting: number;
  maxAttempts: number;
  /** The earliest notBefore among the waiting ones. */
  nextNotBefore: number | undefined;
}

export function emptyBeyond(): Beyond {
  return { count: 0, waiting: 0, maxAttempts: 0, nextNotBefore: undefined };
}

export function addBeyond(beyond: Beyond, e: QueuedEntry, rankedAt: number): void {
  beyond.count++;
  if (e.attempts > beyond.maxAttempts) beyond.maxAttempts = e.attempts;
  if (e.notBefore > rankedAt) {
    beyond.waiting++;
    if (beyond.nextNotBefore === undefined || e.notBefore < beyond.nextNotBefore) {
      beyond.nextNotBefore = e.notBefore;
    }
  }
}

/** Window order at time `now`: due keys first, in dispatch order; then waiting keys by notBefore. */
export function compareForWindow(a: QueuedEntry, b: QueuedEntry, now: number): number {
  const aDue = a.notBefore <= now;
  const bDue = b.notBefore <= now;
  if (aDue !== bDue) return aDue ? -1 : 1;
  if (!aDue && a.notBefore !== b.notBefore) return a.notBefore - b.notBefore;
  return compareEntries(a, b);
}

/** A listing's window: `entries` ranked best first, and what was left out. */
export interface ListedWindow {
  entries: QueuedEntry[];
  beyond: Beyond;
  /** The worst entry kept when some were left out; undefined when the window holds them all. */
  boundary: QueuedEntry | undefined;
  rankedAt: number;
  capacity: number;
}

/**
 * Collects a listing page by page, keeping at most 2 × `capacity` entries at any time (sorted and
 * cut back to `capacity` whenever it reaches that): O(n log capacity) for n listed keys.
 */
export class WindowBuilder {
  readonly #capacity: number;
  readonly #rankedAt: number;
  #entries: QueuedEntry[] = [];
  readonly #beyond = emptyBeyond();
  #boundary: QueuedEntry | undefined;

  constructor(capacity: number, rankedAt: number) {
    this.#capacity = capacity;
    this.#rankedAt = rankedAt;
  }

  add(e: QueuedEntry): void {
    if (this.#boundary && compareForWindow(e, this.#boundary, this.#rankedAt) > 0) {
      addBeyond(this.#beyond, e, this.#rankedAt);
      return;
    }
    this.#entries.push(e);
    if (this.#entries.length >= 2 * this.#capacity) this.#cut();
  }

  finish(): ListedWindow {
    if (this.#entries.length > this.#capacity) this.#cut();
    return {
      entries: this.#entries,
      beyond: this.#beyond,
      boundary: this.#boundary,
      rankedAt: this.#rankedAt,
      capacity: this.#capacity,
    };
  }

  #cut(): void {
    const result = cutWindow(this.#entries, this.#capacity, this.#rankedAt, this.#beyond);
    this.#entries = result.kept;
    this.#boundary = result.boundary ?? this.#boundary;
  }
}

/**
 * Sorts `entries` into window order and keeps the first `capacity`; the rest are added to
 * `beyond`. `boundary` is the worst kept entry when any was cut.
 */
export function cutWindow(
  entries: QueuedEntry[],
  capacity: number,
  rankedAt: number,
  beyond: Beyond,
): { kept: QueuedEntry[]; boundary: QueuedEntry | undefined } {
  if (entries.length <= capacity) return { kept: entries, boundary: undefined };
  entries.sort((a, b) => compareForWindow(a, b, rankedAt));
  for (let i = capacity; i < entries.length; i++) {
    addBeyond(beyond, entries[i] as QueuedEntry, rankedAt);
  }
  entries.length = capacity;
  return { kept: entries, boundary: entries[capacity - 1] };
}
