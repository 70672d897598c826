import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  InvalidArgumentError,
  ReconError,
  formatDuration,
  parseDuration,
  resolveWorkqueueOptions,
  validateEnqueue,
} from '../src/index.ts';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (InvalidArgumentError.is(e)) return e.field;
    throw e;
  }
  return undefined;
}

describe('validateEnqueue', () => {
  it('accepts a plain key and fills defaults', () => {
    expect(validateEnqueue({ key: 'tenant-a/db-3' })).toEqual({
      key: 'tenant-a/db-3',
      priority: 0,
      delayMs: 0,
      floor: false,
    });
  });
  it('names the field that is wrong', () => {
    expect(fieldOf(() => validateEnqueue({ key: '' }))).toBe('key');
    expect(fieldOf(() => validateEnqueue({ key: 'é'.repeat(501) }))).toBe('key');
    expect(fieldOf(() => validateEnqueue({ key: 'a\u0000b' }))).toBe('key');
    expect(fieldOf(() => validateEnqueue({ key: 'a\u009fb' }))).toBe('key');
    expect(fieldOf(() => validateEnqueue({ key: 'bad\ud800' }))).toBe('key');
    expect(fieldOf(() => validateEnqueue({ key: 'k', delayMs: -1 }))).toBe('delay');
    expect(fieldOf(() => validateEnqueue({ key: 'k', priority: 2 ** 31 }))).toBe('priority');
    expect(fieldOf(() => validateEnqueue({ key: 'k', priority: 1.5 }))).toBe('priority');
  });
  it('accepts exactly 1000 UTF-8 bytes and path-like keys as plain keys', () => {
    expect(validateEnqueue({ key: 'x'.repeat(1000) }).key).toHaveLength(1000);
    for (const key of ['../x', '/abs', '%2F', 'a/../../b'])
      expect(validateEnqueue({ key }).key).toBe(key);
  });
});

describe('errors', () => {
  it('match by brand, not class identity or message', () => {
    const e = new InvalidArgumentError('key', 'must not be empty');
    expect(InvalidArgumentError.is(e)).toBe(true);
    expect(ReconError.is(e)).toBe(true);
    expect(ConfigError.is(e)).toBe(false);
    const lookalike = Object.assign(new Error('key: must not be empty'), {});
    expect(InvalidArgumentError.is(lookalike)).toBe(false);
  });
});

describe('durations', () => {
  it('parses the CLI forms', () => {
    expect(
      ['500ms', '30s', '5m', '2h', '1h30m', '1.5s', '300'].map((d) => parseDuration(d)),
    ).toEqual([500, 30_000, 300_000, 7_200_000, 5_400_000, 1500, 300_000]);
  });
  it('rejects garbage naming the field', () => {
    expect(fieldOf(() => parseDuration('soon', 'delay'))).toBe('delay');
    expect(fieldOf(() => parseDuration('5 m', 'delay'))).toBe('delay');
  });
  it('formats compactly', () => {
    expect([850, 12_000, 330_000, 7_200_000].map(formatDuration)).toEqual([
      '850ms',
      '12s',
      '5m30s',
      '2h',
    ]);
  });
});

describe('resolveWorkqueueOptions', () => {
  it('lists every problem at once', () => {
    try {
      resolveWorkqueueOptions({ leaseMs: 0, maxRetry: -1 });
      expect.unreachable();
    } catch (e) {
      expect(ConfigError.is(e) && e.problems.length).toBeGreaterThanOrEqual(2);
    }
  });
});
