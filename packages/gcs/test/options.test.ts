import { describe, expect, it } from 'vitest';
import { ConfigError, defaultWorkqueueOptions } from '@recon/core';
import { resolveGcsOptions } from '../src/options.ts';

describe('resolveGcsOptions', () => {
  it('fills every default', () => {
    const o = resolveGcsOptions({ bucket: 'b' });
    expect(o.workqueue).toEqual(defaultWorkqueueOptions);
    expect(o.retry).toEqual({ maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 5000 });
    expect(o.listing).toEqual({
      pageSize: 1000,
      minRefreshMs: 1000,
      refreshMsPerPage: 100,
      snapshotKeys: 10_000,
    });
    expect(typeof o.newToken()).toBe('string');
  });

  it('lists every problem at once', () => {
    try {
      resolveGcsOptions({
        bucket: '',
        retry: { maxAttempts: 0 },
        listing: { pageSize: 5000, snapshotKeys: 0 },
        workqueue: { leaseMs: -1 },
      });
      expect.unreachable();
    } catch (err) {
      expect(ConfigError.is(err)).toBe(true);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toContain('bucket');
      expect(problems).toContain('retry.maxAttempts');
      expect(problems).toContain('listing.pageSize');
      expect(problems).toContain('listing.snapshotKeys');
      expect(problems).toContain('workqueue.leaseMs');
    }
  });
});
