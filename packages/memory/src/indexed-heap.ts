/** How an IndexedHeap orders its items and where it records their positions. */
export interface HeapOrder<T> {
  /** True when `a` must come out before `b`. */
  before(a: T, b: T): boolean;
  /** The position `setIndex` last recorded for `item`; -1 when it is not in this heap. */
  getIndex(item: T): number;
  setIndex(item: T, index: number): void;
}

/**
 * A binary heap whose items know their own position, so an item can be removed or re-sorted
 * after its fields changed in O(log n), with no lazy-deletion garbage left behind. Each item may
 * sit in several heaps at once as long as each heap records its position in a different field.
 */
export class IndexedHeap<T> {
  readonly #items: T[] = [];
  readonly #order: HeapOrder<T>;

  constructor(order: HeapOrder<T>) {
    this.#order = order;
  }

  get size(): number {
    return this.#items.length;
  }

  /** The first item, without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  has(item: T): boolean {
    const i = this.#order.getIndex(item);
    return i >= 0 && this.#items[i] === item;
  }

  push(item: T): void {
    const i = this.#items.length;
    this.#items.push(item);
    this.#order.setIndex(item, i);
    this.#up(i);
  }

  pop(): T | undefined {
    const top = this.#items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Removes `item`; false when it was not in this heap. */
  remove(item: T): boolean {
    if (!this.has(item)) return false;
    const i = this.#order.getIndex(item);
    const last = this.#items.pop() as T;
    this.#order.setIndex(item, -1);
    if (last !== item) {
      this.#items[i] = last;
      this.#order.setIndex(last, i);
      this.#fix(i);
    }
    return true;
  }

  /** Restores order after `item`'s ordering fields changed. */
  update(item: T): void {
    if (this.has(item)) this.#fix(this.#order.getIndex(item));
  }

  /**
   * Up to `limit` items in heap order without removing them: a small frontier heap over the
   * big one's tree, O(limit × log limit) whatever the heap's size.
   */
  first(limit: number): T[] {
    const items = this.#items;
    const before = this.#order.before;
    const out: T[] = [];
    if (limit <= 0 || items.length === 0) return out;
    const frontier: number[] = [0];
    const less = (x: number, y: number) => before(items[x] as T, items[y] as T);
    while (out.length < limit && frontier.length > 0) {
      const i = popIndex(frontier, less);
      out.push(items[i] as T);
      const left = 2 * i + 1;
      if (left < items.length) pushIndex(frontier, left, less);
      if (left + 1 < items.length) pushIndex(frontier, left + 1, less);
    }
    return out;
  }

  #fix(i: number): void {
    if (!this.#up(i)) this.#down(i);
  }

  /** Moves the item at `i` towards the root; true when it moved. */
  #up(i: number): boolean {
    const items = this.#items;
    const item = items[i] as T;
    const start = i;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!this.#order.before(item, p)) break;
      items[i] = p;
      this.#order.setIndex(p, i);
      i = parent;
    }
    if (i !== start) {
      items[i] = item;
      this.#order.setIndex(item, i);
    }
    return i !== start;
  }

  #down(i: number): void {
    const items = this.#items;
    const n = items.length;
    const item = items[i] as T;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.#order.before(items[right] as T, items[left] as T)) child = right;
      const c = items[child] as T;
      if (!this.#order.before(c, item)) break;
      items[i] = c;
      this.#order.setIndex(c, i);
      i = child;
    }
    items[i] = item;
    this.#order.setIndex(item, i);
  }
}

/** A plain binary heap of indices, for `first()`'s frontier. */
function pushIndex(heap: number[], value: number, less: (x: number, y: number) => boolean): void {
  let i = heap.length;
  heap.push(value);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent] as number;
    if (!less(value, p)) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = value;
}

function popIndex(heap: number[], less: (x: number, y: number) => boolean): number {
  const top = heap[0] as number;
  const last = heap.pop() as number;
  const n = heap.length;
  if (n === 0) return top;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    let child = left;
    if (left + 1 < n && less(heap[left + 1] as number, heap[left] as number)) child = left + 1;
    if (!less(heap[child] as number, last)) break;
    heap[i] = heap[child] as number;
    i = child;
  }
  heap[i] = last;
  return top;
}
