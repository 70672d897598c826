import { describe, expect, it } from 'vitest';
import { compareEntries, type QueuedEntry } from '../src/queued-entry.ts';
import { QueuedSnapshot } from '../src/queued-snapshot.ts';

let gen = 1_000_000;
function entry(key: string, over: Partial<QueuedEntry> = {}): QueuedEntry {
  gen += 1;
  return {
    key,
    priority: 0,
    queuedAt: 1000,
    firstQueuedAt: 1000,
    notBefore: 0,
    floor: false,
    attempts: 0,
    generation: String(gen),
    metageneration: '1',
    ...over,
  };
}

const idle = () => false;

/** Lists `entries` into `s`, holding at most `capacity` (ranked at queue time 0). */
function list(s: QueuedSnapshot, entries: QueuedEntry[], capacity?: number): void {
  const window = s.beginRefresh(0, capacity);
  for (const e of entries) window.add(e);
  s.finishRefresh(window, 1, 0);
}

function loaded(...entries: QueuedEntry[]): QueuedSnapshot {
  const s = new QueuedSnapshot();
  list(s, entries);
  return s;
}

describe('dispatch order', () => {
  it('is priority, then creation time, then generation (same-millisecond ties), then key', () => {
    const a = entry('zeta', { queuedAt: 5 });
    const b = entry('alpha', { queuedAt: 5 }); // created just after zeta, same ms
    const c = entry('mid', { queuedAt: 4 });
    const d = entry('low', { queuedAt: 1, priority: -1 });
    const e = entry('high', { queuedAt: 9, priority: 1000 });
    expect([d, b, a, c, e].sort(compareEntries).map((x) => x.key)).toEqual([
      'high',
      'mid',
      'zeta',
      'alpha',
      'low',
    ]);
  });

  it('compares generations numerically, not as text', () => {
    const a = entry('a', { generation: '999' });
    const b = entry('b', { generation: '1000' });
    expect(compareEntries(a, b)).toBeLessThan(0);
  });
});

describe('select', () => {
  it('returns the best due keys up to the limit, with gauges and the next notBefore', () => {
    const s = loaded(
      entry('a', { queuedAt: 1 }),
      entry('b', { queuedAt: 2, attempts: 4 }),
      entry('c', { queuedAt: 3 }),
      entry('later', { notBefore: 500 }),
      entry('soon', { notBefore: 200, priority: 99 }),
    );
    const listing = s.select(100, 2, idle);
    expect(listing.keys.map((k) => k.key)).toEqual(['a', 'b']);
    expect(listing.nextNotBefore).toBe(200);
    expect(listing.counts).toEqual({ queued: 5, waiting: 2, maxAttempts: 4 });
    expect(s.select(200, 10, idle).keys.map((k) => k.key)).toEqual(['soon', 'a', 'b', 'c']);
  });

  it('leaves out busy keys and carries the version', () => {
    const b = entry('b', { metageneration: '3' });
    const s = loaded(entry('a'), b);
    const listing = s.select(0, 5, (k) => k === 'a');
    expect(listing.keys).toEqual([
      expect.objectContaining({ key: 'b', version: `${b.generation}:3` }),
    ]);
  });

  it('with limit 0 still reports gauges', () => {
    const s = loaded(entry('a'));
    expect(s.select(0, 0, idle)).toMatchObject({ keys: [], counts: { queued: 1 } });
  });
});

describe('local writes', () => {
  it('are applied at once, newest generation and metageneration winning', () => {
    const a1 = entry('a');
    const s = loaded(a1);
    s.upsert({ ...a1, priority: 5, metageneration: '2' });
    expect(s.select(0, 5, idle).keys[0]?.priority).toBe(5);
    s.upsert({ ...a1, priority: 1, metageneration: '1' }); // older answer arriving late
    expect(s.select(0, 5, idle).keys[0]?.priority).toBe(5);
    s.remove('a', a1.generation);
    expect(s.size).toBe(0);
  });

  it('a remove of an older generation keeps a newer copy (a twin)', () => {
    const a1 = entry('a');
    const a2 = entry('a');
    const s = loaded(a1);
    s.upsert(a2);
    s.remove('a', a1.generation);
    expect(s.size).toBe(1);
  });

  it('are ignored before the first listing (which will read them)', () => {
    const s = new QueuedSnapshot();
    s.upsert(entry('a'));
    expect(s.loaded).toBe(false);
    expect(s.size).toBe(0);
  });

  it('made during a refresh are replayed onto its result', () => {
    const a = entry('a');
    const b = entry('b');
    const s = loaded(a, b);
    const window = s.beginRefresh(0);
    window.add(a);
    s.remove('a', a.generation); // started while the listing ran (the listing saw it still queued)
    const c = entry('c');
    s.upsert(c, true); // enqueued after the listing passed its name
    window.add(b);
    s.finishRefresh(window, 3, 42);
    expect(
      s
        .select(0, 5, idle)
        .keys.map((k) => k.key)
        .sort(),
    ).toEqual(['b', 'c']);
    expect(s.pages).toBe(3);
    expect(s.takenAt).toBe(42);
  });

  it('an abandoned refresh keeps the old snapshot', () => {
    const s = loaded(entry('a'));
    s.beginRefresh(0).add(entry('b'));
    s.abandonRefresh();
    expect(s.size).toBe(1);
  });
});

