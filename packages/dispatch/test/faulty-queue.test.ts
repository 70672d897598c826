import { FakeClock, LeaseLostError, UnavailableError } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { faultyQueue } from '../src/index.ts';
import { createBackend } from './support/backend.ts';

const isUnavailable = (e: unknown) => UnavailableError.is(e);
const isLeaseLost = (e: unknown) => LeaseLostError.is(e);

function setup(plan?: Parameters<typeof faultyQueue>[1]) {
  const clock = new FakeClock();
  return faultyQueue(createBackend(clock, {}), plan);
}

describe('faultyQueue', () => {
  it('passes everything through until told to fail', async () => {
    const q = setup();
    expect(await q.enqueue({ key: 'a' })).toBe('added');
    const [key] = (await q.listEligible(5)).keys;
    const owned = await q.start(key!, 'me');
    await owned?.renew();
    await owned?.complete();
    expect(await q.getKeyState('a')).toBeUndefined();
    expect(q.injected).toBe(0);
    expect(q.calls('enqueue')).toBe(1);
  });

  it('fails the next N calls of an operation, before running it', async () => {
    const q = setup();
    q.fail('enqueue', { times: 2 });
    await expect(q.enqueue({ key: 'a' })).rejects.toSatisfy(isUnavailable);
    await expect(q.enqueue({ key: 'a' })).rejects.toSatisfy(isUnavailable);
    expect(await q.getKeyState('a')).toBeUndefined(); // nothing was written
    expect(await q.enqueue({ key: 'a' })).toBe('added');
    expect(q.injected).toBe(2);
  });

  it('fails only the chosen key, and after the write when asked (a lost answer)', async () => {
    const q = setup();
    q.fail('enqueue', { key: 'b', after: true });
    await q.enqueue({ key: 'a' });
    await expect(q.enqueue({ key: 'b' })).rejects.toSatisfy(isUnavailable);
    expect(await q.getKeyState('b')).toMatchObject({ key: 'b' }); // it was written anyway
  });

  it('wraps owned keys, so their writes fail too, with a chosen error', async () => {
    const q = setup();
    await q.enqueue({ key: 'a' });
    const owned = await q.start((await q.listEligible(5)).keys[0]!, 'me');
    q.fail('complete', { error: () => new LeaseLostError('a') });
    await expect(owned!.complete()).rejects.toSatisfy(isLeaseLost);
    q.failAlways('renew');
    await expect(owned!.renew()).rejects.toSatisfy(isUnavailable);
    await expect(owned!.renew()).rejects.toSatisfy(isUnavailable);
    q.heal();
    await owned!.renew();
    expect(owned!.key).toBe('a');
    expect(owned!.attempts).toBe(1);
    expect(owned!.signal.aborted).toBe(false);
  });

  it('asks a plan function about every call', async () => {
    const asked: string[] = [];
    const q = setup({
      failNext: (op, key) => {
        asked.push(`${op}:${key ?? '-'}`);
        return op === 'listEligible';
      },
    });
    await q.enqueue({ key: 'a' });
    await expect(q.listEligible(5)).rejects.toSatisfy(isUnavailable);
    expect(asked).toEqual(['enqueue:a', 'listEligible:-']);
  });
});
