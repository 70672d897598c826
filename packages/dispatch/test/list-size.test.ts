import { describe, expect, it } from 'vitest';
import { ListSize } from '../src/list-size.ts';

describe('ListSize', () => {
  it('doubles after the backlog ran dry, up to the maximum', () => {
    const size = new ListSize(20, 100);
    size.beforeListing(0);
    expect(size.limit).toBe(20);
    for (const expected of [40, 80, 100, 100]) {
      size.ranDry();
      size.beforeListing(0);
      expect(size.limit).toBe(expected);
    }
  });

  it('halves when most of the replaced backlog went unused, never below the initial size', () => {
    const size = new ListSize(20, 1000);
    for (let i = 0; i < 4; i++) {
      size.ranDry();
      size.beforeListing(0);
    }
    expect(size.limit).toBe(320);
    size.beforeListing(200);
    expect(size.limit).toBe(160);
    size.beforeListing(10); // most of it was used: keep
    expect(size.limit).toBe(160);
    for (let i = 0; i < 5; i++) size.beforeListing(1000);
    expect(size.limit).toBe(20);
  });

  it('never starts above the maximum', () => {
    expect(new ListSize(80, 10).limit).toBe(10);
  });
});
