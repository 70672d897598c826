import { describe, expect, it } from 'vitest';
import type { QueuedState } from '@recon/core';
import { QueueIndex } from '../src/queue-index.ts';

const t0 = 1_000_000;

function state(fields: Partial<QueuedState> = {}): QueuedState {
  return {
    priority: 0,
    queuedAt: t0,
    firstQueuedAt: t0,
    notBefore: 0,
    floor: false,
    attempts: 0,
    ...fields,
  };
}

function firstKeys(index: QueueIndex, now: number, limit = 10): string[] {
  return index.first(limit, now).map((e) => e.key);
}

describe('QueueIndex', () => {
  it('lists ready copies in dispatch order: priority, then queuedAt, then key', () => {
    const index = new QueueIndex();
    index.add('c', state({ queuedAt: t0 + 2 }), { parked: false, now: t0 });
    index.add('b', state({ queuedAt: t0 + 1 }), { parked: false, now: t0 });
    index.add('a', state({ queuedAt: t0 + 1 }), { parked: false, now: t0 });
    index.add('z', state({ queuedAt: t0 + 9, priority: 5 }), { parked: false, now: t0 });
    expect(firstKeys(index, t0)).toEqual(['z', 'a', 'b', 'c']);
    expect(firstKeys(index, t0, 2)).toEqual(['z', 'a']);
    expect(index.oldestReadyQueuedAt(t0)).toBe(t0 + 1);
  });

  it('holds not-yet-due copies in the notBefore heap and promotes them when due', () => {
    const index = new QueueIndex();
    index.add('later', state({ notBefore: t0 + 20 }), { parked: false, now: t0 });
    index.add('soon', state({ notBefore: t0 + 10, priority: 9 }), { parked: false, now: t0 });
    index.add('now', state(), { parked: false, now: t0 });
    expect(firstKeys(index, t0)).toEqual(['now']);
    expect(index.nextNotBefore(t0)).toBe(t0 + 10);
    expect(index.waitingCount(t0)).toBe(2);
    expect(firstKeys(index, t0 + 10)).toEqual(['soon', 'now']);
    expect(index.nextNotBefore(t0 + 10)).toBe(t0 + 20);
    // Equal priority 0 and queuedAt: the key breaks the tie ('later' < 'now').
    expect(firstKeys(index, t0 + 25)).toEqual(['soon', 'later', 'now']);
    expect(index.waitingCount(t0 + 25)).toBe(0);
    expect(index.nextNotBefore(t0 + 25)).toBeUndefined();
  });

  it('never lists a parked twin until it is unparked', () => {
    const index = new QueueIndex();
    const twin = index.add('twin', state({ priority: 100 }), { parked: true, now: t0 });
    index.add('other', state(), { parked: false, now: t0 });
    expect(firstKeys(index, t0 + 1000)).toEqual(['other']);
    expect(index.size).toBe(2);
    index.unpark(twin, t0 + 1000);
    expect(firstKeys(index, t0 + 1000)).toEqual(['twin', 'other']);
  });

  it('counts a parked twin as waiting while its notBefore is ahead, never listing it or arming a timer', () => {
    const index = new QueueIndex();
    const twin = index.add('twin', state({ notBefore: t0 + 10 }), { parked: true, now: t0 });
    expect(index.waitingCount(t0)).toBe(1);
    expect(index.nextNotBefore(t0)).toBeUndefined();
    index.replace(twin, state({ notBefore: t0 + 30, floor: true }), t0);
    expect(index.waitingCount(t0 + 10)).toBe(1);
    expect(index.waitingCount(t0 + 30)).toBe(0);
    expect(firstKeys(index, t0 + 30)).toEqual([]);
    index.unpark(twin, t0 + 30);
    expect(firstKeys(index, t0 + 30)).toEqual(['twin']);
    expect(index.waitingCount(t0 + 30)).toBe(0);
  });

  it('re-sorts a copy after a merge, across ready and waiting', () => {
    const index = new QueueIndex();
    const a = index.add('a', state(), { parked: false, now: t0 });
    index.add('b', state({ queuedAt: t0 - 1 }), { parked: false, now: t0 });
    expect(firstKeys(index, t0)).toEqual(['b', 'a']);
    const v1 = a.version;
    index.replace(a, state({ priority: 1 }), t0);
    expect(a.version).not.toBe(v1);
    expect(firstKeys(index, t0)).toEqual(['a', 'b']);
    // A floor pushes it into the future; it comes back when due.
    index.replace(a, state({ priority: 1, notBefore: t0 + 50, floor: true }), t0);
    expect(firstKeys(index, t0)).toEqual(['b']);
    expect(firstKeys(index, t0 + 50)).toEqual(['a', 'b']);
    index.remove(a);
    expect(index.get('a')).toBeUndefined();
    expect(firstKeys(index, t0 + 50)).toEqual(['b']);
    expect([...index.keys.from('')]).toEqual(['b']);
  });

  it('gives every write a new version, never reused after a remove', () => {
    const index = new QueueIndex();
    const first = index.add('k', state(), { parked: false, now: t0 });
    index.remove(first);
    const second = index.add('k', state(), { parked: false, now: t0 });
    expect(second.version).not.toBe(first.version);
  });
});
