import { describe, expect, it } from 'vitest';
import { ReadyBands } from '../src/ready-bands.ts';
import type { ReadyItem } from '../src/ready-bands.ts';

function item(key: string, priority: number, queuedAt: number): ReadyItem {
  return { key, priority, queuedAt, readyIndex: -1, readyBand: 0 };
}

const keys = (items: ReadyItem[]) => items.map((i) => i.key);

describe('ReadyBands', () => {
  it('orders by priority, then queuedAt, then key, across bands', () => {
    const ready = new ReadyBands<ReadyItem>();
    for (const i of [
      item('b', 0, 2),
      item('a', 0, 2),
      item('old', 0, 1),
      item('hi', 7, 9),
      item('neg', -3, 0),
    ]) {
      ready.push(i);
    }
    expect(keys(ready.first(10))).toEqual(['hi', 'old', 'a', 'b', 'neg']);
    expect(keys(ready.first(2))).toEqual(['hi', 'old']);
    expect(ready.size).toBe(5);
  });

  it('moves an item to its new band when its priority grows, and drops empty bands', () => {
    const ready = new ReadyBands<ReadyItem>();
    const a = item('a', 0, 1);
    const b = item('b', 0, 2);
    ready.push(a);
    ready.push(b);
    b.priority = 5;
    ready.update(b);
    expect(b.readyBand).toBe(5);
    expect(keys(ready.first(5))).toEqual(['b', 'a']);
    ready.remove(b);
    ready.remove(b);
    expect(ready.size).toBe(1);
    expect(keys(ready.first(5))).toEqual(['a']);
    ready.remove(a);
    expect(ready.first(5)).toEqual([]);
    ready.push(b);
    expect(keys(ready.first(5))).toEqual(['b']);
  });

  it('lists the first keys of many one-key bands', () => {
    const ready = new ReadyBands<ReadyItem>();
    for (let p = 0; p < 100; p++) ready.push(item(`p${p}`, p, 0));
    expect(keys(ready.first(3))).toEqual(['p99', 'p98', 'p97']);
  });
});
