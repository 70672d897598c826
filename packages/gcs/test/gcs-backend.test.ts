import { describe, expect, it } from 'vitest';
import { FakeClock, InvalidArgumentError, KeyStatus, LeaseLostError } from '@recon/core';
import { startListed, useEmulator } from './emulator.ts';

const fx = useEmulator();

async function rawMetadata(bucket: string, name: string) {
  const [m] = await fx.storage.bucket(bucket).file(name).getMetadata();
  return {
    metadata: m.metadata ?? {},
    generation: String(m.generation),
    timeCreated: Date.parse(String(m.timeCreated)),
  };
}

describe('GcsBackend on the emulator', () => {
  it('enqueue writes an empty queued/<key> whose metadata round-trips through getKeyState', async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    expect(await b.enqueue({ key: 'tenant/a', priority: 100, delayMs: 1500, floor: true })).toBe(
      'added',
    );
    const name = 'queued/tenant/a';
    const [contents] = await fx.storage.bucket(b.options.bucket).file(name).download();
    expect(contents.length).toBe(0);
    const raw = await rawMetadata(b.options.bucket, name);
    expect(raw.metadata).toEqual({
      priority: '00000100',
      'not-before': '2026-01-01T00:00:02Z',
      'not-before-ms': String(clock.now() + 1500),
      'not-before-floor': 'true',
      attempts: '0',
      'first-queued': '2026-01-01T00:00:00.000Z',
      'create-token': expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(await b.getKeyState('tenant/a')).toEqual({
      key: 'tenant/a',
      status: KeyStatus.QUEUED,
      priority: 100,
      attempts: 0,
      queuedAt: raw.timeCreated,
      notBefore: clock.now() + 1500,
      floor: true,
      firstQueuedAt: clock.now(),
    });
  });

  it('a duplicate enqueue merges (priority max, earliest notBefore) without a new object', async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    await b.enqueue({ key: 'k', delayMs: 60_000 });
    const before = await rawMetadata(b.options.bucket, 'queued/k');
    expect(await b.enqueue({ key: 'k', priority: 7, delayMs: 10_000 })).toBe('deduped');
    const after = await rawMetadata(b.options.bucket, 'queued/k');
    expect(after.generation).toBe(before.generation);
    expect(after.metadata).toMatchObject({
      priority: '00000007',
      'not-before': '2026-01-01T00:00:10Z',
    });
    const patches = fx.emulator.counters().byOperation['objects.patch'] ?? 0;
    expect(await b.enqueue({ key: 'k', priority: 1, delayMs: 20_000 })).toBe('deduped');
    expect(fx.emulator.counters().byOperation['objects.patch'] ?? 0).toBe(patches); // nothing changed
  });

  it('start writes the in-progress copy Go expects; complete removes it', async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    await b.enqueue({ key: 'job', priority: 3 });
    const owned = await startListed(b, 'job', 'dispatcher-1');
    expect(owned).toMatchObject({ key: 'job', priority: 3, attempts: 1, owner: 'dispatcher-1' });
    expect(owned.leaseExpiresAt).toBe(clock.now() + 60_000);
    const raw = await rawMetadata(b.options.bucket, 'in-progress/job');
    expect(raw.metadata).toMatchObject({
      priority: '00000003',
      'not-before': '0001-01-01T00:00:00Z',
      attempts: '1',
      'lease-expiration': '2026-01-01T00:01:00.000Z',
      owner: 'dispatcher-1',
    });
    expect(raw.metadata['attempt-token']).toMatch(/.+/);
    expect(raw.metadata['not-before-floor']).toBeUndefined();
    expect(await b.list(KeyStatus.QUEUED)).toEqual({ entries: [] });
    expect(await b.getKeyState('job')).toMatchObject({
      status: KeyStatus.IN_PROGRESS,
      owner: 'dispatcher-1',
      attempts: 1,
    });
    expect(owned.signal.aborted).toBe(false);

    await clock.advance(10_000);
    await owned.renew();
    expect(owned.leaseExpiresAt).toBe(clock.now() + 60_000);
    expect(
      (await rawMetadata(b.options.bucket, 'in-progress/job')).metadata['lease-expiration'],
    ).toBe('2026-01-01T00:01:10.000Z');
    await owned.complete();
    expect(owned.signal.aborted).toBe(true);
    expect(await b.getKeyState('job')).toBeUndefined();
    await expect(owned.complete()).rejects.toSatisfy((e) => LeaseLostError.is(e));
  });

  it('a queued twin is created while a key runs and not offered until it ends', async () => {
    const b = fx.backend();
    await b.enqueue({ key: 'foo' });
    const owned = await startListed(b, 'foo');
    expect(await b.enqueue({ key: 'foo' })).toBe('added');
    expect((await b.list(KeyStatus.QUEUED)).entries.map((e) => e.key)).toEqual(['foo']);
    expect((await b.listEligible(5)).keys).toEqual([]);
    await owned.complete();
    expect((await b.listEligible(5)).keys.map((k) => k.key)).toEqual(['foo']);
  });

  it('requeue goes to the back of its band with attempts kept, reset or uncounted, and last-error', async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    await b.enqueue({ key: 'a' });
    await b.enqueue({ key: 'b' });
    const a = await startListed(b, 'a');
    await a.requeue({ delayMs: 0, attempts: 'keep', lastError: 'boom' });
    expect(a.signal.aborted).toBe(true);
    expect((await b.listEligible(5)).keys.map((k) => [k.key, k.attempts])).toEqual([
      ['b', 0],
      ['a', 1],
    ]);
    expect(await b.getKeyState('a')).toMatchObject({ lastError: 'boom', attempts: 1 });

    const again = await startListed(b, 'a');
    expect(again.attempts).toBe(2);
    await again.requeue({ delayMs: 5000, floor: true, attempts: 'reset' });
    const state = await b.getKeyState('a');
    expect(state).toMatchObject({ attempts: 0, notBefore: clock.now() + 5000, floor: true });
    expect(state?.lastError).toBeUndefined();

    await clock.advance(5000);
    const third = await startListed(b, 'a');
    await third.requeue({ delayMs: 0, attempts: 'uncount' });
    expect(await b.getKeyState('a')).toMatchObject({ attempts: 0 });
  });

  it('requeue into a twin merges (larger attempts, incoming floor replaces a plain notBefore)', async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    await b.enqueue({ key: 'k' });
    const owned = await startListed(b, 'k');
    await b.enqueue({ key: 'k', delayMs: 1000 });
    await owned.requeue({ delayMs: 30_000, floor: true, attempts: 'keep', lastError: 'e' });
    expect(await b.getKeyState('k')).toMatchObject({
      status: KeyStatus.QUEUED,
      attempts: 1,
      notBefore: clock.now() + 30_000,
      floor: true,
      lastError: 'e',
    });
    expect((await b.stats()).inProgress).toBe(0);
  });

  it('dead-letter keeps priority, attempts, first-queued; complete after re-enqueue removes nothing twice', async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    await b.enqueue({ key: 'bad', priority: 9 });
    const owned = await startListed(b, 'bad');
    await clock.advance(1000);
    await owned.deadLetter('x'.repeat(3000));
    const dead = await b.getKeyState('bad');
    expect(dead).toMatchObject({
      status: KeyStatus.DEAD_LETTER,
      priority: 9,
      attempts: 1,
      firstQueuedAt: Date.UTC(2026, 0, 1),
      failedAt: Date.UTC(2026, 0, 1, 0, 0, 1),
    });
    expect(Buffer.byteLength(dead?.lastError ?? '')).toBeLessThanOrEqual(1024);
    expect((await b.listEligible(5)).keys).toEqual([]);
    expect(await b.stats()).toMatchObject({ deadLettered: 1, queued: 0, inProgress: 0 });

    expect(await b.reenqueueDeadLetter('bad')).toBe(true);
    expect(await b.reenqueueDeadLetter('bad')).toBe(false);
    expect(await b.getKeyState('bad')).toMatchObject({
      status: KeyStatus.QUEUED,
      priority: 9,
      attempts: 0,
    });
    const again = await startListed(b, 'bad');
    const deletes = fx.emulator.counters().delete;
    await again.complete();
    expect(fx.emulator.counters().delete - deletes).toBe(1);
  });

  it('complete removes a dead-letter copy it knows of (plain enqueue of a dead-lettered key)', async () => {
    const b = fx.backend();
    await b.enqueue({ key: 'k' });
    await (await startListed(b, 'k')).deadLetter('no');
    await b.enqueue({ key: 'k' });
    await (await startListed(b, 'k')).complete();
    expect(await b.getKeyState('k')).toBeUndefined();
  });

  it('list pages one state by key prefix; stats counts each prefix', async () => {
    const clock = new FakeClock();
    const b = fx.backend({ clock });
    for (const key of ['a/1', 'a/2', 'a/3', 'b/1']) await b.enqueue({ key });
    await b.enqueue({ key: 'later', delayMs: 60_000 });
    const first = await b.list(KeyStatus.QUEUED, { prefix: 'a/', limit: 2 });
    expect(first.entries.map((e) => e.key)).toEqual(['a/1', 'a/2']);
    expect(first.nextPageToken).toBeDefined();
    const second = await b.list(KeyStatus.QUEUED, {
      prefix: 'a/',
      limit: 2,
      pageToken: first.nextPageToken,
    });
    expect(second.entries.map((e) => e.key)).toEqual(['a/3']);
    await startListed(b, 'b/1');
    expect(await b.stats()).toMatchObject({
      queued: 4,
      waiting: 1,
      inProgress: 1,
      deadLettered: 0,
      maxAttempts: 1,
    });
    await expect(b.list(KeyStatus.QUEUED, { limit: 0 })).rejects.toSatisfy((e) =>
      InvalidArgumentError.is(e),
    );
    await expect(b.list('NOPE' as KeyStatus)).rejects.toSatisfy((e) => InvalidArgumentError.is(e));
  });

  it('keys are raw bytes of the name: no key escapes its prefix', async () => {
    const b = fx.backend();
    const keys = ['../escape', '/lead', 'a%2Fb', 'ünïcode ✓', 'sp ace?&#'];
    for (const key of keys) await b.enqueue({ key });
    const [files] = await fx.storage.bucket(b.options.bucket).getFiles();
    expect(files.map((f) => f.name).sort()).toEqual(keys.map((k) => `queued/${k}`).sort());
    for (const key of keys)
      expect(await b.getKeyState(key)).toMatchObject({ key, status: KeyStatus.QUEUED });
  });

  it('bad input is rejected before any I/O', async () => {
    const b = fx.backend();
    const before = fx.emulator.counters();
    await expect(b.enqueue({ key: '' })).rejects.toSatisfy((e) => InvalidArgumentError.is(e));
    await expect(b.enqueue({ key: 'k', priority: 2 ** 31 })).rejects.toSatisfy((e) =>
      InvalidArgumentError.is(e),
    );
    await expect(b.enqueue({ key: 'k', delayMs: -1 })).rejects.toSatisfy((e) =>
      InvalidArgumentError.is(e),
    );
    await expect(b.enqueue({ key: 'a\u0007' })).rejects.toSatisfy((e) =>
      InvalidArgumentError.is(e),
    );
    await expect(b.getKeyState('x'.repeat(1001))).rejects.toSatisfy((e) =>
      InvalidArgumentError.is(e),
    );
    await expect(b.start({ key: 'k', version: 'nope' } as never, 'o')).rejects.toSatisfy((e) =>
      InvalidArgumentError.is(e),
    );
    const after = fx.emulator.counters();
    expect(after.classA + after.classB + after.delete + after.rejected).toBe(
      before.classA + before.classB + before.delete + before.rejected,
    );
  });
});