describe('a bounded snapshot (a deep queue)', () => {
  /** Keys k00..k(n-1), oldest first, plus `waiting` keys due at 1000, 1001, … */
  function deep(n: number, waiting = 0): QueuedEntry[] {
    const due = Array.from({ length: n }, (_, i) =>
      entry(`k${String(i).padStart(2, '0')}`, { queuedAt: 100 + i }),
    );
    const later = Array.from({ length: waiting }, (_, i) =>
      entry(`w${i}`, { queuedAt: 1, notBefore: 1000 + i }),
    );
    // Listed in name order, not dispatch order.
    return [...later, ...due].sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  it('holds the best keys of the listing and counts the rest', () => {
    const s = new QueuedSnapshot();
    list(s, deep(10, 3), 4);
    expect(s.held).toBe(4);
    expect(s.size).toBe(13);
    expect(s.dueBeyond).toBe(true);
    const listing = s.select(0, 10, idle);
    expect(listing.keys.map((k) => k.key)).toEqual(['k00', 'k01', 'k02', 'k03']);
    expect(listing.counts).toEqual({ queued: 13, waiting: 3, maxAttempts: 0 });
    // The waiting keys are all beyond the window; the earliest still drives the timer.
    expect(listing.nextNotBefore).toBe(1000);
  });

  it('keeps due keys ahead of waiting ones, and waiting ones by notBefore', () => {
    const s = new QueuedSnapshot();
    list(s, deep(3, 5), 6);
    expect(s.held).toBe(6);
    expect(s.dueBeyond).toBe(false);
    expect(s.select(1002, 10, idle).keys.map((k) => k.key)).toEqual([
      'w0',
      'w1',
      'w2',
      'k00',
      'k01',
      'k02',
    ]);
  });

  it('a local write that ranks beyond the window leaves it and is counted once', () => {
    const s = new QueuedSnapshot();
    const entries = deep(6);
    list(s, entries, 3);
    const k00 = entries.find((e) => e.key === 'k00') as QueuedEntry;
    // Requeued with a delay: it now ranks behind every due key.
    s.upsert({ ...k00, notBefore: 5000, metageneration: '2' });
    expect(s.select(0, 10, idle).keys.map((k) => k.key)).toEqual(['k01', 'k02']);
    expect(s.size).toBe(6);
    // A new key that ranks beyond the window is counted; a merge beyond it is not.
    s.upsert(entry('z', { queuedAt: 999 }), true);
    s.upsert(entry('y', { queuedAt: 998 }), false);
    expect(s.size).toBe(7);
    // A new key that ranks inside the window is held.
    s.upsert(entry('first', { priority: 10 }), true);
    expect(s.select(0, 1, idle).keys.map((k) => k.key)).toEqual(['first']);
    expect(s.size).toBe(8);
  });

  it('cuts itself back when local writes double it', () => {
    const s = new QueuedSnapshot();
    list(
      s,
      [entry('a', { queuedAt: 5 }), entry('b', { queuedAt: 6 }), entry('c', { queuedAt: 7 })],
      2,
    );
    s.upsert(entry('x', { queuedAt: 1 }), true);
    s.upsert(entry('y', { queuedAt: 2 }), true);
    expect(s.held).toBe(2);
    expect(s.size).toBe(5);
    expect(s.select(0, 10, idle).keys.map((k) => k.key)).toEqual(['x', 'y']);
  });

  it('a pass that drains the window can tell that due keys remain beyond it', () => {
    const s = new QueuedSnapshot();
    const entries = deep(5);
    list(s, entries, 2);
    for (const k of s.select(0, 10, idle).keys) s.remove(k.key, k.version.split(':')[0] ?? '');
    expect(s.select(0, 10, idle).keys).toEqual([]);
    expect(s.dueBeyond).toBe(true);
    list(s, entries.slice(2), 2);
    expect(s.select(0, 10, idle).keys.map((k) => k.key)).toEqual(['k02', 'k03']);
  });

  it('with enough room holds everything, as an unbounded snapshot does', () => {
    const s = new QueuedSnapshot();
    list(s, deep(10, 3), 100);
    expect(s.held).toBe(13);
    expect(s.dueBeyond).toBe(false);
  });
});
