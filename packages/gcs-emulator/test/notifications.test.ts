import type { Storage } from '@google-cloud/storage';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GcsEmulator, NotifyOptions } from '../src/index.ts';
import { startGcsEmulator } from '../src/index.ts';
import { clientFor } from './helpers.ts';

interface Push {
  message: {
    data: string;
    attributes: Record<string, string>;
    messageId: string;
    publishTime: string;
  };
  subscription: string;
}

let receiver: Server;
let receiverUrl: string;
const pushes: Push[] = [];
/** Status the receiver answers with next (then 204). */
const failNext: number[] = [];
let attempts = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      attempts++;
      const status = failNext.shift();
      if (status) {
        res.writeHead(status).end();
        return;
      }
      pushes.push(JSON.parse(Buffer.concat(chunks).toString()) as Push);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/push`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

let emulator: GcsEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  pushes.length = 0;
  attempts = 0;
});

async function start(notify: Omit<NotifyOptions, 'url'>): Promise<Storage> {
  emulator = await startGcsEmulator({ notify: { url: receiverUrl, ...notify } });
  return clientFor(emulator);
}

const objectOf = (p: Push): Record<string, unknown> =>
  JSON.parse(Buffer.from(p.message.data, 'base64').toString()) as Record<string, unknown>;

describe('bucket notifications', () => {
  it('pushes OBJECT_FINALIZE for the prefix only, in the Pub/Sub push format', async () => {
    const storage = await start({ prefix: 'queued/', eventTypes: ['OBJECT_FINALIZE'] });
    const b = storage.bucket('notify');
    await b.file('other/x').save('', { resumable: false });
    await b
      .file('queued/k1')
      .save('', { resumable: false, metadata: { metadata: { priority: '1' } } });
    await b.file('queued/k1').setMetadata({ metadata: { priority: '2' } }); // filtered: event type
    await b.file('queued/k2').save('x'); // resumable
    await vi.waitFor(() => expect(pushes).toHaveLength(2));

    const byName = new Map(pushes.map((p) => [p.message.attributes['objectId'], p]));
    const k1 = byName.get('queued/k1')!;
    expect(k1.subscription).toMatch(/^projects\/.+\/subscriptions\/.+/);
    expect(k1.message.attributes).toMatchObject({
      bucketId: 'notify',
      objectId: 'queued/k1',
      eventType: 'OBJECT_FINALIZE',
      payloadFormat: 'JSON_API_V1',
      notificationConfig: 'projects/_/buckets/notify/notificationConfigs/1',
    });
    expect(k1.message.messageId).toMatch(/^\d+$/);
    expect(Date.parse(k1.message.publishTime)).not.toBeNaN();
    const resource = objectOf(k1);
    expect(resource).toMatchObject({
      kind: 'storage#object',
      bucket: 'notify',
      name: 'queued/k1',
      metadata: { priority: '1' },
    });
    expect(k1.message.attributes['objectGeneration']).toBe(resource['generation']);
    expect(byName.has('queued/k2')).toBe(true);
    // Nothing else arrives later.
    await new Promise((r) => setTimeout(r, 100));
    expect(pushes).toHaveLength(2);
  });

  it('pushes metadata updates and deletes, and overwrites as finalize + delete', async () => {
    const storage = await start({ bucket: 'events' });
    const file = storage.bucket('events').file('k');
    await storage.bucket('ignored-bucket').file('k').save('', { resumable: false });
    await file.save('1', { resumable: false });
    await vi.waitFor(() => expect(pushes).toHaveLength(1));
    await file.setMetadata({ metadata: { a: 'b' } });
    await vi.waitFor(() => expect(pushes).toHaveLength(2));
    await file.save('2', { resumable: false });
    await vi.waitFor(() => expect(pushes).toHaveLength(4));
    await file.delete();
    await vi.waitFor(() => expect(pushes).toHaveLength(5));
    const types = pushes.map((p) => p.message.attributes['eventType']);
    expect(types.slice(0, 2)).toEqual(['OBJECT_FINALIZE', 'OBJECT_METADATA_UPDATE']);
    expect(types.slice(2, 4).sort()).toEqual(['OBJECT_DELETE', 'OBJECT_FINALIZE']);
    expect(types[4]).toBe('OBJECT_DELETE');
    const overwrite = pushes
      .slice(2, 4)
      .find((p) => p.message.attributes['eventType'] === 'OBJECT_FINALIZE')!;
    expect(overwrite.message.attributes['overwroteGeneration']).toBe(
      pushes[0]!.message.attributes['objectGeneration'],
    );
  });

  it('retries a failed delivery', async () => {
    failNext.push(500, 503);
    const storage = await start({});
    await storage.bucket('retry').file('k').save('', { resumable: false });
    await vi.waitFor(() => expect(pushes).toHaveLength(1), { timeout: 3000 });
    expect(attempts).toBe(3);
  });

  it('never blocks a write on an endpoint that does not answer', async () => {
    // Accepts the push and never answers: a delivery waits for its 5 s timeout.
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const port = (hanging.address() as AddressInfo).port;
      emulator = await startGcsEmulator({ notify: { url: `http://127.0.0.1:${port}/` } });
      const started = performance.now();
      await clientFor(emulator).bucket('hanging').file('k').save('', { resumable: false });
      expect(performance.now() - started).toBeLessThan(2500);
      // close() aborts the delivery in flight instead of waiting for it.
      await emulator.close();
      expect(performance.now() - started).toBeLessThan(4000);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });
});
