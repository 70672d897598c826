/**
 * Sharing a bucket with the Go workqueue: objects written with exactly the metadata Go writes are
 * read correctly, and what we write is what Go's code parses.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock, KeyStatus } from '@recon/core';
import { startListed, useEmulator } from './emulator.ts';

const fx = useEmulator();

/** Writes an object the way Go's client does (a plain create with user metadata). */
async function goWrite(
  bucket: string,
  name: string,
  metadata: Record<string, string>,
): Promise<void> {
  await fx.storage.bucket(bucket).file(name).save('', { resumable: false, metadata: { metadata } });
}

async function raw(bucket: string, name: string): Promise<Record<string, string>> {
  const [m] = await fx.storage.bucket(bucket).file(name).getMetadata();
  return (m.metadata ?? {}) as Record<string, string>;
}

const goRfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('reading what Go writes', () => {
  it('a Go enqueue (padded priority, zero not-before, no attempts, no ext fields)', async () => {
    const b = fx.backend();
    await goWrite(b.options.bucket, 'queued/go-key', {
      priority: '00000100',
      'not-before': '0001-01-01T00:00:00Z',
    });
    const [listed] = (await b.listEligible(5)).keys;
    expect(listed).toMatchObject({
      key: 'go-key',
      priority: 100,
      attempts: 0,
      notBefore: 0,
      floor: false,
    });
    expect(listed?.firstQueuedAt).toBe(listed?.queuedAt);
    const owned = await startListed(b, 'go-key');
    expect(owned.attempts).toBe(1);
    await owned.complete();
    expect(await b.getKeyState('go-key')).toBeUndefined();
  });

  it('orders Go and our priorities as integers, never as text', async () => {
    const b = fx.backend();
    await goWrite(b.options.bucket, 'queued/go-100', {
      priority: '00000100',
      'not-before': '0001-01-01T00:00:00Z',
    });
    await goWrite(b.options.bucket, 'queued/go-big', {
      priority: '100000000',
      'not-before': '0001-01-01T00:00:00Z',
    });
    await goWrite(b.options.bucket, 'queued/go-neg', {
      priority: '-0000005',
      'not-before': '0001-01-01T00:00:00Z',
    });
    await b.enqueue({ key: 'ours-99', priority: 99 });
    await b.enqueue({ key: 'ours-0' });
    expect((await b.listEligible(10)).keys.map((k) => `${k.key}=${k.priority}`)).toEqual([
      'go-big=100000000',
      'go-100=100',
      'ours-99=99',
      'ours-0=0',
      'go-neg=-5',
    ]);
  });

  it('a Go requeue with backoff (plain priority, future not-before, attempts, last-attempted, owner)', async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    await goWrite(b.options.bucket, 'queued/retry', {
      priority: '7',
      'not-before': '2026-01-01T00:00:30Z',
      attempts: '3',
      'last-attempted': String(Date.UTC(2026, 0, 1) / 1000),
      owner: 'go',
    });
    const listing = await b.listEligible(5);
    expect(listing.keys).toEqual([]);
    expect(listing.nextNotBefore).toBe(Date.UTC(2026, 0, 1, 0, 0, 30));
    expect(await b.getKeyState('retry')).toMatchObject({
      priority: 7,
      attempts: 3,
      lastAttemptedAt: Date.UTC(2026, 0, 1),
    });
    await clock.advance(30_000);
    const owned = await startListed(b, 'retry');
    expect(owned.attempts).toBe(4);
    await owned.complete();
  });

  it('a Go orphan (expired lease, no owner) is requeued by our sweep with attempts kept', async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    await goWrite(b.options.bucket, 'in-progress/orphan', {
      priority: '00000002',
      'not-before': '0001-01-01T00:00:00Z',
      attempts: '4',
      'lease-expiration': '2025-12-31T23:59:00Z',
    });
    await goWrite(b.options.bucket, 'in-progress/no-lease', {
      priority: '00000000',
      attempts: '1',
    });
    const result = await b.sweepOrphans();
    expect(result.requeued.sort()).toEqual(['no-lease', 'orphan']);
    expect(await b.getKeyState('orphan')).toMatchObject({
      status: KeyStatus.QUEUED,
      priority: 2,
      attempts: 4,
    });
    expect((await b.stats()).inProgress).toBe(0);
  });

  it("a Go owner's live lease excludes the queued twin; start's 412 is authoritative", async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    await goWrite(b.options.bucket, 'queued/busy', {
      priority: '00000000',
      'not-before': '0001-01-01T00:00:00Z',
    });
    await goWrite(b.options.bucket, 'in-progress/busy', {
      priority: '00000000',
      'not-before': '0001-01-01T00:00:00Z',
      attempts: '1',
      'lease-expiration': '2026-01-01T00:15:00Z',
    });
    const [listed] = (await b.listEligible(5)).keys; // this instance has not swept yet
    expect(listed?.key).toBe('busy');
    expect(await b.start(listed!, 'us')).toBeUndefined();
    expect((await b.listEligible(5)).keys).toEqual([]); // known busy until the Go lease expires
    await clock.set(Date.UTC(2026, 0, 1, 0, 15, 1));
    const [again] = (await b.listEligible(5)).keys;
    expect(again?.key).toBe('busy');
    // The Go owner died: its copy is an orphan, which the failed start gives back at once.
    expect(await b.start(again!, 'us')).toBeUndefined();
    expect(await b.getKeyState('busy')).toMatchObject({ status: KeyStatus.QUEUED, attempts: 1 });
    const owned = await startListed(b, 'busy');
    expect(owned.attempts).toBe(2);
    await owned.complete();
  });

  it('a Go dead letter (failed-time, attempts) is listed and re-enqueued', async () => {
    const b = fx.backend();
    await goWrite(b.options.bucket, 'dead-letter/dl', {
      priority: '00000005',
      'not-before': '0001-01-01T00:00:00Z',
      attempts: '100',
      'failed-time': '2025-12-31T10:00:00Z',
    });
    const { entries } = await b.list(KeyStatus.DEAD_LETTER);
    expect(entries).toEqual([
      expect.objectContaining({
        key: 'dl',
        priority: 5,
        attempts: 100,
        failedAt: Date.UTC(2025, 11, 31, 10),
      }),
    ]);
    expect(await b.reenqueueDeadLetter('dl')).toBe(true);
    expect(await b.getKeyState('dl')).toMatchObject({
      status: KeyStatus.QUEUED,
      priority: 5,
      attempts: 0,
    });
  });

  it('a Go merge over our copy (it patches priority and not-before only) wins over not-before-ms', async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    await b.enqueue({ key: 'k', delayMs: 60_500 });
    await fx.storage
      .bucket(b.options.bucket)
      .file('queued/k')
      .setMetadata({ metadata: { priority: '00000010', 'not-before': '2026-01-01T00:00:20Z' } });
    expect(await b.getKeyState('k')).toMatchObject({
      priority: 10,
      notBefore: Date.UTC(2026, 0, 1, 0, 0, 20),
    });
  });
});

