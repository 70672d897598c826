import { request } from 'node:http';
import { FakeClock } from '@recon/core';
import { startOpsServer } from '@recon/observability';
import { MemoryBackend } from '@recon/workqueue-memory';
import { describe, expect, it } from 'vitest';
import { createUiHandler } from '../src/index.ts';
import { startApi, writeHeaders } from './support/api-harness.ts';

/** Reads Server-Sent Events from `url` until `count` events of `name` arrived. */
function readEvents(url: string, name: string, count: number, onFirst?: () => void) {
  return new Promise<any[]>((resolve, reject) => {
    const events: any[] = [];
    const req = request(url, (res) => {
      expect(res.headers['content-type']).toContain('text/event-stream');
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== name || data === undefined) continue;
          events.push(JSON.parse(data));
          if (events.length === 1) onFirst?.();
          if (events.length === count) {
            req.destroy();
            resolve(events);
          }
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /api/events', () => {
  it('pushes the overview, and again at once after a write', async () => {
    const api = await startApi({ refreshMs: 60_000 });
    try {
      await api.queue.enqueue({ key: 'first' });
      const events = await readEvents(`${api.url}/api/events`, 'overview', 2, () => {
        void api.post('/api/enqueue', { key: 'second' });
      });
      expect(events[0].stats.queued).toBe(1);
      expect(events[1].stats.queued).toBe(2);
    } finally {
      await api.close();
    }
  });

  it('ends open streams on close', async () => {
    const api = await startApi();
    const ended = new Promise<void>((resolve) => {
      request(`${api.url}/api/events`, (res) => {
        res.resume();
        res.on('end', resolve);
        res.once('data', () => void api.close());
      }).end();
    });
    await ended;
  });
});

describe('mounting', () => {
  it('lives under a base path in the ops server, beside health and metrics', async () => {
    const clock = new FakeClock();
    const queue = new MemoryBackend({ clock });
    const ui = createUiHandler({ queue, clock, basePath: '/ui' });
    const ops = await startOpsServer({
      port: 0,
      handle: async (req, res) => {
        if (await ui(req, res)) return true;
        if (req.method !== 'POST') return false;
        res.writeHead(204).end(); // the dispatcher's wake
        return true;
      },
    });
    try {
      const redirect = await fetch(`${ops.url}/ui`, { redirect: 'manual' });
      expect(redirect.status).toBe(308);
      expect(redirect.headers.get('location')).toBe('/ui/');
      expect((await fetch(`${ops.url}/ui/`)).headers.get('content-type')).toContain('text/html');
      expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
      const enqueue = await fetch(`${ops.url}/ui/api/enqueue`, {
        method: 'POST',
        headers: writeHeaders,
        body: JSON.stringify({ key: 'mounted' }),
      });
      expect(enqueue.status).toBe(200);
      expect((await fetch(`${ops.url}/`, { method: 'POST' })).status).toBe(204);
      expect((await fetch(`${ops.url}/uix/`)).status).toBe(404);
      expect((await queue.stats()).queued).toBe(1);
    } finally {
      await ui.close();
      await ops.close();
    }
  });

  it('refuses bad options, listing each', () => {
    const queue = new MemoryBackend();
    expect(() =>
      createUiHandler({
        queue,
        basePath: 'ui',
        refreshMs: 0,
        dispatcher: { concurrency: 0, inFlight: () => 0 },
      }),
    ).toThrow(/basePath[\s\S]*refreshMs[\s\S]*dispatcher.concurrency/);
  });
});
