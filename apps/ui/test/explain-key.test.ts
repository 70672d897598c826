import { KeyStatus, type KeyStateView } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { explainKey, runNowCheck } from '../src/index.ts';

const now = Date.UTC(2026, 0, 1, 12);
const base = { priority: 0, attempts: 0, queuedAt: now - 60_000, notBefore: 0, floor: false };
const queued = (over: Partial<KeyStateView> = {}): KeyStateView => ({
  key: 'k',
  status: KeyStatus.QUEUED,
  ...base,
  firstQueuedAt: now - 60_000,
  ...over,
});
const running = (over: Partial<KeyStateView> = {}): KeyStateView => ({
  key: 'k',
  status: KeyStatus.IN_PROGRESS,
  ...base,
  attempts: 1,
  owner: 'dispatcher-1',
  leaseExpiresAt: now + 30_000,
  ...over,
});
const dead = (over: Partial<KeyStateView> = {}): KeyStateView => ({
  key: 'k',
  status: KeyStatus.DEAD_LETTER,
  ...base,
  attempts: 3,
  failedAt: now - 5000,
  lastError: 'boom',
  ...over,
});

describe('explainKey', () => {
  it('says when no copy exists', () => {
    const e = explainKey({ key: 'k' }, { now });
    expect(e.condition).toBe('unknown');
    expect(e.reasons.map((r) => r.code)).toEqual(['not-found']);
    expect(e.runNow).toEqual({ allowed: false, reason: 'it is not queued' });
  });

  it('names the owner and lease end of a running key', () => {
    const e = explainKey({ key: 'k', inProgress: running() }, { now });
    expect(e.condition).toBe('running');
    expect(e.reasons[0]).toMatchObject({
      code: 'running',
      owner: 'dispatcher-1',
      until: now + 30_000,
    });
    expect(e.summary).toContain('a live lease held by dispatcher-1 until 2026-01-01T12:00:30.000Z');
    expect(e.runNow.allowed).toBe(false);
  });

  it('spots an expired lease (an orphan waiting for the sweep)', () => {
    const e = explainKey({ key: 'k', inProgress: running({ leaseExpiresAt: now - 1 }) }, { now });
    expect(e.reasons[0]?.code).toBe('lease-expired');
    expect(e.summary).toContain('orphan sweep');
  });

  it('explains a twin queued behind a running copy', () => {
    const e = explainKey({ key: 'k', inProgress: running(), queued: queued() }, { now });
    expect(e.reasons.map((r) => r.code)).toEqual(['running', 'twin-waits']);
    expect(e.runNow.allowed).toBe(false);
    expect(e.runNow.reason).toBe('it is already due');
  });

  it('distinguishes notBefore, backoff and floor', () => {
    const later = now + 90_000;
    const plain = explainKey({ key: 'k', queued: queued({ notBefore: later }) }, { now });
    expect(plain.condition).toBe('waiting');
    expect(plain.reasons[0]).toMatchObject({ code: 'not-before', until: later });
    expect(plain.runNow).toEqual({ allowed: true });

    const backoff = explainKey(
      { key: 'k', queued: queued({ notBefore: later, attempts: 2, lastError: 'x' }) },
      { now },
    );
    expect(backoff.reasons[0]?.code).toBe('backoff');
    expect(backoff.summary).toContain('2 failed attempts');

    const floor = explainKey(
      { key: 'k', queued: queued({ notBefore: later, floor: true }) },
      { now },
    );
    expect(floor.reasons[0]).toMatchObject({ code: 'floor', until: later });
    expect(floor.runNow.allowed).toBe(false);
    expect(floor.runNow.reason).toContain('floor');
  });

  it('a notBefore in the past is no longer a reason', () => {
    const e = explainKey(
      { key: 'k', queued: queued({ notBefore: now - 1, floor: true }) },
      { now },
    );
    expect(e.condition).toBe('ready');
    expect(e.reasons[0]?.code).toBe('eligible');
    expect(e.summary).toContain('if a dispatcher is running');
  });

  it('blames full concurrency for a due key when the dispatcher is known', () => {
    const full = explainKey(
      { key: 'k', queued: queued() },
      { now, dispatcher: { concurrency: 5, inFlight: 5 } },
    );
    expect(full.reasons[0]?.code).toBe('concurrency-full');
    expect(full.summary).toContain('all 5 dispatch slots are busy');
    const free = explainKey(
      { key: 'k', queued: queued() },
      { now, dispatcher: { concurrency: 5, inFlight: 4 } },
    );
    expect(free.reasons[0]?.code).toBe('eligible');
    expect(free.summary).not.toContain('if a dispatcher');
  });

  it('explains a dead letter, alone or already re-enqueued', () => {
    const alone = explainKey({ key: 'k', deadLetter: dead() }, { now });
    expect(alone.condition).toBe('dead-lettered');
    expect(alone.summary).toContain('after 3 attempts');
    expect(alone.summary).toContain('Re-enqueue it');

    const again = explainKey({ key: 'k', deadLetter: dead(), queued: queued() }, { now });
    expect(again.condition).toBe('ready');
    expect(again.reasons.map((r) => r.code)).toEqual(['eligible', 'dead-lettered']);
    expect(again.reasons[1]?.message).toContain('enqueued again');
  });

  it('survives times a Date cannot hold', () => {
    const e = explainKey({ key: 'k', queued: queued({ notBefore: 9e18 }) }, { now });
    expect(e.summary).toContain('9000000000000000000 ms after the epoch');
  });

  it('runNowCheck matches the explanation', () => {
    const copies = { key: 'k', queued: queued({ notBefore: now + 1000 }) };
    expect(runNowCheck(copies, now)).toEqual(explainKey(copies, { now }).runNow);
    expect(runNowCheck({ key: 'k', inProgress: running() }, now).reason).toContain('running');
  });
});
