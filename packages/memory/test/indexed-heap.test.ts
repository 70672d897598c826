import { describe, expect, it } from 'vitest';
import { IndexedHeap } from '../src/indexed-heap.ts';

interface Item {
  value: number;
  index: number;
}

function heap(): IndexedHeap<Item> {
  return new IndexedHeap<Item>({
    before: (a, b) => a.value < b.value,
    getIndex: (item) => item.index,
    setIndex: (item, index) => (item.index = index),
  });
}

function item(value: number): Item {
  return { value, index: -1 };
}

/** A repeatable sequence, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

describe('IndexedHeap', () => {
  it('pops in order and records positions', () => {
    const h = heap();
    const items = [5, 3, 9, 1, 7, 1].map(item);
    for (const i of items) h.push(i);
    expect(h.size).toBe(6);
    expect(items.every((i) => h.has(i))).toBe(true);
    const out: number[] = [];
    for (let i = h.pop(); i; i = h.pop()) {
      expect(i.index).toBe(-1);
      out.push(i.value);
    }
    expect(out).toEqual([1, 1, 3, 5, 7, 9]);
  });

  it('removes and re-sorts items in place, against a sorted model', () => {
    const random = lcg(7);
    const h = heap();
    const live = new Set<Item>();
    for (let step = 0; step < 5000; step++) {
      const r = random();
      const all = [...live];
      if (r < 0.5 || all.length === 0) {
        const i = item(Math.floor(random() * 100));
        h.push(i);
        live.add(i);
      } else if (r < 0.7) {
        const i = all[Math.floor(random() * all.length)]!;
        expect(h.remove(i)).toBe(true);
        expect(h.remove(i)).toBe(false);
        live.delete(i);
      } else if (r < 0.9) {
        const i = all[Math.floor(random() * all.length)]!;
        i.value = Math.floor(random() * 100);
        h.update(i);
      } else {
        const min = Math.min(...all.map((i) => i.value));
        const popped = h.pop()!;
        expect(popped.value).toBe(min);
        live.delete(popped);
      }
      expect(h.size).toBe(live.size);
    }
    const rest = [...live].map((i) => i.value).sort((a, b) => a - b);
    expect(h.first(rest.length + 10).map((i) => i.value)).toEqual(rest);
  });

  it('first(k) lists the k smallest in order without removing them', () => {
    const h = heap();
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    for (const v of values) h.push(item(v));
    expect(h.first(5).map((i) => i.value)).toEqual([0, 1, 2, 3, 4]);
    expect(h.first(0)).toEqual([]);
    expect(h.size).toBe(1000);
    expect(h.peek()?.value).toBe(0);
  });

  it('keeps an item in two heaps at once through separate position fields', () => {
    interface Two {
      a: number;
      b: number;
      ia: number;
      ib: number;
    }
    const byA = new IndexedHeap<Two>({
      before: (x, y) => x.a < y.a,
      getIndex: (x) => x.ia,
      setIndex: (x, i) => (x.ia = i),
    });
    const byB = new IndexedHeap<Two>({
      before: (x, y) => x.b < y.b,
      getIndex: (x) => x.ib,
      setIndex: (x, i) => (x.ib = i),
    });
    const items = [1, 2, 3].map((n) => ({ a: n, b: -n, ia: -1, ib: -1 }));
    for (const i of items) {
      byA.push(i);
      byB.push(i);
    }
    expect(byA.peek()?.a).toBe(1);
    expect(byB.peek()?.a).toBe(3);
    byA.remove(items[0]!);
    expect(byB.has(items[0]!)).toBe(true);
    expect(byA.has(items[0]!)).toBe(false);
  });
});
