import { compareForDispatch } from '@recon/core';
import { IndexedHeap } from './indexed-heap.ts';

/** What the ready index needs to know about a queued copy. */
export interface ReadyItem {
  readonly key: string;
  priority: number;
  queuedAt: number;
  /** Position in its band's heap; -1 when not ready. */
  readyIndex: number;
  /** The priority of the band it was filed under (its priority may have grown since). */
  readyBand: number;
}

interface Band<T extends ReadyItem> {
  readonly priority: number;
  /** The band's copies by (queuedAt, key): FIFO within a priority. */
  readonly items: IndexedHeap<T>;
  index: number;
}

/**
 * The startable copies in dispatch order (priority descending, then queuedAt, then key), kept
 * as one FIFO heap per priority plus a heap of the priorities present. A new key only sorts
 * against the keys of its own priority, so a deep backlog at one priority costs nothing to a
 * busy band above it; listing the first `limit` keys looks at no more than `limit` bands.
 */
export class ReadyBands<T extends ReadyItem> {
  readonly #bands = new Map<number, Band<T>>();
  readonly #byPriority = new IndexedHeap<Band<T>>({
    before: (a, b) => a.priority > b.priority,
    getIndex: (band) => band.index,
    setIndex: (band, i) => (band.index = i),
  });
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    let band = this.#bands.get(item.priority);
    if (!band) {
      band = { priority: item.priority, items: fifoHeap<T>(), index: -1 };
      this.#bands.set(band.priority, band);
      this.#byPriority.push(band);
    }
    item.readyBand = band.priority;
    band.items.push(item);
    this.#size++;
  }

  remove(item: T): void {
    const band = this.#bands.get(item.readyBand);
    if (!band || !band.items.remove(item)) return;
    this.#size--;
    if (band.items.size === 0) {
      this.#bands.delete(band.priority);
      this.#byPriority.remove(band);
    }
  }

  /** Re-files `item` after its priority or queuedAt changed. */
  update(item: T): void {
    if (item.priority === item.readyBand) {
      this.#bands.get(item.priority)?.items.update(item);
      return;
    }
    this.remove(item);
    this.push(item);
  }

  /** The first `limit` items in dispatch order, without removing them. */
  first(limit: number): T[] {
    const out: T[] = [];
    for (const band of this.#byPriority.first(limit)) {
      if (out.length >= limit) break;
      out.push(...band.items.first(limit - out.length));
    }
    return out;
  }
}

function fifoHeap<T extends ReadyItem>(): IndexedHeap<T> {
  return new IndexedHeap<T>({
    // Within a band every priority is equal: this is (queuedAt, key), by the one shared rule.
    before: (a, b) => compareForDispatch(a, b) < 0,
    getIndex: (item) => item.readyIndex,
    setIndex: (item, i) => (item.readyIndex = i),
  });
}