describe('writing what Go reads', () => {
  it('every copy carries priority (%08d), an RFC 3339 not-before and decimal attempts', async () => {
    const b = fx.backend();
    const bucket = b.options.bucket;
    await b.enqueue({ key: 'q', priority: 42 });
    await b.enqueue({ key: 'p' });
    await b.enqueue({ key: 'd' });
    const q = await raw(bucket, 'queued/q');
    expect(q).toMatchObject({
      priority: '00000042',
      'not-before': '0001-01-01T00:00:00Z',
      attempts: '0',
    });

    const p = await startListed(b, 'p');
    const ip = await raw(bucket, 'in-progress/p');
    expect(ip['priority']).toBe('00000000');
    expect(ip['not-before']).toBe('0001-01-01T00:00:00Z');
    expect(ip['attempts']).toBe('1');
    expect(ip['lease-expiration']).toMatch(goRfc3339);
    await p.requeue({ delayMs: 90_000, attempts: 'keep', lastError: 'e' });
    const rq = await raw(bucket, 'queued/p');
    expect(rq['not-before']).toMatch(goRfc3339);
    expect(rq['last-attempted']).toMatch(/^\d+$/);
    expect(rq['lease-expiration']).toBeUndefined();

    const d = await startListed(b, 'd');
    await d.deadLetter('failed');
    const dl = await raw(bucket, 'dead-letter/d');
    expect(dl['failed-time']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(dl['attempts']).toBe('1');
    expect(dl['priority']).toBe('00000000');
  });

  it('a Go start of our queued copy (copy keeping our metadata, then its own fields) stays readable', async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    await b.enqueue({ key: 'k', priority: 3 });
    const bucket = fx.storage.bucket(b.options.bucket);
    const [m] = await bucket.file('queued/k').getMetadata();
    const metadata = {
      ...(m.metadata as Record<string, string>),
      'lease-expiration': '2026-01-01T00:15:00Z',
      attempts: '1',
      'not-before': '0001-01-01T00:00:00Z',
    };
    await bucket.file('queued/k').copy(bucket.file('in-progress/k'), { metadata });
    await bucket.file('queued/k').delete();
    expect(await b.getKeyState('k')).toMatchObject({
      status: KeyStatus.IN_PROGRESS,
      priority: 3,
      attempts: 1,
      leaseExpiresAt: Date.UTC(2026, 0, 1, 0, 15),
      firstQueuedAt: clock.now(),
    });
  });
});
