import { KeyStatus, LeaseLostError } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { DeadlineExceededError } from '../src/index.ts';
import type { ProcessContext } from '../src/index.ts';
import {
  drive,
  gate,
  harness,
  ignoreSignal,
  runUntilIdle,
  waitForAbort,
} from './support/harness.ts';

// testWorkqueue: lease 60 s, heartbeat 20 s.
const quiet = { pollIntervalMs: 3_600_000, orphanSweepPeriodMs: 3_600_000, random: () => 0 };

describe('deadline', () => {
  it('aborts the call at callTimeoutMs and retries the key as "deadline exceeded"', async () => {
    const reasons: unknown[] = [];
    const h = harness({ ...quiet, callTimeoutMs: 5000, process: waitForAbort(reasons) });
    await h.queue.enqueue({ key: 'slow' });
    h.loop.start();
    await h.clock.advance(4999);
    expect(h.log.outcomes).toHaveLength(0);
    await h.clock.advance(1);
    expect(DeadlineExceededError.is(reasons[0])).toBe(true);
    expect(h.log.outcomes[0]).toMatchObject({
      key: 'slow',
      error: 'deadline exceeded',
      durationMs: 5000,
      action: { label: 'retried' },
    });
    expect(await h.queue.getKeyState('slow')).toMatchObject({
      status: KeyStatus.QUEUED,
      attempts: 1,
      lastError: 'deadline exceeded',
    });
    await h.loop.stop();
  });

  it('abandons a call that ignores the deadline, freeing its slot', async () => {
    const h = harness({ ...quiet, callTimeoutMs: 5000, process: ignoreSignal });
    await h.queue.enqueue({ key: 'stuck' });
    h.loop.start();
    await h.clock.advance(5000);
    expect(h.loop.inFlight).toBe(0);
    expect(h.log.outcomes[0]?.error).toBe('deadline exceeded');
    await h.loop.stop();
  });

  it('tells the handler its deadline, attempt and limits', async () => {
    const seen: ProcessContext[] = [];
    const h = harness({
      ...quiet,
      callTimeoutMs: 7000,
      workqueue: { maxRetry: 9 },
      process: (_key, ctx) => {
        seen.push(ctx);
        return Promise.resolve({ kind: 'success' });
      },
    });
    await h.queue.enqueue({ key: 'a', priority: 4 });
    await runUntilIdle(h);
    expect(seen[0]).toMatchObject({ attempt: 1, maxAttempts: 9, priority: 4 });
    expect(seen[0]?.deadline).toBe(h.log.starts[0]!.at + 7000);
    expect(seen[0]?.owned.key).toBe('a');
  });
});

