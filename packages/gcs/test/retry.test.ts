import { describe, expect, it } from 'vitest';
import { FakeClock, UnavailableError } from '@recon/core';
import { classifyFailure } from '../src/gcs-errors.ts';
import { retryDelayMs, withRetry } from '../src/retry.ts';
import type { Retrier } from '../src/retry.ts';

const apiError = (code: number) => Object.assign(new Error(`status ${code}`), { code });

describe('classifyFailure', () => {
  it('reads preconditions and absence as protocol, not failure', () => {
    expect(classifyFailure(apiError(412))).toBe('precondition');
    expect(classifyFailure(apiError(404))).toBe('not-found');
  });

  it('retries 408, 429 and 5xx, and connection failures', () => {
    for (const code of [408, 429, 500, 502, 503, 504])
      expect(classifyFailure(apiError(code))).toBe('transient');
    expect(
      classifyFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ).toBe('transient');
    expect(classifyFailure(Object.assign(new Error('x'), { type: 'system' }))).toBe('transient');
    expect(
      classifyFailure(Object.assign(new Error('x'), { errors: [{ reason: 'ECONNRESET' }] })),
    ).toBe('transient');
    expect(
      classifyFailure(
        new Error('wrapped', { cause: Object.assign(new Error(), { code: 'EPIPE' }) }),
      ),
    ).toBe('transient');
    expect(classifyFailure({ response: { status: 503 } })).toBe('transient');
  });

  it('treats other client errors as fatal', () => {
    expect(classifyFailure(apiError(400))).toBe('fatal');
    expect(classifyFailure(apiError(403))).toBe('fatal');
    expect(classifyFailure(new Error('bug'))).toBe('fatal');
    expect(classifyFailure(undefined)).toBe('fatal');
  });
});

describe('withRetry', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

  function retrier(): Retrier & { clock: FakeClock } {
    return { policy, clock: new FakeClock(0), random: () => 0.5 };
  }

  it('backs off exponentially with jitter, capped', () => {
    expect(retryDelayMs(1, policy, () => 0)).toBe(50);
    expect(retryDelayMs(1, policy, () => 0.999)).toBeCloseTo(99.95);
    expect(retryDelayMs(2, policy, () => 0)).toBe(100);
    expect(retryDelayMs(9, policy, () => 0)).toBe(125);
  });

  it('retries transient failures on the I/O clock, then succeeds', async () => {
    const r = retrier();
    let calls = 0;
    const result = withRetry(r, 'op', async () => {
      calls++;
      if (calls < 3) throw apiError(503);
      return 'ok';
    });
    await r.clock.advance(1000);
    await expect(result).resolves.toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up after maxAttempts with UnavailableError carrying the cause', async () => {
    const r = retrier();
    let calls = 0;
    const result = withRetry(r, 'op', async () => {
      calls++;
      throw apiError(429);
    });
    const check = expect(result).rejects.toSatisfy(
      (e) => UnavailableError.is(e) && (e as Error).cause !== undefined,
    );
    await r.clock.advance(10_000);
    await check;
    expect(calls).toBe(4);
  });

  it('returns 412 and 404 at once', async () => {
    const r = retrier();
    let calls = 0;
    await expect(
      withRetry(r, 'op', async () => {
        calls++;
        throw apiError(412);
      }),
    ).rejects.toMatchObject({ code: 412 });
    expect(calls).toBe(1);
  });

  it('stops between tries when the signal aborts', async () => {
    const r = retrier();
    const controller = new AbortController();
    const result = withRetry(
      r,
      'op',
      async () => {
        throw apiError(503);
      },
      controller.signal,
    );
    const check = expect(result).rejects.toBeDefined();
    controller.abort(new Error('stop'));
    await r.clock.advance(1000);
    await check;
  });
});
