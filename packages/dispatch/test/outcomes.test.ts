import { KeyStatus } from '@recon/core';
import type { Outcome } from '@recon/core';
import { describe, expect, it } from 'vitest';
import type { ProcessFn } from '../src/index.ts';
import { drive, harness, runUntilIdle } from './support/harness.ts';
import type { Harness, HarnessOptions } from './support/harness.ts';

/** A loop whose process answers from a script, one outcome per call. */
function scripted(outcomes: (Outcome | Error)[], options: HarnessOptions = {}): Harness {
  const process: ProcessFn = () => {
    const next = outcomes.shift() ?? { kind: 'success' };
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return harness({
    pollIntervalMs: 3_600_000,
    orphanSweepPeriodMs: 3_600_000,
    ...options,
    process,
  });
}

/** Runs one pass over what is queued now, then waits until the loop is idle. */
async function dispatch(h: Harness): Promise<void> {
  h.loop.start();
  h.loop.wake('local');
  await drive(h.clock, h.loop.idle());
}

describe('outcome application', () => {
  it('success completes the key', async () => {
    const h = scripted([{ kind: 'success' }]);
    await h.queue.enqueue({ key: 'a' });
    await runUntilIdle(h);
    expect(await h.queue.getKeyState('a')).toBeUndefined();
    expect(h.log.outcomes).toMatchObject([{ key: 'a', attempt: 1, action: { label: 'success' } }]);
  });

  it('success with follow-ups enqueues them, then completes', async () => {
    const h = scripted([
      {
        kind: 'success',
        followUps: [
          { key: 'b', priority: 7 },
          { key: 'c', delayMs: 60_000 },
        ],
      },
    ]);
    await h.queue.enqueue({ key: 'a' });
    h.loop.start();
    await drive(h.clock, h.loop.idle());
    expect(await h.queue.getKeyState('a')).toBeUndefined();
    // b ran too (it was enqueued before a completed); c waits for its delay.
    expect(h.log.outcomes.map((o) => o.key)).toEqual(['a', 'b']);
    expect(h.log.starts.find((s) => s.key === 'b')?.priority).toBe(7);
    expect(await h.queue.getKeyState('c')).toMatchObject({ status: KeyStatus.QUEUED });
  });

  it('a failing follow-up enqueue retries the key with backoff instead of completing', async () => {
    const h = scripted([{ kind: 'success', followUps: [{ key: 'b' }, { key: 'c' }] }], {
      random: () => 0,
    });
    h.queue.fail('enqueue', { key: 'c' });
    await h.queue.enqueue({ key: 'a' });
    h.loop.start();
    await drive(h.clock, h.loop.idle());
    const a = await h.queue.getKeyState('a');
    const outcome = h.log.outcomes.find((o) => o.key === 'a');
    expect(a).toMatchObject({ status: KeyStatus.QUEUED, attempts: 1 });
    expect(a?.notBefore).toBe((outcome?.at ?? 0) + 30_000);
    expect(a?.lastError).toMatch(/follow-up enqueue failed.*"c"/);
    expect(outcome?.action).toMatchObject({ kind: 'requeue', label: 'retried', attempts: 'keep' });
    expect(outcome?.error).toMatch(/follow-up/);
  });

  it('requeue-after requeues with the delay and resets attempts (polling never dead-letters)', async () => {
    const h = scripted(
      [new Error('boom'), { kind: 'requeue-after', delayMs: 5000, floor: false }],
      { random: () => 0, workqueue: { maxRetry: 2 } },
    );
    await h.queue.enqueue({ key: 'a' });
    await dispatch(h);
    expect(await h.queue.getKeyState('a')).toMatchObject({ attempts: 1 });
    await h.clock.advance(30_000);
    h.loop.wake('scheduler');
    await drive(h.clock, h.loop.idle());
    const a = await h.queue.getKeyState('a');
    expect(a).toMatchObject({ status: KeyStatus.QUEUED, attempts: 0, floor: false });
    expect(h.log.outcomes[1]?.action).toMatchObject({
      label: 'requeued',
      delayMs: 5000,
      attempts: 'reset',
    });
    expect(a?.notBefore).toBe((h.log.outcomes[1]?.at ?? 0) + 5000);
  });

  it('many requeue-after outcomes in a row never dead-letter', async () => {
    const h = harness({
      pollIntervalMs: 3_600_000,
      orphanSweepPeriodMs: 3_600_000,
      workqueue: { maxRetry: 3 },
      process: () => Promise.resolve({ kind: 'requeue-after', delayMs: 1000, floor: false }),
    });
    await h.queue.enqueue({ key: 'poller' });
    h.loop.start();
    await drive(
      h.clock,
      (async () => {
        while (h.log.outcomes.length < 50) await h.clock.advance(1000);
      })(),
    );
    await h.loop.stop();
    expect(h.log.outcomes.every((o) => o.action.label === 'requeued' && o.attempt === 1)).toBe(
      true,
    );
    expect(await h.queue.getKeyState('poller')).toMatchObject({
      status: KeyStatus.QUEUED,
      attempts: 0,
    });
  });

  it('a requeue-after floor is clamped to one hour', async () => {
    const h = scripted([{ kind: 'requeue-after', delayMs: 5 * 3_600_000, floor: true }]);
    await h.queue.enqueue({ key: 'a' });
    await dispatch(h);
    const a = await h.queue.getKeyState('a');
    expect(a).toMatchObject({ floor: true, notBefore: (h.log.outcomes[0]?.at ?? 0) + 3_600_000 });
  });

  it('a non-retriable error drops the key, recorded as dropped', async () => {
    const h = scripted([{ kind: 'non-retriable', message: 'bad spec' }]);
    await h.queue.enqueue({ key: 'a' });
    await dispatch(h);
    expect(await h.queue.getKeyState('a')).toBeUndefined();
    expect(h.log.outcomes[0]).toMatchObject({
      action: { kind: 'complete', label: 'dropped' },
      error: 'bad spec',
    });
  });

  it('errors back off within [base × 2^(n−1), × 1.5) and keep attempts', async () => {
    for (const random of [0, 0.999]) {
      const h = scripted([new Error('e1'), { kind: 'error', message: 'e2' }, new Error('e3')], {
        random: () => random,
      });
      await h.queue.enqueue({ key: 'a' });
      h.loop.start();
      for (let n = 1; n <= 3; n++) {
        h.loop.wake('scheduler');
        await drive(h.clock, h.loop.idle());
        const a = await h.queue.getKeyState('a');
        const base = 30_000 * 2 ** (n - 1);
        const delay = (a?.notBefore ?? 0) - (h.log.outcomes[n - 1]?.at ?? 0);
        expect(a?.attempts).toBe(n);
        expect(a?.lastError).toBe(`e${n}`);
        expect(delay).toBeGreaterThanOrEqual(base);
        expect(delay).toBeLessThan(base * 1.5);
        if (random === 0) expect(delay).toBe(base);
        await h.clock.set(a?.notBefore ?? 0);
      }
      await h.loop.stop();
    }
  });

  it('at maxRetry a failure dead-letters, checked before non-retriable', async () => {
    const h = scripted([new Error('first'), { kind: 'non-retriable', message: 'second' }], {
      workqueue: { maxRetry: 2 },
      random: () => 0,
    });
    await h.queue.enqueue({ key: 'a', priority: 3 });
    await dispatch(h);
    await h.clock.advance(30_000);
    h.loop.wake('scheduler');
    await drive(h.clock, h.loop.idle());
    const a = await h.queue.getKeyState('a');
    expect(a).toMatchObject({
      status: KeyStatus.DEAD_LETTER,
      attempts: 2,
      priority: 3,
      lastError: 'second',
    });
    expect(h.log.outcomes.map((o) => o.action.label)).toEqual(['retried', 'dead_lettered']);
  });

  it('a thrown non-Error and an invalid outcome both count as errors', async () => {
    const h = harness({
      random: () => 0,
      process: (key) =>
        key === 'throws'
          ? Promise.reject('plain string')
          : Promise.resolve({ kind: 'nonsense' } as unknown as Outcome),
    });
    await h.queue.enqueue({ key: 'throws' });
    await h.queue.enqueue({ key: 'invalid' });
    await runUntilIdle(h);
    const errors = Object.fromEntries(h.log.outcomes.map((o) => [o.key, o.error]));
    expect(errors.throws).toBe('plain string');
    expect(errors.invalid).toMatch(/invalid outcome/);
    expect(h.log.outcomes.every((o) => o.action.label === 'retried')).toBe(true);
  });

  it('a process that throws synchronously is an error, not a crash of the loop', async () => {
    const h = harness({
      process: () => {
        throw new Error('sync');
      },
    });
    await h.queue.enqueue({ key: 'a' });
    await runUntilIdle(h);
    expect(h.log.outcomes[0]).toMatchObject({ error: 'sync', action: { label: 'retried' } });
  });

  it('reports waitMs from queuedAt and durations from the clock', async () => {
    const h = harness({
      process: async (_key, ctx) => {
        await h.clock.sleep(1500, ctx.signal);
        return { kind: 'success' };
      },
      pollIntervalMs: 10_000,
    });
    await h.queue.enqueue({ key: 'a' });
    await h.clock.advance(250); // queued 250 ms before the first pass
    await runUntilIdle(h);
    expect(h.log.starts[0]).toMatchObject({ key: 'a', attempt: 1, waitMs: 250 });
    expect(h.log.outcomes[0]?.durationMs).toBe(1500);
    expect(h.log.outcomes[0]?.firstQueuedAt).toBe((h.log.starts[0]?.at ?? 0) - 250);
  });
});
