import { KeyStatus } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { ShuttingDownError } from '../src/index.ts';
import { drive, gate, harness, ignoreSignal, waitForAbort } from './support/harness.ts';

const quiet = { pollIntervalMs: 3_600_000, orphanSweepPeriodMs: 3_600_000 };

describe('stop with drain (SIGTERM)', () => {
  it('aborts in-flight calls and requeues their keys at once, the attempt not counted', async () => {
    const reasons: unknown[] = [];
    const h = harness({ ...quiet, concurrency: 3, process: waitForAbort(reasons) });
    for (const key of ['a', 'b', 'c', 'd']) await h.queue.enqueue({ key });
    h.loop.start();
    await h.clock.advance(0);
    expect(h.loop.inFlight).toBe(3);
    const stopAt = h.clock.now();
    await h.loop.stop(); // cooperative handlers: no fake time needed
    expect(reasons).toHaveLength(3);
    expect(reasons.every((r) => ShuttingDownError.is(r))).toBe(true);
    expect(h.log.outcomes.map((o) => o.action)).toEqual(
      Array(3).fill({
        kind: 'requeue',
        label: 'drained',
        delayMs: 0,
        floor: false,
        attempts: 'uncount',
      }),
    );
    for (const key of ['a', 'b', 'c', 'd']) {
      const state = await h.queue.getKeyState(key);
      expect(state).toMatchObject({ status: KeyStatus.QUEUED, attempts: 0 });
      expect(state?.notBefore ?? 0).toBeLessThanOrEqual(stopAt);
    }
    expect(h.loop.inFlight).toBe(0);
  });

  it('abandons a handler that ignores its signal after drainGraceMs, still requeuing uncounted', async () => {
    const h = harness({ ...quiet, drainGraceMs: 3000, process: ignoreSignal });
    await h.queue.enqueue({ key: 'stubborn' });
    h.loop.start();
    await h.clock.advance(0);
    let stopped = false;
    const stopping = h.loop.stop().then(() => (stopped = true));
    await h.clock.advance(2999);
    expect(stopped).toBe(false);
    expect(await h.queue.getKeyState('stubborn')).toMatchObject({ status: KeyStatus.IN_PROGRESS });
    await h.clock.advance(1);
    await stopping;
    expect(await h.queue.getKeyState('stubborn')).toMatchObject({
      status: KeyStatus.QUEUED,
      attempts: 0,
    });
    expect(h.log.outcomes[0]?.action.label).toBe('drained');
    expect(h.log.errors).toMatchObject([{ where: 'drain', key: 'stubborn' }]);
  });

  it('waits for a handler that returns within the grace before requeuing', async () => {
    const h = harness({
      ...quiet,
      process: (_key, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            void h.clock.sleep(500).then(() => resolve({ kind: 'error', message: 'aborted' }));
          });
        }),
    });
    await h.queue.enqueue({ key: 'a' });
    h.loop.start();
    await h.clock.advance(0);
    const stopping = h.loop.stop();
    await h.clock.advance(499);
    expect(await h.queue.getKeyState('a')).toMatchObject({ status: KeyStatus.IN_PROGRESS });
    await h.clock.advance(1);
    await stopping;
    expect(await h.queue.getKeyState('a')).toMatchObject({ status: KeyStatus.QUEUED, attempts: 0 });
    expect(h.log.errors).toHaveLength(0);
  });

  it('gives back a key whose start was in flight when the drain began, without calling process', async () => {
    const hold = gate();
    let calls = 0;
    const h = harness({ ...quiet, process: () => (calls++, Promise.resolve({ kind: 'success' })) });
    const start = h.queue.start.bind(h.queue);
    h.queue.start = async (key, owner, signal) => {
      const owned = await start(key, owner, signal);
      await hold.promise;
      return owned;
    };
    await h.queue.enqueue({ key: 'a' });
    h.loop.start();
    await h.clock.advance(0);
    const stopping = h.loop.stop();
    hold.open();
    await stopping;
    expect(calls).toBe(0);
    expect(await h.queue.getKeyState('a')).toMatchObject({ status: KeyStatus.QUEUED, attempts: 0 });
    expect(h.log.outcomes[0]?.action.label).toBe('drained');
  });

  it('stops admitting: nothing new starts, timers are gone, idle resolves', async () => {
    const h = harness({ ...quiet });
    h.loop.start();
    await h.clock.advance(0);
    await h.loop.stop();
    await h.queue.enqueue({ key: 'after' });
    expect(h.loop.wake('notification')).toBe('shed');
    await h.clock.advance(60_000);
    expect(h.log.starts).toHaveLength(0);
    await h.loop.idle();
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('stop before start resolves at once', async () => {
    const h = harness();
    await h.loop.stop();
    h.loop.start(); // no effect after stop
    await h.clock.advance(1000);
    expect(h.log.passes).toHaveLength(0);
  });
});

describe('stop without drain (crash)', () => {
  it('abandons owned keys without touching storage; another dispatcher recovers them after the lease', async () => {
    const a = harness({ concurrency: 2, process: ignoreSignal, owner: 'a' });
    for (const key of ['x', 'y']) await a.queue.enqueue({ key });
    a.loop.start();
    await a.clock.advance(0);
    const writesBefore = ['renew', 'complete', 'requeue', 'deadLetter'].map((op) =>
      a.queue.calls(op as 'renew'),
    );
    await a.loop.stop({ drain: false });
    expect(a.loop.inFlight).toBe(0);
    expect(a.log.outcomes).toHaveLength(0);
    expect(
      ['renew', 'complete', 'requeue', 'deadLetter'].map((op) => a.queue.calls(op as 'renew')),
    ).toEqual(writesBefore);
    expect(await a.queue.getKeyState('x')).toMatchObject({
      status: KeyStatus.IN_PROGRESS,
      owner: 'a',
    });
    await a.clock.advance(200_000);
    expect(a.clock.pendingTimers).toBe(0); // no heartbeat, no timers left behind

    // A second dispatcher sweeps the orphans once their 60 s leases expired, and runs them.
    const b = harness({ owner: 'b', clock: a.clock, queue: a.queue, orphanSweepPeriodMs: 30_000 });
    b.loop.start();
    await drive(b.clock, b.loop.idle());
    expect(b.log.sweeps[0]?.requeued.sort()).toEqual(['x', 'y']);
    expect(b.log.outcomes.map((o) => [o.key, o.attempt]).sort()).toEqual([
      ['x', 2],
      ['y', 2],
    ]);
  });

  it('a crash cuts a slow drain short', async () => {
    const h = harness({ ...quiet, drainGraceMs: 60_000, process: ignoreSignal });
    await h.queue.enqueue({ key: 'a' });
    h.loop.start();
    await h.clock.advance(0);
    const draining = h.loop.stop();
    await h.clock.advance(1000);
    await h.loop.stop({ drain: false });
    await draining;
    expect(await h.queue.getKeyState('a')).toMatchObject({ status: KeyStatus.IN_PROGRESS });
    expect(h.log.outcomes).toHaveLength(0);
  });
});
