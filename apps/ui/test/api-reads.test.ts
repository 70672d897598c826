import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from './support/api-harness.ts';

let api: ApiHarness;
beforeEach(async () => {
  api = await startApi({ dispatcher: { concurrency: 1, inFlight: () => 1 } });
});
afterEach(async () => api.close());

describe('GET /api/overview', () => {
  it('reports what the store holds: counts, waiting, leases, dead letters', async () => {
    await api.deadLetter('dead/1', 'upstream 500');
    await api.queue.enqueue({ key: 'run/1' });
    await api.start('run/1', 'owner-a');
    await api.queue.enqueue({ key: 'due/1' });
    await api.queue.enqueue({ key: 'later/2', delayMs: 120_000 });
    await api.queue.enqueue({ key: 'later/1', delayMs: 60_000 });

    const { status, body } = await api.get('/api/overview');
    expect(status).toBe(200);
    expect(body.stats).toEqual(await api.queue.stats());
    expect(body.stats).toMatchObject({ queued: 3, waiting: 2, inProgress: 1, deadLettered: 1 });
    const now = api.clock.now();
    expect(body.now).toBe(now);
    expect(body.waiting.map((w: { key: string }) => w.key)).toEqual(['later/1', 'later/2']);
    expect(body.waiting[0].notBefore).toBe(now + 60_000);
    expect(body.inProgress).toEqual([
      expect.objectContaining({
        key: 'run/1',
        owner: 'owner-a',
        leaseExpiresAt: expect.any(Number),
      }),
    ]);
    expect(body.deadLetter).toEqual([
      expect.objectContaining({ key: 'dead/1', attempts: 1, lastError: 'upstream 500' }),
    ]);
    expect(body.dispatcher).toEqual({ concurrency: 1, inFlight: 1 });
    expect(body.readOnly).toBe(false);
    expect(body.rates).toBe(false);
    expect(body.series).toHaveLength(1);
  });
});

describe('GET /api/keys', () => {
  it('lists one state by prefix, a page at a time', async () => {
    for (const key of ['a/1', 'a/2', 'a/3', 'b/1']) await api.queue.enqueue({ key });
    const first = await api.get('/api/keys?state=queued&prefix=a%2F&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.entries.map((e: { key: string }) => e.key)).toEqual(['a/1', 'a/2']);
    expect(first.body.nextPageToken).toEqual(expect.any(String));
    const token = encodeURIComponent(first.body.nextPageToken);
    const second = await api.get(`/api/keys?state=queued&prefix=a%2F&limit=2&pageToken=${token}`);
    expect(second.body.entries.map((e: { key: string }) => e.key)).toEqual(['a/3']);
    expect(second.body.nextPageToken).toBeUndefined();

    await api.deadLetter('b/1');
    const dead = await api.get('/api/keys?state=dead-letter');
    expect(dead.body.entries).toEqual([
      expect.objectContaining({ key: 'b/1', status: 'DEAD_LETTER' }),
    ]);
  });

  it.each([
    ['state=paused', 'state'],
    ['limit=0', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=501', 'limit'],
    ['prefix=%01x', 'prefix'],
    [`prefix=${'x'.repeat(1001)}`, 'prefix'],
    ['colour=red', 'colour'],
  ])('refuses %s naming the field', async (query, field) => {
    const { status, body } = await api.get(`/api/keys?${query}`);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'INVALID_ARGUMENT', field });
  });
});

describe('GET /api/key', () => {
  it('returns every copy and why it is not running', async () => {
    await api.queue.enqueue({ key: 'twin' });
    await api.start('twin', 'owner-b');
    await api.queue.enqueue({ key: 'twin', priority: 7 });
    const { status, body } = await api.get('/api/key?key=twin');
    expect(status).toBe(200);
    expect(body.inProgress).toMatchObject({ owner: 'owner-b', status: 'IN_PROGRESS' });
    expect(body.queued).toMatchObject({ priority: 7, status: 'QUEUED' });
    expect(body.deadLetter).toBeUndefined();
    expect(body.explanation.reasons.map((r: { code: string }) => r.code)).toEqual([
      'running',
      'twin-waits',
    ]);
  });

  it('does not mistake a longer key for the one asked about', async () => {
    await api.queue.enqueue({ key: 'abc' });
    const { body } = await api.get('/api/key?key=ab');
    expect(body.queued).toBeUndefined();
    expect(body.explanation.condition).toBe('unknown');
  });

  it('uses the dispatcher slots for "concurrency full"', async () => {
    await api.queue.enqueue({ key: 'due' });
    const { body } = await api.get('/api/key?key=due');
    expect(body.explanation.reasons[0].code).toBe('concurrency-full');
  });

  it('validates the key like the receiver', async () => {
    for (const query of ['', 'key=', 'key=%00', `key=${'é'.repeat(501)}`]) {
      const { status, body } = await api.get(`/api/key?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.field).toBe('key');
    }
  });
});

describe('routing', () => {
  it('serves the page with a same-origin-only policy', async () => {
    const res = await fetch(`${api.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await res.text()).toContain('<script type="module" src="app.js">');
    const js = await fetch(`${api.url}/views/overview.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('answers unknown API names 404, wrong methods 405, other paths to the host', async () => {
    expect((await api.get('/api/nope')).status).toBe(404);
    const wrong = await fetch(`${api.url}/api/enqueue`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await api.post('/api/overview', {})).status).toBe(405);
    expect((await api.get('/../package.json')).status).toBe(404);
    expect((await api.get('/static/app.js')).status).toBe(404);
  });
});