describe('heartbeat', () => {
  it('renews the lease every heartbeatMs while the call runs', async () => {
    const release = gate();
    const h = harness({
      ...quiet,
      process: () => release.promise.then(() => ({ kind: 'success' })),
    });
    await h.queue.enqueue({ key: 'long' });
    h.loop.start();
    await h.clock.advance(0);
    const started = h.clock.now();
    await h.clock.advance(200_000); // 10 heartbeats, far past the 60 s lease
    expect(h.queue.calls('renew')).toBe(10);
    const state = await h.queue.getKeyState('long');
    expect(state).toMatchObject({ status: KeyStatus.IN_PROGRESS, owner: 'test-owner' });
    expect(state?.leaseExpiresAt).toBe(started + 200_000 + 60_000);
    release.open();
    await drive(h.clock, h.loop.idle());
    expect(h.log.outcomes[0]?.action.label).toBe('success');
    expect(h.log.leaseLost).toHaveLength(0);
  });

  it('retries transient renew errors with short backoff', async () => {
    const release = gate();
    const h = harness({
      ...quiet,
      process: () => release.promise.then(() => ({ kind: 'success' })),
    });
    h.queue.fail('renew', { times: 3 });
    await h.queue.enqueue({ key: 'a' });
    h.loop.start();
    await h.clock.advance(20_000);
    expect(h.queue.calls('renew')).toBe(1);
    await h.clock.advance(200 + 400 + 800);
    expect(h.queue.calls('renew')).toBe(4);
    expect(h.log.errors.filter((e) => e.where === 'heartbeat')).toHaveLength(3);
    release.open();
    await drive(h.clock, h.loop.idle());
    expect(h.log.outcomes[0]?.action.label).toBe('success');
    expect(h.log.leaseLost).toHaveLength(0);
  });

  it('lease loss (LeaseLostError on renew) aborts the call and writes nothing', async () => {
    const reasons: unknown[] = [];
    const h = harness({ ...quiet, process: waitForAbort(reasons) });
    h.queue.fail('renew', { error: () => new LeaseLostError('a') });
    await h.queue.enqueue({ key: 'a' });
    h.loop.start();
    await h.clock.advance(20_000);
    expect(LeaseLostError.is(reasons[0])).toBe(true);
    expect(h.log.leaseLost).toMatchObject([{ key: 'a', attempt: 1 }]);
    expect(h.log.outcomes).toHaveLength(0);
    expect(h.queue.calls('complete') + h.queue.calls('requeue')).toBe(0);
    expect(h.loop.inFlight).toBe(0);
    await h.loop.stop();
  });

  it('renewals failing until the lease expires abort the call; the orphan is swept and re-run', async () => {
    let call = 0;
    const reasons: unknown[] = [];
    const h = harness({
      pollIntervalMs: 10_000,
      orphanSweepPeriodMs: 30_000,
      process: (key, ctx) =>
        call++ === 0 ? waitForAbort(reasons)(key, ctx) : Promise.resolve({ kind: 'success' }),
    });
    h.queue.failAlways('renew');
    await h.queue.enqueue({ key: 'a' });
    h.loop.start();
    await h.clock.advance(55_000);
    expect(reasons).toHaveLength(0);
    // Retries stop when the next one would land after the lease expires (at 60 s).
    await h.clock.advance(5_000);
    expect(reasons).toHaveLength(1);
    expect(h.log.leaseLost).toMatchObject([{ key: 'a' }]);
    h.queue.heal();
    await drive(h.clock, h.loop.idle());
    expect(h.log.sweeps.some((s) => s.requeued.includes('a'))).toBe(true);
    expect(h.log.outcomes).toMatchObject([{ key: 'a', attempt: 2, action: { label: 'success' } }]);
  });

  it('a write after the lease was taken over reports lease loss, not an outcome', async () => {
    const release = gate();
    const h = harness({
      ...quiet,
      process: () => release.promise.then(() => ({ kind: 'success' })),
    });
    h.queue.fail('complete', { error: () => new LeaseLostError('a') });
    await h.queue.enqueue({ key: 'a' });
    h.loop.start();
    await h.clock.advance(0);
    release.open();
    await h.clock.advance(0);
    expect(h.log.leaseLost).toMatchObject([{ key: 'a', attempt: 1 }]);
    expect(h.log.outcomes).toHaveLength(0);
    await h.loop.stop();
  });
});

describe('applying outcomes', () => {
  it('retries transient write errors until they succeed', async () => {
    const h = harness(quiet);
    h.queue.fail('complete', { times: 3 });
    await h.queue.enqueue({ key: 'a' });
    await runUntilIdle(h);
    expect(h.queue.calls('complete')).toBe(4);
    expect(await h.queue.getKeyState('a')).toBeUndefined();
    expect(h.log.outcomes).toHaveLength(1);
    expect(h.log.errors.filter((e) => e.where === 'apply')).toHaveLength(3);
  });

  it('gives up when storage stays down until the lease expires; the key is an orphan', async () => {
    const h = harness(quiet);
    h.queue.failAlways('complete');
    await h.queue.enqueue({ key: 'a' });
    h.loop.start();
    await h.clock.advance(60_000);
    expect(h.loop.inFlight).toBe(0);
    expect(h.log.outcomes).toHaveLength(0);
    const final = h.log.errors.filter((e) => e.where === 'apply').at(-1);
    expect(final?.key).toBe('a');
    expect(await h.queue.getKeyState('a')).toMatchObject({ status: KeyStatus.IN_PROGRESS });
    await h.loop.stop();
  });
});
