import { FakeClock } from '@recon/core';
import { MemoryBackend } from '@recon/workqueue-memory';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BackPressureError,
  Controller,
  type ControllerOptions,
  type DeadLetterInfo,
  type ErrorInfo,
  type ReconcileFn,
  done,
  nonRetriable,
  silentLogger,
} from '../src/index.ts';
import { advance, gate, settle, until } from './support/drive.ts';

const controllers: Controller[] = [];
afterEach(async () => {
  for (const c of controllers.splice(0)) await c.close();
});

function make(reconcile: ReconcileFn, options: Partial<ControllerOptions> = {}) {
  const clock = (options.clock as FakeClock | undefined) ?? new FakeClock();
  const controller = new Controller({
    reconciler: reconcile,
    clock,
    logger: silentLogger,
    random: () => 0,
    concurrency: 4,
    ...options,
  });
  controllers.push(controller);
  return { controller, clock };
}

describe('Controller: queue semantics', () => {
  it('an add during processing gives exactly one follow-up run, never two at once', async () => {
    const hold = gate();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const { controller, clock } = make(async () => {
      runs++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      if (runs === 1) await hold.promise;
      running--;
    });
    await controller.start();
    await controller.enqueue('a');
    await until(clock, () => runs === 1);
    for (let i = 0; i < 5; i++) expect(await controller.enqueue('a')).toMatch(/added|deduped/);
    await advance(clock, 200);
    expect(runs).toBe(1); // the twin waits for the live copy
    hold.open();
    await settle(clock, controller);
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it('under load: never more than `concurrency` in flight, never one key twice, every last enqueue followed by a run', async () => {
    const running = new Set<string>();
    let maxInFlight = 0;
    let overlap = false;
    const lastEnqueue = new Map<string, number>();
    const lastRunStart = new Map<string, number>();
    let tick = 0;
    const { controller, clock } = make(
      async (key, ctx) => {
        if (running.has(key)) overlap = true;
        running.add(key);
        lastRunStart.set(key, ++tick);
        maxInFlight = Math.max(maxInFlight, running.size);
        await ctx.clock.sleep(5);
        running.delete(key);
      },
      { concurrency: 5 },
    );
    await controller.start();
    for (let i = 0; i < 300; i++) {
      const key = `k${i % 20}`;
      await controller.enqueue(key);
      lastEnqueue.set(key, ++tick);
      if (i % 10 === 0) await clock.advance(3);
    }
    await settle(clock, controller, 60_000);
    expect(overlap).toBe(false);
    expect(maxInFlight).toBeLessThanOrEqual(5);
    expect(maxInFlight).toBeGreaterThan(1);
    for (const [key, at] of lastEnqueue) expect(lastRunStart.get(key), key).toBeGreaterThan(at);
  });

  it('stop() drops nothing: in-flight keys are requeued uncounted, the rest stay queued', async () => {
    const done_: string[] = [];
    const { controller, clock } = make(
      async (key, ctx) => {
        if (key.startsWith('slow')) {
          await new Promise<void>((resolve) =>
            ctx.signal.addEventListener('abort', () => resolve()),
          );
          throw new Error('aborted');
        }
        done_.push(key);
      },
      { concurrency: 2 },
    );
    await controller.start();
    const keys = ['slow-1', 'slow-2', ...Array.from({ length: 8 }, (_, i) => `k${i}`)];
    for (const k of keys) await controller.enqueue(k);
    await until(clock, () => controller.inFlight === 2);
    const stopping = controller.stop();
    await advance(clock, 100);
    await stopping;
    const states = await Promise.all(keys.map((k) => controller.queue.getKeyState(k)));
    for (const [i, k] of keys.entries()) {
      const state = states[i];
      expect(done_.includes(k) || state?.status === 'QUEUED', `${k} was dropped`).toBe(true);
    }
    expect(states[0]).toMatchObject({ status: 'QUEUED', attempts: 0 });
  });

  it('a bounded queue throws BackPressureError instead of dropping; merges still fit', async () => {
    const { controller } = make(() => done(), { maxQueued: 2 });
    await controller.enqueue('a');
    await controller.enqueue('b');
    const err = await controller.enqueue('c').catch((e: unknown) => e);
    expect(BackPressureError.is(err)).toBe(true);
    expect((err as BackPressureError).limit).toBe(2);
    expect(await controller.enqueue('a', { priority: 5 })).toBe('deduped');
    expect(await controller.queue.getKeyState('c')).toBeUndefined();
    const racing = await Promise.allSettled(['x', 'y', 'z'].map((k) => controller.enqueue(k)));
    expect(racing.every((r) => r.status === 'rejected')).toBe(true);
  });

  it('rejects bad input naming the field', async () => {
    const { controller } = make(() => done());
    await expect(controller.enqueue('')).rejects.toThrow(/key/);
    await expect(controller.enqueue('a', { priority: 1.5 })).rejects.toThrow(/priority/);
    await expect(controller.enqueue('a', { delay: -1 })).rejects.toThrow(/delay/);
  });
});

describe('Controller: retries, permanent errors and hooks', () => {
  it('applies the retry policy of the source a key was enqueued from, then dead-letters', async () => {
    const runsAt: Record<string, number[]> = { w: [], d: [] };
    const deadLetters: DeadLetterInfo[] = [];
    const errors: ErrorInfo[] = [];
    const clock = new FakeClock();
    const t0 = clock.now();
    const { controller } = make(
      (key) => {
        runsAt[key]?.push(clock.now() - t0);
        throw new Error(`fail ${key}`);
      },
      {
        clock,
        retry: { baseMs: 60_000, capMs: 600_000, maxAttempts: 0, jitterFraction: 0 },
        sources: { webhook: { baseMs: 1000, capMs: 10_000, maxAttempts: 3, jitterFraction: 0 } },
        onDeadLetter: (i) => deadLetters.push(i),
        onError: (i) => errors.push(i),
      },
    );
    await controller.start();
    await controller.enqueue('w', { source: 'webhook' });
    await controller.enqueue('d');
    await advance(clock, 70_000, 50);
    // webhook: base 1 s doubling, 3 attempts → dead letter
    expect(runsAt.w?.map((t) => Math.round(t / 100) * 100)).toEqual([0, 1000, 3000]);
    expect(deadLetters).toEqual([{ key: 'w', attempt: 3, message: 'fail w', source: 'webhook' }]);
    expect(await controller.queue.getKeyState('w')).toMatchObject({
      status: 'DEAD_LETTER',
      attempts: 3,
    });
    // default: base 60 s, unlimited
    expect(runsAt.d?.map((t) => Math.round(t / 100) * 100)).toEqual([0, 60_000]);
    expect(errors.find((e) => e.key === 'd')).toMatchObject({
      willRetry: true,
      retryInMs: 60_000,
      permanent: false,
    });
    expect((errors.find((e) => e.key === 'd')?.error as Error).message).toBe('fail d');
  });

  it('drops a non-retriable key after one attempt and reports it as permanent', async () => {
    const errors: ErrorInfo[] = [];
    let runs = 0;
    const { controller, clock } = make(
      () => {
        runs++;
        return nonRetriable(new Error('malformed'), 'invalid-key');
      },
      { onError: (i) => errors.push(i) },
    );
    await controller.start();
    await controller.enqueue('bad');
    await settle(clock, controller);
    await advance(clock, 120_000, 1000);
    expect(runs).toBe(1);
    expect(errors).toMatchObject([
      { key: 'bad', permanent: true, willRetry: false, message: 'invalid-key: malformed' },
    ]);
    expect(await controller.queue.getKeyState('bad')).toBeUndefined();
  });

  it('calls onSuccess after the completion is stored, with follow-ups', async () => {
    const successes: unknown[] = [];
    const { controller, clock } = make(() => done(), { onSuccess: (i) => successes.push(i) });
    await controller.start();
    await controller.enqueue('a');
    await settle(clock, controller);
    expect(successes).toEqual([{ key: 'a', attempt: 1, followUps: [] }]);
  });

  it('skips a repeat within the recentlyDone window, not after it', async () => {
    let runs = 0;
    const { controller, clock } = make(() => void runs++, { recentlyDoneMs: 10_000 });
    await controller.start();
    await controller.enqueue('a');
    await settle(clock, controller);
    expect(await controller.enqueue('a')).toBe('skipped');
    expect(await controller.enqueue('a', { force: true })).toBe('added');
    await settle(clock, controller);
    expect(runs).toBe(2);
    await advance(clock, 10_000, 1000);
    expect(await controller.enqueue('a')).toBe('added');
    await settle(clock, controller);
    expect(runs).toBe(3);
  });

  it('routes keys by kind; a key of an unknown kind is dropped as non-retriable', async () => {
    const seen: string[] = [];
    const errors: ErrorInfo[] = [];
    const { controller, clock } = make(() => done(), {
      reconciler: undefined,
      reconcilers: {
        db: (k) => void seen.push(`db:${k}`),
        bucket: (k) => void seen.push(`bucket:${k}`),
      },
      onError: (i) => errors.push(i),
    });
    await controller.start();
    for (const k of ['db/1', 'bucket/x/y', 'vm/9']) await controller.enqueue(k);
    await settle(clock, controller);
    expect(seen.sort()).toEqual(['bucket:bucket/x/y', 'db:db/1']);
    expect(errors).toMatchObject([{ key: 'vm/9', permanent: true }]);
  });
});

describe('Controller: rate limiting', () => {
  it('spaces reconciles by the global token bucket', async () => {
    const at: number[] = [];
    const clock = new FakeClock();
    const t0 = clock.now();
    const { controller } = make(() => void at.push(clock.now() - t0), {
      clock,
      rateLimit: { perSecond: 2, burst: 1 },
    });
    await controller.start();
    for (const k of ['a', 'b', 'c', 'd']) await controller.enqueue(k);
    await advance(clock, 3000);
    expect(at).toHaveLength(4);
    for (let i = 1; i < at.length; i++)
      expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeGreaterThanOrEqual(490);
  });

  it('keeps a minimum interval between runs of a named action', async () => {
    const deploys: number[] = [];
    const clock = new FakeClock();
    const { controller } = make(
      async (_key, ctx) => {
        await ctx.limiter.wait('deploy', ctx.signal);
        deploys.push(clock.now());
      },
      { clock, minIntervalMs: { deploy: 1000 } },
    );
    await controller.start();
    for (const k of ['a', 'b', 'c']) await controller.enqueue(k);
    await advance(clock, 3000);
    expect(deploys).toHaveLength(3);
    expect((deploys[1] ?? 0) - (deploys[0] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect((deploys[2] ?? 0) - (deploys[1] ?? 0)).toBeGreaterThanOrEqual(1000);
  });
});

describe('Controller: any queue backend', () => {
  it('runs over a caller-provided backend and leaves it open on stop', async () => {
    const clock = new FakeClock();
    const queue = new MemoryBackend({ clock });
    let runs = 0;
    const { controller } = make(() => void runs++, { clock, queue, dispatchPeriodMs: 10 });
    await controller.start();
    await queue.enqueue({ key: 'external' }); // enqueued behind the controller's back: found by a poll
    await controller.enqueue('direct');
    await advance(clock, 15_000, 100);
    expect(runs).toBe(2);
    await controller.stop();
    expect(await queue.enqueue({ key: 'still-open' })).toBe('added');
  });
});
