import { describe, expect, it } from 'vitest';
import { fnv1a32, shardIndex } from '../src/index.ts';

describe('fnv1a32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('known vector %j → %i', (key, hash) => {
    expect(fnv1a32(key)).toBe(hash);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    // "é" is C3 A9 in UTF-8: two rounds of xor-multiply from the offset basis.
    let h = 0x811c9dc5;
    for (const b of [0xc3, 0xa9]) h = Math.imul(h ^ b, 16777619) >>> 0;
    expect(fnv1a32('é')).toBe(h);
  });

  it('is an unsigned 32-bit integer', () => {
    for (const key of ['x', 'https://github.com/o/r/pull/7', '🙂'.repeat(100)]) {
      const h = fnv1a32(key);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
    }
  });
});

describe('shardIndex', () => {
  it('is fnv1a32 mod N', () => {
    expect(shardIndex('foobar', 7)).toBe(0xbf9cf968 % 7);
    expect(shardIndex('anything', 1)).toBe(0);
  });

  it('spreads keys over shards', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardIndex(`tenant/${i}`, 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });

  it('rejects a shard count that is not a positive integer', () => {
    expect(() => shardIndex('k', 0)).toThrow(RangeError);
    expect(() => shardIndex('k', 1.5)).toThrow(RangeError);
  });
});
