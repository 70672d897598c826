import { describe, expect, it } from 'vitest';
import { mergeQueued } from '@recon/core';
import {
  Meta,
  queuedPatch,
  readDeadLetter,
  readInProgress,
  readQueued,
  toStoredPrecision,
  writeDeadLetter,
  writeInProgress,
  writeQueued,
} from '../src/metadata.ts';
import type { StoredQueued } from '../src/metadata.ts';

const created = Date.UTC(2026, 0, 1, 12, 0, 0, 250);
const t = (s: string) => Date.parse(s);

describe('queued copies', () => {
  const full: StoredQueued = {
    priority: 100,
    firstQueuedAt: t('2026-01-01T11:00:00.125Z'),
    notBefore: t('2026-01-01T12:30:00.500Z'),
    floor: true,
    attempts: 3,
    lastError: 'boom',
    lastAttemptedAt: t('2026-01-01T11:59:00Z'),
  };

  it('writes every field in the formats Go reads', () => {
    expect(writeQueued(full)).toEqual({
      priority: '00000100',
      'not-before': '2026-01-01T12:30:01Z', // rounded up: a Go peer never runs it early
      'not-before-ms': String(t('2026-01-01T12:30:00.500Z')),
      'not-before-floor': 'true',
      attempts: '3',
      'first-queued': '2026-01-01T11:00:00.125Z',
      'last-error': 'boom',
      'last-attempted': String(t('2026-01-01T11:59:00Z') / 1000),
    });
  });

  it('round-trips every field', () => {
    expect(readQueued(writeQueued(full), created)).toEqual({ ...full, queuedAt: created });
  });

  it('carries the create token, and a merge patch keeps it', () => {
    expect(writeQueued(full, 'tok')[Meta.createToken]).toBe('tok');
    expect(Meta.createToken in queuedPatch(full)).toBe(false);
  });

  it('writes no notBefore as the zero time, and no floor without a notBefore', () => {
    const m = writeQueued({ ...full, notBefore: 0, floor: true });
    expect(m[Meta.notBefore]).toBe('0001-01-01T00:00:00Z');
    expect(m[Meta.notBeforeMs]).toBeUndefined();
    expect(m[Meta.notBeforeFloor]).toBeUndefined();
    expect(readQueued(m, created)).toMatchObject({ notBefore: 0, floor: false });
  });

  it('reads what the Go implementation writes on enqueue', () => {
    const go = { priority: '00000100', 'not-before': '0001-01-01T00:00:00Z' };
    expect(readQueued(go, created)).toEqual({
      priority: 100,
      queuedAt: created,
      firstQueuedAt: created, // no ext field: the creation time
      notBefore: 0,
      floor: false,
      attempts: 0, // missing = 0
    });
  });

  it('reads a Go requeue: plain priority, a not-before, attempts and last-attempted', () => {
    const go = {
      priority: '7',
      'not-before': '2026-01-01T12:05:00Z',
      attempts: '2',
      'last-attempted': '1767268800',
      owner: 'go-dispatcher',
    };
    expect(readQueued(go, created)).toMatchObject({
      priority: 7,
      notBefore: t('2026-01-01T12:05:00Z'),
      attempts: 2,
      lastAttemptedAt: 1_767_268_800_000,
    });
  });

  it('reads negative and large priorities as integers', () => {
    expect(readQueued({ priority: '-0000005' }, created).priority).toBe(-5);
    expect(readQueued({ priority: '-5' }, created).priority).toBe(-5);
    expect(readQueued({ priority: '2147483647' }, created).priority).toBe(2_147_483_647);
    expect(readQueued({ priority: 'high' }, created).priority).toBe(0);
  });

  it('believes not-before over not-before-ms when they disagree beyond the second', () => {
    // A Go peer merged an earlier not-before without knowing our ms field.
    const m = { ...writeQueued(full), 'not-before': '2026-01-01T12:10:00Z' };
    expect(readQueued(m, created).notBefore).toBe(t('2026-01-01T12:10:00Z'));
    // Within the second they agree: the ms field adds precision.
    expect(readQueued(writeQueued(full), created).notBefore).toBe(t('2026-01-01T12:30:00.500Z'));
  });

  it('reads a malformed or zero not-before as none, as Go does', () => {
    expect(readQueued({ 'not-before': 'tomorrow', 'not-before-ms': '99' }, created).notBefore).toBe(
      0,
    );
    expect(
      readQueued({ 'not-before': '0001-01-01T00:00:00Z', 'not-before-floor': 'true' }, created),
    ).toMatchObject({
      notBefore: 0,
      floor: false,
    });
  });

  it('patches away optional fields the new state does not carry', () => {
    const patch = queuedPatch({
      ...full,
      notBefore: 0,
      floor: false,
      lastError: undefined,
      lastAttemptedAt: undefined,
    });
    expect(patch).toMatchObject({
      'not-before': '0001-01-01T00:00:00Z',
      'not-before-ms': null,
      'not-before-floor': null,
      'last-error': null,
      'last-attempted': null,
    });
  });

  it('truncates last-error to 1 KiB', () => {
    const m = writeQueued({ ...full, lastError: 'x'.repeat(5000) });
    expect(Buffer.byteLength(m[Meta.lastError] ?? '')).toBeLessThanOrEqual(1024);
  });

  it('stored precision makes a merge with the stored copy a no-op (a retried write changes nothing)', () => {
    const incoming = toStoredPrecision({
      priority: 3,
      notBefore: t('2026-01-01T12:00:00Z') + 0.4,
      floor: false,
      attempts: 1,
      firstQueuedAt: created,
      lastError: 'e'.repeat(2000),
      lastAttemptedAt: t('2026-01-01T12:00:00.999Z'),
    });
    const stored = readQueued(writeQueued({ ...incoming }), created);
    expect(mergeQueued(stored, incoming).changed).toBe(false);
  });
});

