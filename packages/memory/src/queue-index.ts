import { isDue } from '@recon/core';
import type { QueuedState } from '@recon/core';
import { IndexedHeap } from './indexed-heap.ts';
import { ReadyBands } from './ready-bands.ts';
import { SortedKeys } from './sorted-keys.ts';

/**
 * Where a queued copy waits:
 * - `ready`: due and startable, in the dispatch-order heap (and the FIFO heap for the gauge);
 * - `waiting`: its notBefore is in the future, in the notBefore heap;
 * - `parked`: a twin of an in-progress copy, never listed until that attempt ends; while its
 *   notBefore is in the future it sits in a second notBefore heap, only for the `waiting` gauge.
 */
export type Slot = 'ready' | 'waiting' | 'parked';

/** One queued copy, indexed in place (the heaps record their positions on it). */
export interface QueuedEntry extends QueuedState {
  readonly key: string;
  /** Changes on every write to the copy; `start` refuses a listing of an older version. */
  version: string;
  slot: Slot;
  readyIndex: number;
  readyBand: number;
  fifoIndex: number;
  /** Position in the waiting heap, or in the parked-waiting heap when parked. */
  waitingIndex: number;
}

/**
 * The queued copies and the indexes that make dispatch cost independent of queue depth:
 * listing the first `limit` eligible keys is O(limit × log limit), and every enqueue, merge,
 * start or unpark is O(log n) in the keys of its own priority. Keys that become due move from the notBefore heap to the ready
 * heap when a listing (or gauge) looks; twins of in-progress keys are never scanned.
 */
export class QueueIndex {
  readonly #byKey = new Map<string, QueuedEntry>();
  /** Every queued key, in key order, for `list`. */
  readonly keys = new SortedKeys();
  readonly #ready = new ReadyBands<QueuedEntry>();
  /** The ready copies by queuedAt alone: the oldest-due gauge. */
  readonly #fifo = new IndexedHeap<QueuedEntry>({
    before: (a, b) => a.queuedAt < b.queuedAt,
    getIndex: (e) => e.fifoIndex,
    setIndex: (e, i) => (e.fifoIndex = i),
  });
  readonly #waiting = byNotBefore();
  /** Parked twins whose notBefore is still in the future. */
  readonly #parkedWaiting = byNotBefore();
  #versions = 0;

  get size(): number {
    return this.#byKey.size;
  }

  get(key: string): QueuedEntry | undefined {
    return this.#byKey.get(key);
  }

  /** Stores a new copy; a twin of an in-progress key is `parked` until that attempt ends. */
  add(key: string, state: QueuedState, options: { parked: boolean; now: number }): QueuedEntry {
    const entry: QueuedEntry = {
      ...state,
      key,
      version: this.#nextVersion(),
      slot: 'parked',
      readyIndex: -1,
      readyBand: 0,
      fifoIndex: -1,
      waitingIndex: -1,
    };
    this.#byKey.set(key, entry);
    this.keys.add(key);
    if (options.parked) this.#park(entry, options.now);
    else this.#place(entry, options.now);
    return entry;
  }

  /** Writes a merged state into `entry` and re-sorts it where it waits. */
  replace(entry: QueuedEntry, state: QueuedState, now: number): void {
    Object.assign(entry, state);
    entry.version = this.#nextVersion();
    if (entry.slot === 'parked') this.#park(entry, now);
    else this.#place(entry, now);
  }

  remove(entry: QueuedEntry): void {
    this.#unplace(entry);
    this.#byKey.delete(entry.key);
    this.keys.delete(entry.key);
  }

  /** The in-progress copy ended: the twin becomes startable (now or at its notBefore). */
  unpark(entry: QueuedEntry, now: number): void {
    if (entry.slot !== 'parked') return;
    this.#parkedWaiting.remove(entry);
    this.#place(entry, now);
  }

  /**
   * Moves every copy whose notBefore has passed from the waiting heap to the ready heap (and
   * drops due parked twins from their gauge heap). Each copy moves once: O(log n) per copy.
   */
  promoteDue(now: number): void {
    for (let next = this.#waiting.peek(); next && isDue(next, now); next = this.#waiting.peek()) {
      this.#place(next, now);
    }
    for (
      let next = this.#parkedWaiting.peek();
      next && isDue(next, now);
      next = this.#parkedWaiting.peek()
    ) {
      this.#parkedWaiting.remove(next);
    }
  }

  /** The first `limit` startable copies in dispatch order. */
  first(limit: number, now: number): QueuedEntry[] {
    this.promoteDue(now);
    return this.#ready.first(limit);
  }

  /** The earliest future notBefore among copies that are not parked. */
  nextNotBefore(now: number): number | undefined {
    this.promoteDue(now);
    return this.#waiting.peek()?.notBefore;
  }

  /** Copies whose notBefore is still in the future, parked twins included. */
  waitingCount(now: number): number {
    this.promoteDue(now);
    return this.#waiting.size + this.#parkedWaiting.size;
  }

  /** queuedAt of the oldest startable copy. */
  oldestReadyQueuedAt(now: number): number | undefined {
    this.promoteDue(now);
    return this.#fifo.peek()?.queuedAt;
  }

  #place(entry: QueuedEntry, now: number): void {
    const slot: Slot = isDue(entry, now) ? 'ready' : 'waiting';
    if (slot === entry.slot) {
      if (slot === 'ready') {
        this.#ready.update(entry);
        this.#fifo.update(entry);
      } else {
        this.#waiting.update(entry);
      }
      return;
    }
    this.#unplace(entry);
    entry.slot = slot;
    if (slot === 'ready') {
      this.#ready.push(entry);
      this.#fifo.push(entry);
    } else {
      this.#waiting.push(entry);
    }
  }

  /** Keeps a parked twin in the parked-waiting heap exactly while its notBefore is ahead. */
  #park(entry: QueuedEntry, now: number): void {
    entry.slot = 'parked';
    if (isDue(entry, now)) this.#parkedWaiting.remove(entry);
    else if (this.#parkedWaiting.has(entry)) this.#parkedWaiting.update(entry);
    else this.#parkedWaiting.push(entry);
  }

  /** Takes `entry` out of every heap (it is then `parked` in none, until placed again). */
  #unplace(entry: QueuedEntry): void {
    if (entry.slot === 'ready') {
      this.#ready.remove(entry);
      this.#fifo.remove(entry);
    } else if (entry.slot === 'waiting') {
      this.#waiting.remove(entry);
    } else {
      this.#parkedWaiting.remove(entry);
    }
    entry.slot = 'parked';
  }

  #nextVersion(): string {
    this.#versions += 1;
    return String(this.#versions);
  }
}

function byNotBefore(): IndexedHeap<QueuedEntry> {
  return new IndexedHeap<QueuedEntry>({
    before: (a, b) => a.notBefore < b.notBefore,
    getIndex: (e) => e.waitingIndex,
    setIndex: (e, i) => (e.waitingIndex = i),
  });
}
