// The per-bucket listing index: object names kept in GCS order (UTF-8 byte order) in a list of
// bounded sorted chunks, so inserts and deletes cost O(√n)-ish memmoves instead of O(n), and a
// listing seeks by binary search instead of scanning the bucket.

const MAX_CHUNK = 512;

/**
 * Compares by Unicode code point, which is UTF-8 byte order. Plain `<` compares UTF-16 code
 * units, which puts astral characters (surrogate pairs) before U+E000..U+FFFF; this fixes that.
 */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) return surrogateLast(x) - surrogateLast(y);
      return x - y;
    }
  }
  return a.length - b.length;
}

function surrogateLast(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** First index in sorted `list` whose element is >= `name` (or > when `exclusive`). */
function lowerBound(list: readonly string[], name: string, exclusive: boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareNames(list[mid]!, name);
    if (c < 0 || (exclusive && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SortedNames {
  private chunks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `name`; false when it was already present. */
  insert(name: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([name]);
      this.count = 1;
      return true;
    }
    const ci = Math.min(this.chunkFor(name), this.chunks.length - 1);
    const chunk = this.chunks[ci]!;
    const i = lowerBound(chunk, name, false);
    if (chunk[i] === name) return false;
    chunk.splice(i, 0, name);
    this.count++;
    if (chunk.length > MAX_CHUNK) this.chunks.splice(ci + 1, 0, chunk.splice(chunk.length >>> 1));
    return true;
  }

  /** Removes `name`; false when it was absent. */
  delete(name: string): boolean {
    const ci = this.chunkFor(name);
    const chunk = this.chunks[ci];
    if (!chunk) return false;
    const i = lowerBound(chunk, name, false);
    if (chunk[i] !== name) return false;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  /** Names in order starting at `bound` (after it when `exclusive`). Do not mutate while iterating. */
  *from(bound: string, exclusive = false): Generator<string> {
    let ci = exclusive ? this.chunkAfter(bound) : this.chunkFor(bound);
    if (ci >= this.chunks.length) return;
    let i = lowerBound(this.chunks[ci]!, bound, exclusive);
    for (; ci < this.chunks.length; ci++, i = 0) {
      const chunk = this.chunks[ci]!;
      for (; i < chunk.length; i++) yield chunk[i]!;
    }
  }

  /** Index of the first chunk whose last name is >= `name`. */
  private chunkFor(name: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      if (compareNames(chunk[chunk.length - 1]!, name) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first chunk whose last name is > `name`. */
  private chunkAfter(name: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      if (compareNames(chunk[chunk.length - 1]!, name) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
