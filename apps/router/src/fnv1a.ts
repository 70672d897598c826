/**
 * FNV-1a, 32-bit, over a key's UTF-8 bytes: the shard function. Cheap, stable across languages
 * and releases (any client can compute a key's shard itself), and spreads similar keys
 * ("…/pull/7", "…/pull/8") well. Changing it, or the shard list's order, moves keys between
 * shards — a queued key then lives on its old shard until that shard drains.
 */
const offsetBasis = 0x811c9dc5;
const prime = 0x01000193; // 16777619
const encoder = new TextEncoder();

export function fnv1a32(key: string): number {
  let hash = offsetBasis;
  for (const byte of encoder.encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, prime);
  }
  return hash >>> 0;
}

/** The shard a key belongs to among `shardCount` shards: fnv1a32(key) mod shardCount. */
export function shardIndex(key: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new RangeError(`shardCount must be a positive integer, got ${shardCount}`);
  }
  return fnv1a32(key) % shardCount;
}
