import { ConfigError, FakeClock } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { createDispatchLoop, dispatchDefaults, resolveDispatchOptions } from '../src/index.ts';
import { createBackend } from './support/backend.ts';

const queue = createBackend(new FakeClock(), {});
const process = () => Promise.resolve({ kind: 'success' as const });

describe('options', () => {
  it('fills every default', () => {
    const o = resolveDispatchOptions({ queue, process });
    expect(o).toMatchObject({
      concurrency: 20,
      batchSize: 20,
      initialListSize: 80,
      listLimit: 1000,
      dispatchPeriodMs: 1000,
      orphanSweepPeriodMs: 30_000,
      pollIntervalMs: 10_000,
      callTimeoutMs: 300_000,
      drainGraceMs: 3000,
      workqueue: { leaseMs: 900_000, heartbeatMs: 300_000, maxRetry: 100 },
    });
    expect(o.owner).toMatch(/^.+-\d+-[0-9a-f]{6}$/);
    expect(dispatchDefaults.concurrency).toBe(20);
  });

  it('batchSize defaults to concurrency; the first listing is 4 batches, at most listLimit', () => {
    expect(resolveDispatchOptions({ queue, process, concurrency: 3 })).toMatchObject({
      batchSize: 3,
      initialListSize: 12,
    });
    expect(resolveDispatchOptions({ queue, process, concurrency: 500 }).initialListSize).toBe(1000);
    expect(
      resolveDispatchOptions({ queue, process, concurrency: 5, listLimit: 7 }).initialListSize,
    ).toBe(7);
  });

  it('lists every problem at once, naming each option', () => {
    let error: unknown;
    try {
      createDispatchLoop({
        queue,
        process,
        concurrency: 0,
        batchSize: 1.5,
        dispatchPeriodMs: -1,
        drainGraceMs: Number.NaN,
        workqueue: { heartbeatMs: 10, leaseMs: 5 },
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'concurrency',
      'batchSize',
      'dispatchPeriodMs',
      'drainGraceMs',
      'workqueue.heartbeatMs',
    ]) {
      expect(problems).toContain(name);
    }
  });
});
