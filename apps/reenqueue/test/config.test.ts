import { EnvReader } from '@recon/backends';
import { describe, expect, it } from 'vitest';
import { readReenqueueJobConfig } from '../src/index.ts';

const read = (env: Record<string, string | undefined>) => {
  const r = new EnvReader(env);
  const config = readReenqueueJobConfig(r);
  return { config, problems: r.problems };
};

describe('readReenqueueJobConfig', () => {
  it('selects everything by default, moving for real, as fast as storage allows', () => {
    expect(read({})).toEqual({ config: { select: { all: true }, dryRun: false }, problems: [] });
  });

  it('REENQUEUE_KEYS: a comma-separated list, trimmed, blanks dropped', () => {
    expect(read({ REENQUEUE_KEYS: ' a/1, b/2 ,,c/3 ' }).config.select).toEqual({
      keys: ['a/1', 'b/2', 'c/3'],
    });
  });

  it('REENQUEUE_PREFIX; REENQUEUE_DRY_RUN=true; REENQUEUE_RATE in keys per second', () => {
    expect(
      read({ REENQUEUE_PREFIX: 'tenant-a/', REENQUEUE_DRY_RUN: 'true', REENQUEUE_RATE: '50' }),
    ).toEqual({
      config: { select: { prefix: 'tenant-a/' }, dryRun: true, ratePerSecond: 50 },
      problems: [],
    });
    expect(read({ REENQUEUE_RATE: '0', REENQUEUE_DRY_RUN: 'false' }).config).toEqual({
      select: { all: true },
      dryRun: false,
    });
  });

  it('lists every problem', () => {
    expect(
      read({
        REENQUEUE_KEYS: 'a',
        REENQUEUE_PREFIX: 'b',
        REENQUEUE_DRY_RUN: 'yes',
        REENQUEUE_RATE: '-3',
      }).problems,
    ).toEqual([
      'set REENQUEUE_KEYS or REENQUEUE_PREFIX, not both',
      'REENQUEUE_RATE must be >= 0, got -3',
      'REENQUEUE_DRY_RUN must be one of true, false, got "yes"',
    ]);
  });
});
