import { describe, expect, it } from 'vitest';
import { done, nonRetriable, queueKeys, reconciler, requeueAfter } from '@recon/sdk';
import { createHarness, FakeClock, failNth, flaky, InjectedFault, ms } from '../src/index.ts';

describe('createHarness', () => {
  it('drives a reconciler through backoff to success, recording attempts', async () => {
    const h = createHarness(failNth(() => done(), [1, 2]));
    await h.enqueue('repo/a');
    const summary = await h.run();
    expect(summary).toMatchObject({ quiescent: true, runs: 3 });
    expect(h.outcomes('repo/a').map((o) => [o.attempt, o.kind, o.action])).toEqual([
      [1, 'error', 'retried'],
      [2, 'error', 'retried'],
      [3, 'success', 'success'],
    ]);
    // backoff 1 s then 2 s (no jitter by default)
    expect(h.outcomes('repo/a').map((o) => o.at)).toEqual([0, 1000, 3000]);
    expect(await h.state('repo/a')).toBeUndefined();
  });

  it('dead-letters after maxRetry failures', async () => {
    const h = createHarness(
      () => {
        throw new Error('always');
      },
      { maxRetry: 3 },
    );
    await h.enqueue('k');
    await h.run();
    expect(h.outcomes('k').map((o) => o.action)).toEqual(['retried', 'retried', 'dead_lettered']);
    expect(await h.state('k')).toMatchObject({
      status: 'DEAD_LETTER',
      attempts: 3,
      lastError: 'always',
    });
  });

  it('follows requeue-after through simulated time, bounded by maxSimulatedMs', async () => {
    const h = createHarness(() => requeueAfter('5m'), { maxSimulatedMs: ms('1h') });
    await h.enqueue('poll');
    const summary = await h.run();
    expect(summary.quiescent).toBe(false);
    expect(summary.elapsedMs).toBe(ms('1h'));
    expect(h.runs('poll')).toBe(13); // t = 0, 5m, ..., 60m
    expect(h.outcomes('poll').every((o) => o.attempt === 1 && o.delayMs === ms('5m'))).toBe(true);
  });

  it('runs follow-up keys and records dropped keys', async () => {
    const h = createHarness(
      reconciler((key) => {
        if (key === 'parent') return queueKeys([{ key: 'child', delay: '10s' }, { key: 'bad' }]);
        if (key === 'bad') return nonRetriable(new Error('malformed'), 'invalid');
        return done();
      }),
    );
    await h.enqueue('parent');
    await h.run();
    expect(h.outcomes('parent')[0]).toMatchObject({ kind: 'success', followUps: ['child', 'bad'] });
    expect(h.outcomes('bad')).toMatchObject([
      { kind: 'non-retriable', action: 'dropped', message: 'invalid: malformed' },
    ]);
    expect(h.outcomes('child')).toMatchObject([{ kind: 'success', at: 10_000 }]);
  });

  it('records events the reconciler emits and shares a caller clock', async () => {
    const clock = new FakeClock(0);
    const h = createHarness(
      async (key, ctx) => {
        await ctx.emit({ id: key, source: '/t', type: 'io.example.done', specversion: '1.0' });
      },
      { clock },
    );
    await h.enqueue('a', { delay: 500 });
    await h.run();
    expect(clock.now()).toBe(500);
    expect(h.events.map((e) => e.id)).toEqual(['a']);
  });
});

describe('fault wrappers', () => {
  it('failNth fails exactly the nth call with the given or a branded error', async () => {
    const calls: string[] = [];
    const r = failNth((key) => void calls.push(key), 2, new Error('custom'));
    const h = createHarness(r);
    for (const k of ['a', 'b', 'c']) await h.enqueue(k);
    await h.run();
    expect(h.outcomes('b').map((o) => o.message ?? o.kind)).toEqual(['custom', 'success']);
    expect(calls.sort()).toEqual(['a', 'b', 'c']);
    const wrapped = failNth(() => done(), 1);
    const branded = await Promise.resolve()
      .then(() => wrapped.reconcile('x', {} as never))
      .catch((e: unknown) => e);
    expect(InjectedFault.is(branded)).toBe(true);
  });

  it('flaky fails every nth call', async () => {
    const h = createHarness(flaky(() => done(), { every: 2 }));
    for (const k of ['a', 'b', 'c', 'd']) await h.enqueue(k);
    await h.run();
    const failures = ['a', 'b', 'c', 'd']
      .flatMap((k) => h.outcomes(k))
      .filter((o) => o.kind === 'error');
    expect(failures).toHaveLength(3); // calls 2, 4 and 6 of 7
    expect(() => flaky(() => done(), { every: 0 })).toThrow(RangeError);
  });
});
