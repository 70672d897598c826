import { FakeClock, type InvalidArgumentError, ReconError } from '@recon/core';
import { describe, expect, it } from 'vitest';
import {
  NonRetriableError,
  RequeueAfter,
  createContext,
  createLogger,
  done,
  nonRetriable,
  queueKeys,
  reconciler,
  requeueAfter,
  runAttempt,
  toOutcome,
  type ReconcileFn,
} from '../src/index.ts';

const ctxFor = (key = 'k') =>
  createContext({ key, signal: new AbortController().signal, clock: new FakeClock() });

async function outcomeOf(fn: ReconcileFn) {
  return (await runAttempt(reconciler(fn), ctxFor())).outcome;
}

describe('toOutcome: returned results', () => {
  it('maps done() and a bare return to success', () => {
    expect(toOutcome(done())).toEqual({ kind: 'success' });
    expect(toOutcome(undefined)).toEqual({ kind: 'success' });
  });

  it('maps requeueAfter with ms, duration strings and floors', () => {
    expect(toOutcome(requeueAfter(250))).toEqual({
      kind: 'requeue-after',
      delayMs: 250,
      floor: false,
    });
    expect(toOutcome(requeueAfter('5m'))).toEqual({
      kind: 'requeue-after',
      delayMs: 300_000,
      floor: false,
    });
    expect(toOutcome(requeueAfter('1s', { floor: true }))).toEqual({
      kind: 'requeue-after',
      delayMs: 1000,
      floor: true,
    });
  });

  it('keeps a zero delay a requeue, never a completion', () => {
    expect(toOutcome(requeueAfter(0))).toEqual({ kind: 'requeue-after', delayMs: 0, floor: false });
  });

  it('adds jitter as a random fraction of the delay', () => {
    expect(toOutcome(requeueAfter('10s', { jitter: 0.5 }), { random: () => 0.5 })).toMatchObject({
      delayMs: 12_500,
    });
    expect(toOutcome(requeueAfter('10s', { jitter: 0.5 }), { random: () => 0 })).toMatchObject({
      delayMs: 10_000,
    });
  });

  it('maps queueKeys to success with follow-ups', () => {
    expect(toOutcome(queueKeys([{ key: 'a' }, { key: 'b', priority: 5, delay: '2s' }]))).toEqual({
      kind: 'success',
      followUps: [
        { key: 'a', priority: 0, delayMs: 0 },
        { key: 'b', priority: 5, delayMs: 2000 },
      ],
    });
    expect(toOutcome(queueKeys([]))).toEqual({ kind: 'success' });
  });

  it('maps nonRetriable with its reason', () => {
    expect(toOutcome(nonRetriable(new Error('no such repo'), 'not-found'))).toEqual({
      kind: 'non-retriable',
      message: 'not-found: no such repo',
    });
    expect(toOutcome(nonRetriable('bad key'))).toEqual({
      kind: 'non-retriable',
      message: 'bad key',
    });
  });

  it('rejects bad input naming the field', () => {
    expect(() => requeueAfter(-1)).toThrowError(/delay/);
    expect(() => requeueAfter('soon')).toSatisfy((f: () => unknown) => {
      try {
        f();
        return false;
      } catch (e) {
        return (
          ReconError.is(e) &&
          e.code === 'INVALID_ARGUMENT' &&
          (e as InvalidArgumentError).field === 'delay'
        );
      }
    });
    expect(() => queueKeys([{ key: '' }])).toThrowError(/keys\[0\]\.key/);
    expect(() => queueKeys([{ key: 'a', priority: 2 ** 40 }])).toThrowError(/keys\[0\]\.priority/);
  });

  it('treats an unrecognised returned value as an error', () => {
    expect(toOutcome(42)).toMatchObject({ kind: 'error' });
    expect(toOutcome({ kind: 'done' })).toMatchObject({ kind: 'error' });
  });
});

describe('toOutcome: thrown results and errors', () => {
  it('honours thrown branded outcomes, matched by brand', async () => {
    expect(
      await outcomeOf(() => {
        throw new RequeueAfter('1500ms', { floor: true });
      }),
    ).toEqual({ kind: 'requeue-after', delayMs: 1500, floor: true });
    expect(
      await outcomeOf(() => {
        throw requeueAfter('2s');
      }),
    ).toEqual({ kind: 'requeue-after', delayMs: 2000, floor: false });
    expect(
      await outcomeOf(async () => {
        throw new NonRetriableError('gone', { reason: 'deleted' });
      }),
    ).toEqual({ kind: 'non-retriable', message: 'deleted: gone' });
    expect(
      await outcomeOf(() => {
        throw queueKeys([{ key: 'x', priority: 1 }]);
      }),
    ).toEqual({ kind: 'success', followUps: [{ key: 'x', priority: 1, delayMs: 0 }] });
  });

  it('matches brands across copies: a look-alike with the global brand is honoured', () => {
    const foreign = new NonRetriableError('x');
    const copy = Object.assign(Object.create(null) as object, {
      [Symbol.for('recon.error.code')]: 'NON_RETRIABLE',
      message: 'from another copy',
    });
    expect(toOutcome(foreign, { thrown: true }).kind).toBe('non-retriable');
    expect(toOutcome(copy, { thrown: true })).toEqual({
      kind: 'non-retriable',
      message: 'from another copy',
    });
  });

  it('never reads message text: an Error that says "non-retriable" is retried', () => {
    expect(toOutcome(new Error('NonRetriableError: do not retry'), { thrown: true }).kind).toBe(
      'error',
    );
  });

  it('retries plain errors, non-Error throws, sync throws and rejections', async () => {
    expect(await outcomeOf(() => Promise.reject(new Error('boom')))).toEqual({
      kind: 'error',
      message: 'boom',
    });
    expect(
      await outcomeOf(() => {
        throw new TypeError('sync');
      }),
    ).toEqual({ kind: 'error', message: 'sync' });
    expect(
      await outcomeOf(() => {
        throw 'a string';
      }),
    ).toEqual({ kind: 'error', message: 'a string' });
    expect(
      await outcomeOf(() => {
        throw { code: 7 };
      }),
    ).toEqual({ kind: 'error', message: '{"code":7}' });
    expect(
      await outcomeOf(() => {
        throw undefined;
      }),
    ).toEqual({ kind: 'error', message: 'reconciler threw undefined' });
  });
});

describe('context', () => {
  it('binds key and attempt to the structured logger with Cloud Logging field names', () => {
    const lines: string[] = [];
    const ctx = createContext({
      key: 'tenant/db-1',
      attempt: 3,
      signal: new AbortController().signal,
      logger: createLogger({ write: (l) => lines.push(l), now: () => 0 }),
    });
    ctx.logger.warn('slow', { ms: 12, err: new Error('e') });
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({
      severity: 'WARNING',
      message: 'slow',
      key: 'tenant/db-1',
      attempt: 3,
      ms: 12,
      time: '1970-01-01T00:00:00.000Z',
      err: { message: 'e', name: 'Error' },
    });
    expect(ctx.maxAttempts).toBe(0);
    expect(ctx.priority).toBe(0);
  });
});
