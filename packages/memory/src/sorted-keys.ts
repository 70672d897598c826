/** Keys per chunk before a chunk splits in two. */
const chunkLimit = 1024;

/**
 * Orders keys by Unicode code point, which is UTF-8 byte order: the order GCS lists object
 * names in, so both backends page through keys identically. (Plain `<` compares UTF-16 code
 * units and would put astral characters before U+E000..U+FFFF.)
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Both in the surrogate-or-above range: lift surrogates (astral code points) above U+FFFF.
    if (x >= 0xd800 && y >= 0xd800) return codePointRank(x) - codePointRank(y);
    return x - y;
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}

/** Index of the first element of sorted `list` that is >= `key` (> `key` when `after`). */
function seek(list: readonly string[], key: string, after: boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys(list[mid] as string, key);
    if (c < 0 || (after && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keys added since the last listing, held aside up to this many before they are sorted in. */
const pendingLimit = 4096;

/**
 * A set of keys kept in key order as a list of bounded sorted chunks: adding or deleting a key
 * costs two binary searches and a memmove of at most one chunk, and a listing seeks straight to
 * its prefix or page token instead of sorting or scanning the whole set.
 *
 * Only listings need the order, so a new key waits in a small insertion-ordered set until the
 * next listing (or until 4096 are waiting) before it is sorted in: a key that comes and goes
 * between two listings, the common life of a key in a healthy queue, never touches the chunks.
 */
export class SortedKeys {
  #chunks: string[][] = [];
  /** The last (largest) key of each chunk, for the outer binary search. */
  #lasts: string[] = [];
  #sorted = 0;
  readonly #pending = new Set<string>();

  get size(): number {
    return this.#sorted + this.#pending.size;
  }

  /** Adds a key that is not in the set. */
  add(key: string): void {
    this.#pending.add(key);
    if (this.#pending.size > pendingLimit) this.#flush();
  }

  /** Removes `key`; false when it was not there. */
  delete(key: string): boolean {
    return this.#pending.delete(key) || this.#remove(key);
  }

  /** Keys in order from `start` (exclusive when `after`). Do not add or delete while iterating. */
  *from(start: string, after = false): Generator<string> {
    this.#flush();
    let c = seek(this.#lasts, start, after);
    let i = c < this.#chunks.length ? seek(this.#chunks[c] as string[], start, after) : 0;
    for (; c < this.#chunks.length; c++, i = 0) {
      const chunk = this.#chunks[c] as string[];
      for (; i < chunk.length; i++) yield chunk[i] as string;
    }
  }

  /** Sorts the waiting keys into the chunks. */
  #flush(): void {
    if (this.#pending.size === 0) return;
    const keys = [...this.#pending].sort(compareKeys);
    this.#pending.clear();
    for (const key of keys) this.#insert(key);
  }

  #insert(key: string): void {
    if (this.#chunks.length === 0) {
      this.#chunks.push([key]);
      this.#lasts.push(key);
      this.#sorted = 1;
      return;
    }
    const c = Math.min(seek(this.#lasts, key, false), this.#chunks.length - 1);
    const chunk = this.#chunks[c] as string[];
    const i = seek(chunk, key, false);
    if (chunk[i] === key) return;
    chunk.splice(i, 0, key);
    this.#sorted++;
    if (chunk.length > chunkLimit) {
      const upper = chunk.splice(chunk.length >>> 1);
      this.#chunks.splice(c + 1, 0, upper);
      this.#lasts.splice(c + 1, 0, upper[upper.length - 1] as string);
    }
    this.#lasts[c] = chunk[chunk.length - 1] as string;
  }

  #remove(key: string): boolean {
    const c = seek(this.#lasts, key, false);
    const chunk = this.#chunks[c];
    if (!chunk) return false;
    const i = seek(chunk, key, false);
    if (chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.#sorted--;
    if (chunk.length === 0) {
      this.#chunks.splice(c, 1);
      this.#lasts.splice(c, 1);
    } else {
      this.#lasts[c] = chunk[chunk.length - 1] as string;
    }
    return true;
  }
}
