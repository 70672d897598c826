import { describe, expect, it } from 'vitest';
import { QueuedSnapshot, compareEntries } from '../src/queued-snapshot.ts';
import type { QueuedEntry } from '../src/queued-snapshot.ts';

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

function loaded(...entries: QueuedEntry[]): QueuedSnapshot {
  const s = new QueuedSnapshot();
  s.beginRefresh();
  s.finishRefresh(entries, 1, 0);
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
    s.beginRefresh();
    s.remove('a', a.generation); // started while the listing ran (the listing saw it still queued)
    const c = entry('c');
    s.upsert(c); // enqueued after the listing passed its name
    s.finishRefresh([a, b], 3, 42);
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
    s.beginRefresh();
    s.abandonRefresh();
    expect(s.size).toBe(1);
  });
});
