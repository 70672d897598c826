import { describe, expect, it } from 'vitest';
import { SortedKeys, compareKeys } from '../src/sorted-keys.ts';

function utf8Order(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

describe('compareKeys', () => {
  it('is UTF-8 byte order, astral characters after U+E000..U+FFFF', () => {
    const keys = ['b', 'a', '\uffff', '\ue000', '😀', 'é', 'a\u0001', '', '🔑x', 'Z'];
    expect([...keys].sort(compareKeys)).toEqual([...keys].sort(utf8Order));
  });
});

describe('SortedKeys', () => {
  it('keeps keys in order across chunk splits and deletes, against a sorted model', () => {
    const set = new SortedKeys();
    const model = new Set<string>();
    // Enough keys to split chunks many times; a scattered insertion order.
    for (let i = 0; i < 5000; i++) {
      const key = `k${(i * 7919) % 5000}`;
      set.add(key);
      model.add(key);
    }
    for (let i = 0; i < 5000; i += 3) {
      expect(set.delete(`k${i}`)).toBe(true);
      model.delete(`k${i}`);
    }
    expect(set.delete('k0')).toBe(false);
    expect(set.delete('absent')).toBe(false);
    expect(set.size).toBe(model.size);
    expect([...set.from('')]).toEqual([...model].sort(compareKeys));
  });

  it('orders keys added since the last listing, and forgets keys deleted before it', () => {
    const set = new SortedKeys();
    for (const key of ['m', 'c', 'x']) set.add(key);
    expect([...set.from('')]).toEqual(['c', 'm', 'x']);
    set.add('a');
    set.add('z');
    expect(set.delete('z')).toBe(true);
    expect(set.delete('m')).toBe(true);
    expect(set.size).toBe(3);
    expect([...set.from('b')]).toEqual(['c', 'x']);
    expect([...set.from('')]).toEqual(['a', 'c', 'x']);
  });

  it('seeks to a start key, inclusive or exclusive', () => {
    const set = new SortedKeys();
    for (const key of ['a', 'b', 'c', 'd']) set.add(key);
    expect([...set.from('b')]).toEqual(['b', 'c', 'd']);
    expect([...set.from('b', true)]).toEqual(['c', 'd']);
    expect([...set.from('bb')]).toEqual(['c', 'd']);
    expect([...set.from('z')]).toEqual([]);
    for (const key of ['a', 'b', 'c', 'd']) set.delete(key);
    expect([...set.from('')]).toEqual([]);
    expect(set.size).toBe(0);
  });
});