describe('in-progress copies', () => {
  it('round-trips, with notBefore cleared to the zero time for Go', () => {
    const s = {
      priority: 5,
      attempts: 2,
      firstQueuedAt: t('2026-01-01T10:00:00.001Z'),
      leaseExpiresAt: t('2026-01-01T12:15:00.750Z'),
      owner: 'dispatcher-1',
      token: 'tok',
      lastError: 'e',
      lastAttemptedAt: t('2026-01-01T11:00:00Z'),
    };
    const m = writeInProgress(s);
    expect(m).toMatchObject({
      priority: '00000005',
      'not-before': '0001-01-01T00:00:00Z',
      attempts: '2',
      'lease-expiration': '2026-01-01T12:15:00.750Z',
      owner: 'dispatcher-1',
      'attempt-token': 'tok',
    });
    expect(readInProgress(m, created)).toEqual(s);
  });

  it('reads a Go in-progress copy; a missing or bad lease is an orphan (0)', () => {
    const go = {
      priority: '00000001',
      'not-before': '0001-01-01T00:00:00Z',
      attempts: '1',
      'lease-expiration': '2026-01-01T12:15:00Z',
    };
    expect(readInProgress(go, created)).toEqual({
      priority: 1,
      attempts: 1,
      firstQueuedAt: created,
      leaseExpiresAt: t('2026-01-01T12:15:00Z'),
    });
    expect(readInProgress({}, created).leaseExpiresAt).toBe(0);
    expect(readInProgress({ 'lease-expiration': 'never' }, created).leaseExpiresAt).toBe(0);
  });
});

describe('dead-letter copies', () => {
  it('round-trips, failed-time at second precision', () => {
    const s = {
      priority: 9,
      attempts: 5,
      firstQueuedAt: t('2026-01-01T10:00:00.001Z'),
      failedAt: t('2026-01-01T12:00:00Z'),
      lastError: 'gave up',
      lastAttemptedAt: t('2026-01-01T12:00:00Z'),
    };
    const m = writeDeadLetter(s);
    expect(m['failed-time']).toBe('2026-01-01T12:00:00Z');
    expect(readDeadLetter(m, created)).toEqual(s);
  });

  it('reads a Go dead letter, failed-time falling back to the creation time', () => {
    expect(readDeadLetter({ priority: '00000002', attempts: '100' }, created)).toEqual({
      priority: 2,
      attempts: 100,
      firstQueuedAt: created,
      failedAt: created,
    });
  });
});
