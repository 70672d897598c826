import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApi, writeHeaders, type ApiHarness } from './support/api-harness.ts';

let api: ApiHarness;
beforeEach(async () => {
  api = await startApi();
});
afterEach(async () => api.close());

const emptyStore = { queued: 0, waiting: 0, inProgress: 0, deadLettered: 0 };

describe('POST /api/enqueue', () => {
  it('enqueues with priority and delay, and tells the host', async () => {
    const { status, body } = await api.post('/api/enqueue', {
      key: 'tenant-a/db-3',
      priority: 5,
      delaySeconds: 30,
    });
    expect(status).toBe(200);
    expect(body).toEqual({ key: 'tenant-a/db-3', result: 'added' });
    expect(await api.queue.getKeyState('tenant-a/db-3')).toMatchObject({
      priority: 5,
      notBefore: api.clock.now() + 30_000,
    });
    expect(api.writes).toBe(1);
    expect((await api.post('/api/enqueue', { key: 'tenant-a/db-3' })).body.result).toBe('deduped');
  });

  // The receiver's "Bad input" list (spec 01), plus what JSON adds: wrong types, unknown fields.
  it.each([
    [{}, 'key'],
    [{ key: '' }, 'key'],
    [{ key: 7 }, 'key'],
    [{ key: 'x'.repeat(1001) }, 'key'],
    [{ key: 'a\u0007b' }, 'key'],
    [{ key: 'a\u0085b' }, 'key'],
    [{ key: 'lone \ud800 surrogate' }, 'key'],
    [{ key: 'k', delaySeconds: -1 }, 'delaySeconds'],
    [{ key: 'k', delaySeconds: '5' }, 'delaySeconds'],
    [{ key: 'k', delaySeconds: 1e306 }, 'delaySeconds'],
    [{ key: 'k', priority: 2 ** 31 }, 'priority'],
    [{ key: 'k', priority: -(2 ** 31) - 1 }, 'priority'],
    [{ key: 'k', priority: 1.5 }, 'priority'],
    [{ key: 'k', priority: '3' }, 'priority'],
    [{ key: 'k', floor: true }, 'floor'],
  ])('refuses %j naming %s, storing nothing', async (input, field) => {
    const { status, body } = await api.post('/api/enqueue', input);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'INVALID_ARGUMENT', field });
    expect(body.error.message).toMatch(new RegExp(`^${field}: `));
    expect(await api.queue.stats()).toMatchObject(emptyStore);
    expect(api.writes).toBe(0);
  });

  it('accepts the edges of the ranges', async () => {
    expect(
      (await api.post('/api/enqueue', { key: 'x'.repeat(1000), priority: 2 ** 31 - 1 })).status,
    ).toBe(200);
    expect(
      (await api.post('/api/enqueue', { key: 'y', priority: -(2 ** 31), delaySeconds: 0 })).status,
    ).toBe(200);
  });

  it('refuses bodies that are not a JSON object, or too large', async () => {
    expect((await api.post('/api/enqueue', '{nope')).body.error.field).toBe('body');
    expect((await api.post('/api/enqueue', '[1]')).body.error.field).toBe('body');
    const big = await api.post('/api/enqueue', { key: 'k', pad: 'x'.repeat(1024 * 1024) });
    expect(big.status).toBe(413);
  });
});

