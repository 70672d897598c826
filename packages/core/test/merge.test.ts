import { describe, expect, it } from 'vitest';
import { mergeQueued, newQueuedState, type QueuedState } from '../src/index.ts';

const base: QueuedState = {
  priority: 5,
  queuedAt: 1000,
  firstQueuedAt: 900,
  notBefore: 0,
  floor: false,
  attempts: 2,
};

describe('mergeQueued', () => {
  it('keeps the maximum priority, compared as integers', () => {
    expect(
      mergeQueued({ ...base, priority: 9 }, { priority: 10, notBefore: 0, floor: false }).state
        .priority,
    ).toBe(10);
    expect(
      mergeQueued({ ...base, priority: 100 }, { priority: 99, notBefore: 0, floor: false }).state
        .priority,
    ).toBe(100);
  });

  it('plain + plain: the earliest notBefore wins', () => {
    const m = mergeQueued(
      { ...base, notBefore: 5000 },
      { priority: 0, notBefore: 3000, floor: false },
    );
    expect(m.state.notBefore).toBe(3000);
    expect(m.state.floor).toBe(false);
    expect(
      mergeQueued({ ...base, notBefore: 5000 }, { priority: 0, notBefore: 0, floor: false }).state
        .notBefore,
    ).toBe(0);
  });

  it('plain + floor: the floor replaces it in either direction', () => {
    expect(
      mergeQueued({ ...base, notBefore: 5000 }, { priority: 0, notBefore: 9000, floor: true })
        .state,
    ).toMatchObject({ notBefore: 9000, floor: true });
    expect(
      mergeQueued({ ...base, notBefore: 5000 }, { priority: 0, notBefore: 2000, floor: true })
        .state,
    ).toMatchObject({ notBefore: 2000, floor: true });
  });

  it('floor + floor: the later wins', () => {
    const floored = { ...base, notBefore: 5000, floor: true };
    expect(
      mergeQueued(floored, { priority: 0, notBefore: 9000, floor: true }).state.notBefore,
    ).toBe(9000);
    expect(
      mergeQueued(floored, { priority: 0, notBefore: 2000, floor: true }).state.notBefore,
    ).toBe(5000);
  });

  it('floor + plain: unchanged', () => {
    const floored = { ...base, notBefore: 5000, floor: true };
    const m = mergeQueued(floored, { priority: 0, notBefore: 0, floor: false });
    expect(m.state).toMatchObject({ notBefore: 5000, floor: true });
  });

  it('keeps the original queuedAt, the earliest firstQueuedAt and the larger attempts', () => {
    const m = mergeQueued(base, {
      priority: 0,
      notBefore: 0,
      floor: false,
      attempts: 7,
      firstQueuedAt: 100,
    });
    expect(m.state).toMatchObject({ queuedAt: 1000, firstQueuedAt: 100, attempts: 7 });
    expect(
      mergeQueued(base, { priority: 0, notBefore: 0, floor: false, attempts: 1 }).state.attempts,
    ).toBe(2);
  });

  it('reports whether anything changed, so storage can skip a write', () => {
    expect(mergeQueued(base, { priority: 1, notBefore: 0, floor: false }).changed).toBe(false);
    expect(mergeQueued(base, { priority: 6, notBefore: 0, floor: false }).changed).toBe(true);
  });

  it('a new key starts at now with no attempts', () => {
    expect(newQueuedState({ priority: 3, notBefore: 0, floor: false }, 42)).toEqual({
      priority: 3,
      queuedAt: 42,
      firstQueuedAt: 42,
      notBefore: 0,
      floor: false,
      attempts: 0,
    });
  });
});
