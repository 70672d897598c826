import { describe, expect, it } from 'vitest';
import {
  formatMillis,
  formatPriority,
  formatSecondsCeil,
  formatSecondsFloor,
  parseCount,
  parseInteger,
  parseRfc3339,
  parseUnixSeconds,
  zeroTime,
} from '../src/metadata-format.ts';

describe('priority', () => {
  it('is %08d for 0..99999999, as Go writes it', () => {
    expect(formatPriority(0)).toBe('00000000');
    expect(formatPriority(100)).toBe('00000100');
    expect(formatPriority(99_999_999)).toBe('99999999');
  });

  it('is plain decimal outside 0..99999999', () => {
    expect(formatPriority(100_000_000)).toBe('100000000');
    expect(formatPriority(-5)).toBe('-5');
    expect(formatPriority(-2_147_483_648)).toBe('-2147483648');
  });

  it('parses as an integer whatever the padding, never as text', () => {
    expect(parseInteger('00000100')).toBe(100);
    expect(parseInteger('-0000005')).toBe(-5); // Go's %08d of -5
    expect(parseInteger('100000000')).toBe(100_000_000);
    expect(parseInteger(' 7 ')).toBe(7);
    expect(parseInteger('1e3')).toBeUndefined();
    expect(parseInteger('')).toBeUndefined();
    expect(parseInteger(undefined)).toBeUndefined();
    expect(parseInteger('99999999999999999999')).toBeUndefined();
  });
});

describe('counts', () => {
  it('reads non-negative decimals only', () => {
    expect(parseCount('3')).toBe(3);
    expect(parseCount('0')).toBe(0);
    expect(parseCount('-1')).toBeUndefined();
    expect(parseCount('x')).toBeUndefined();
    expect(parseCount(undefined)).toBeUndefined();
  });
});

describe('RFC 3339', () => {
  const t = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

  it('formats at second precision, rounding up or down', () => {
    expect(formatSecondsCeil(t)).toBe('2026-01-02T03:04:06Z');
    expect(formatSecondsFloor(t)).toBe('2026-01-02T03:04:05Z');
    expect(formatSecondsCeil(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02T03:04:05Z');
  });

  it('formats with milliseconds', () => {
    expect(formatMillis(t)).toBe('2026-01-02T03:04:05.678Z');
  });

  it('parses what Go writes: UTC seconds, offsets, nanosecond fractions', () => {
    expect(parseRfc3339('2026-01-02T03:04:05Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseRfc3339('2026-01-02T04:04:05+01:00')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseRfc3339('2026-01-02T03:04:05.678901234Z')).toBe(t);
    expect(parseRfc3339('2026-01-02t03:04:05z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
  });

  it('parses the zero time as a moment before the epoch (callers read it as none)', () => {
    expect(parseRfc3339(zeroTime)).toBeLessThan(0);
  });

  it('rejects what is not RFC 3339', () => {
    expect(parseRfc3339('2026-01-02')).toBeUndefined();
    expect(parseRfc3339('1767323045')).toBeUndefined();
    expect(parseRfc3339('2026-13-40T99:99:99Z')).toBeUndefined();
    expect(parseRfc3339(undefined)).toBeUndefined();
  });

  it('reads unix seconds', () => {
    expect(parseUnixSeconds('1767323045')).toBe(1_767_323_045_000);
    expect(parseUnixSeconds('soon')).toBeUndefined();
  });
});