describe('the write guard', () => {
  it('needs the x-recon-ui header', async () => {
    const { status, body } = await api.post(
      '/api/enqueue',
      { key: 'k' },
      { 'content-type': 'application/json' },
    );
    expect(status).toBe(403);
    expect(body.error.code).toBe('CSRF');
  });

  it('refuses another origin, a cross-site fetch, and non-JSON bodies', async () => {
    const evil = await api.post(
      '/api/enqueue',
      { key: 'k' },
      { ...writeHeaders, origin: 'https://evil.example' },
    );
    expect(evil.status).toBe(403);
    const site = await api.post(
      '/api/enqueue',
      { key: 'k' },
      { ...writeHeaders, 'sec-fetch-site': 'cross-site' },
    );
    expect(site.status).toBe(403);
    const form = await api.post('/api/enqueue', 'key=k', {
      'x-recon-ui': '1',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect(await api.queue.stats()).toMatchObject(emptyStore);
  });

  it('lets the same origin through', async () => {
    const origin = new URL(api.url).origin;
    const ok = await api.post(
      '/api/enqueue',
      { key: 'k' },
      { ...writeHeaders, origin, 'sec-fetch-site': 'same-origin' },
    );
    expect(ok.status).toBe(200);
  });
});

describe('read-only mode', () => {
  it('refuses every write with 403 and changes nothing', async () => {
    const ro = await startApi({ readOnly: true });
    try {
      await ro.deadLetter('dead/1');
      await ro.queue.enqueue({ key: 'q', delayMs: 60_000 });
      const before = await ro.queue.stats();
      for (const [path, body] of [
        ['/api/enqueue', { key: 'new' }],
        ['/api/reenqueue', { all: true }],
        ['/api/reenqueue', { keys: ['dead/1'] }],
        ['/api/bump', { key: 'q', priority: 9 }],
        ['/api/run-now', { key: 'q' }],
      ] as const) {
        const res = await ro.post(path, body);
        expect(res.status, path).toBe(403);
        expect(res.body.error.code).toBe('READ_ONLY');
      }
      expect(await ro.queue.stats()).toEqual(before);
      expect(ro.writes).toBe(0);
      expect((await ro.get('/api/overview')).body.readOnly).toBe(true);
    } finally {
      await ro.close();
    }
  });
});

describe('POST /api/reenqueue', () => {
  it('moves one, selected or all dead letters back, reporting the missing', async () => {
    for (const key of ['d/1', 'd/2', 'd/3', 'e/1']) await api.deadLetter(key);
    const one = await api.post('/api/reenqueue', { keys: ['d/1', 'nope'] });
    expect(one.body).toEqual({ reenqueued: ['d/1'], missing: ['nope'] });
    expect(await api.queue.getKeyState('d/1')).toMatchObject({ status: 'QUEUED', attempts: 0 });

    const prefix = await api.post('/api/reenqueue', { prefix: 'd/' });
    expect(prefix.body.reenqueued).toEqual(['d/2', 'd/3']);
    const all = await api.post('/api/reenqueue', { all: true });
    expect(all.body.reenqueued).toEqual(['e/1']);
    expect(await api.queue.stats()).toMatchObject({ queued: 4, deadLettered: 0 });
  });

  it('re-enqueues everything even past one page', async () => {
    for (let i = 0; i < 230; i++) await api.deadLetter(`bulk/${String(i).padStart(3, '0')}`);
    const all = await api.post('/api/reenqueue', { all: true });
    expect(all.body.reenqueued).toHaveLength(230);
    expect(await api.queue.stats()).toMatchObject({ queued: 230, deadLettered: 0 });
  });

  it.each([
    [{}, 'keys'],
    [{ keys: [] }, 'keys'],
    [{ keys: 'd/1' }, 'keys'],
    [{ keys: ['ok', ''] }, 'keys[1]'],
    [{ keys: ['ok', 'a\u0000'] }, 'keys[1]'],
    [{ keys: Array.from({ length: 1001 }, (_, i) => `k${i}`) }, 'keys'],
    [{ keys: ['a'], all: true }, 'keys'],
    [{ all: false }, 'all'],
    [{ prefix: '\u0001' }, 'prefix'],
  ])('refuses %j naming %s', async (input, field) => {
    const { status, body } = await api.post('/api/reenqueue', input);
    expect(status).toBe(400);
    expect(body.error.field).toBe(field);
  });
});

describe('POST /api/bump', () => {
  it('raises the priority of a queued key (the maximum wins)', async () => {
    await api.queue.enqueue({ key: 'k', priority: 1 });
    expect((await api.post('/api/bump', { key: 'k', priority: 10 })).status).toBe(200);
    expect((await api.queue.getKeyState('k'))?.priority).toBe(10);
  });

  it('keeps the wait: a bump is not a run-now', async () => {
    await api.queue.enqueue({ key: 'w', delayMs: 60_000 });
    await api.clock.advance(10_000);
    expect((await api.post('/api/bump', { key: 'w', priority: 3 })).status).toBe(200);
    expect(await api.queue.getKeyState('w')).toMatchObject({
      priority: 3,
      notBefore: api.clock.now() + 50_000,
    });
  });

  it('refuses a priority that would not raise it, and a key not queued', async () => {
    await api.queue.enqueue({ key: 'k', priority: 10 });
    const lower = await api.post('/api/bump', { key: 'k', priority: 10 });
    expect(lower.status).toBe(409);
    expect(lower.body.error.message).toContain('not above the current 10');
    expect((await api.post('/api/bump', { key: 'gone', priority: 1 })).status).toBe(409);
    expect((await api.post('/api/bump', { key: 'k' })).body.error.field).toBe('priority');
    expect((await api.post('/api/bump', { key: 'k', priority: 2 ** 40 })).body.error.field).toBe(
      'priority',
    );
  });
});

describe('POST /api/run-now', () => {
  it('clears a plain notBefore, keeping the priority', async () => {
    await api.queue.enqueue({ key: 'k', priority: 4, delayMs: 3_600_000 });
    expect((await api.post('/api/run-now', { key: 'k' })).status).toBe(200);
    const state = await api.queue.getKeyState('k');
    expect(state?.notBefore).toBeLessThanOrEqual(api.clock.now());
    expect(state?.priority).toBe(4);
    expect((await api.queue.listEligible(5)).keys.map((k) => k.key)).toEqual(['k']);
  });

  it('refuses when a floor holds, with a clear message', async () => {
    await api.queue.enqueue({ key: 'k', delayMs: 60_000, floor: true });
    const { status, body } = await api.post('/api/run-now', { key: 'k' });
    expect(status).toBe(409);
    expect(body.error.message).toContain('a floor holds it until');
    expect((await api.queue.getKeyState('k'))?.notBefore).toBe(api.clock.now() + 60_000);
  });

  it('refuses keys that are not waiting', async () => {
    await api.queue.enqueue({ key: 'due' });
    expect((await api.post('/api/run-now', { key: 'due' })).body.error.message).toContain(
      'already due',
    );
    expect((await api.post('/api/run-now', { key: 'none' })).status).toBe(409);
    expect((await api.post('/api/run-now', { key: '' })).body.error.field).toBe('key');
  });
});
