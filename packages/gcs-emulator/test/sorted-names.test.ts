import { describe, expect, it } from 'vitest';
import { compareNames, SortedNames } from '../src/sorted-names.ts';

const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('compareNames', () => {
  it('orders by UTF-8 bytes, astral characters after U+FFFF', () => {
    const names = ['b', 'a/b', 'a', '\u{1F600}', '\uFFFD', 'é', 'a\u0000', 'Z', ''];
    expect([...names].sort(compareNames)).toEqual([...names].sort(utf8Order));
    expect(compareNames('\u{1F600}', '\uE000')).toBeGreaterThan(0);
    expect('\u{1F600}' < '\uE000').toBe(true); // what plain comparison gets wrong
  });
});

describe('SortedNames', () => {
  it('stays sorted through random inserts and deletes across chunk splits', () => {
    const index = new SortedNames();
    const reference = new Set<string>();
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 20_000; i++) {
      const name = `k/${rand(5000).toString(36)}${rand(3) === 0 ? '\u{1F600}' : ''}`;
      if (rand(3) === 0) expect(index.delete(name)).toBe(reference.delete(name));
      else {
        expect(index.insert(name)).toBe(!reference.has(name));
        reference.add(name);
      }
    }
    expect(index.size).toBe(reference.size);
    expect([...index.from('')]).toEqual([...reference].sort(utf8Order));
  });

  it('seeks inclusive and exclusive bounds', () => {
    const index = new SortedNames();
    for (let i = 0; i < 2000; i++) index.insert(`n${String(i).padStart(4, '0')}`);
    expect(index.from('n1000').next().value).toBe('n1000');
    expect(index.from('n1000', true).next().value).toBe('n1001');
    expect(index.from('n0999x').next().value).toBe('n1000');
    expect(index.from('o').next().done).toBe(true);
    expect([...index.from('n1997', true)]).toEqual(['n1998', 'n1999']);
  });
});
