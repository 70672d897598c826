/**
 * serveDispatcherFromEnv, the deployable's wiring: owners that tell instances of one revision
 * apart, a failed start that throws, and error events that are flushed before the service stops.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@recon/observability';
import { describe, expect, it } from 'vitest';
import { httpErrorEventSink, serveDispatcherFromEnv } from '../src/index.ts';
import { useCleanup } from './support/cleanup.ts';
import { useGcs } from './support/gcs.ts';
import { reply, startGoReconciler } from './support/go-reconciler.ts';
import { freePort } from './support/http.ts';
import { startTestReceiver } from './support/receiver.ts';
import { eventually } from './support/wait.ts';

const gcs = useGcs();
const cleanup = useCleanup();

describe('serveDispatcherFromEnv', { timeout: 20_000 }, () => {
  it('two instances of one revision hold keys under different owners', async () => {
    const bucket = gcs.bucket();
    const reconciler = await startGoReconciler();
    cleanup(() => reconciler.close());
    reconciler.script('a', [reply.hold()]);
    reconciler.script('b', [reply.hold()]);
    for (let i = 0; i < 2; i++) {
      const service = await serveDispatcherFromEnv(
        {
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          K_REVISION: 'orders-dsp-00007-xyz',
          WORKQUEUE_BUCKET: bucket,
          STORAGE_EMULATOR_HOST: gcs.host,
          WORKQUEUE_TARGET: reconciler.url,
          WORKQUEUE_CONCURRENCY: '1',
          WORKQUEUE_POLL_INTERVAL: '200ms',
        },
        silentLogger,
      );
      cleanup(() => service.stop());
    }
    cleanup(() => ['a', 'b'].forEach((k) => reconciler.release(k)));
    const receiver = await startTestReceiver(gcs.backend(bucket));
    cleanup(() => receiver.close());
    await receiver.enqueue('a');
    await receiver.enqueue('b');
    await reconciler.waitForCalls('a', 1);
    await reconciler.waitForCalls('b', 1);
    const owners = await eventually(async () => {
      const held = await gcs.objects(bucket, 'in-progress/');
      return held.length === 2 ? held.map((o) => o.metadata['owner'] ?? '') : undefined;
    });
    for (const owner of owners)
      expect(owner).toMatch(new RegExp(`^orders-dsp-00007-xyz-${process.pid}-[0-9a-f]{6}$`));
    expect(owners[0]).not.toBe(owners[1]);
  });

  it('a start that fails (port taken) rejects', async () => {
    const reconciler = await startGoReconciler();
    cleanup(() => reconciler.close());
    await expect(
      serveDispatcherFromEnv(
        {
          PORT: String(reconciler.port),
          HOST: '127.0.0.1',
          WORKQUEUE_BUCKET: gcs.bucket(),
          STORAGE_EMULATOR_HOST: gcs.host,
          WORKQUEUE_TARGET: reconciler.url,
        },
        silentLogger,
      ),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('httpErrorEventSink', () => {
  it('flush() waits for events still on their way', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () =>
        setTimeout(() => {
          received.push(body);
          res.writeHead(202).end('accepted');
        }, 300),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const sink = httpErrorEventSink({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      source: 'q',
      logger: silentLogger,
    });
    sink.send({
      key: 'k',
      error: 'e',
      attempts: 1,
      action: 'requeued',
      occurAt: new Date().toISOString(),
      reconcilerName: 'r',
    });
    expect(received).toHaveLength(0);
    await sink.flush?.();
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0] ?? '{}')).toMatchObject({
      subject: 'k',
      source: 'q',
      data: { key: 'k' },
    });
  });
});
