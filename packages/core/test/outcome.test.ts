import { describe, expect, it } from 'vitest';
import { backoffDelayMs, decideAction, defaultWorkqueueOptions } from '../src/index.ts';

const options = defaultWorkqueueOptions;

describe('decideAction (the outcome table)', () => {
  it('success completes, carrying follow-ups', () => {
    expect(
      decideAction({ kind: 'success', followUps: [{ key: 'b' }] }, { attempts: 1, options }),
    ).toEqual({
      kind: 'complete',
      label: 'success',
      followUps: [{ key: 'b' }],
    });
  });

  it('requeue-after resets attempts and clamps floors to one hour', () => {
    expect(
      decideAction(
        { kind: 'requeue-after', delayMs: 500, floor: false },
        { attempts: 99, options },
      ),
    ).toMatchObject({
      kind: 'requeue',
      delayMs: 500,
      attempts: 'reset',
      label: 'requeued',
    });
    expect(
      decideAction(
        { kind: 'requeue-after', delayMs: 5 * 3_600_000, floor: true },
        { attempts: 1, options },
      ),
    ).toMatchObject({
      delayMs: 3_600_000,
      floor: true,
    });
  });

  it('a failure at maxRetry dead-letters first, even when non-retriable', () => {
    expect(decideAction({ kind: 'error', message: 'boom' }, { attempts: 100, options })).toEqual({
      kind: 'dead-letter',
      label: 'dead_lettered',
      lastError: 'boom',
    });
    expect(
      decideAction({ kind: 'non-retriable', message: 'bad' }, { attempts: 100, options }).kind,
    ).toBe('dead-letter');
  });

  it('maxRetry 0 never dead-letters', () => {
    const unlimited = { ...options, maxRetry: 0 };
    expect(
      decideAction({ kind: 'error', message: 'x' }, { attempts: 10_000, options: unlimited }).kind,
    ).toBe('requeue');
  });

  it('non-retriable drops; other errors retry with backoff, attempts kept', () => {
    expect(
      decideAction({ kind: 'non-retriable', message: 'bad key' }, { attempts: 1, options }),
    ).toMatchObject({
      kind: 'complete',
      label: 'dropped',
    });
    const a = decideAction(
      { kind: 'error', message: 'x' },
      { attempts: 3, options, random: () => 0 },
    );
    expect(a).toMatchObject({
      kind: 'requeue',
      label: 'retried',
      attempts: 'keep',
      delayMs: 120_000,
      lastError: 'x',
    });
  });

  it('shutdown requeues at once without counting the attempt', () => {
    expect(decideAction({ kind: 'shutdown' }, { attempts: 4, options })).toMatchObject({
      kind: 'requeue',
      delayMs: 0,
      attempts: 'uncount',
      label: 'drained',
    });
  });

  it('truncates the stored error to 1 KiB', () => {
    const a = decideAction({ kind: 'error', message: 'x'.repeat(5000) }, { attempts: 1, options });
    expect(a.kind === 'requeue' && Buffer.byteLength(a.lastError ?? '')).toBeLessThanOrEqual(1024);
  });
});

describe('backoffDelayMs', () => {
  const policy = { baseMs: 30_000, capMs: 600_000 };
  it('doubles from the base and caps', () => {
    expect([1, 2, 3, 4, 5, 6, 50, 5000].map((n) => backoffDelayMs(n, policy, () => 0))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000, 600_000,
    ]);
  });
  it('adds jitter in [0, delay/2)', () => {
    expect(backoffDelayMs(1, policy, () => 0.999)).toBeLessThan(45_000);
    expect(backoffDelayMs(1, policy, () => 0.5)).toBe(37_500);
  });
});
