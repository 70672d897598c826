/**
 * Error CloudEvents: the dispatcher configured from its environment (serveDispatcherFromEnv, as
 * main.ts runs it) with WORKQUEUE_ERROR_SINK pointed at a local HTTP server. Every requeued,
 * dead-lettered and dropped failure POSTs exactly one `dev.chainguard.workqueue.error.v1`
 * structured CloudEvent; successes and requeue-afters post nothing.
 */
import { status as GrpcCode } from '@grpc/grpc-js';
import { silentLogger } from '@recon/observability';
import { HTTP, type CloudEvent } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { serveDispatcherFromEnv, type ErrorEventData } from '../src/index.ts';
import { useCleanup } from './support/cleanup.ts';
import { useGcs } from './support/gcs.ts';
import { reply, startGoReconciler } from './support/go-reconciler.ts';
import { freePort, startRecordingServer } from './support/http.ts';
import { startTestReceiver } from './support/receiver.ts';
import { eventually } from './support/wait.ts';

const gcs = useGcs();
const cleanup = useCleanup();

describe('error CloudEvents to WORKQUEUE_ERROR_SINK', { timeout: 30_000 }, () => {
  it('one event per requeued, dead-lettered or dropped failure, none for the rest', async () => {
    const bucket = gcs.bucket();
    const sink = await startRecordingServer();
    cleanup(() => sink.close());
    const reconciler = await startGoReconciler();
    cleanup(() => reconciler.close());
    reconciler.script('ev/retry', [reply.error(GrpcCode.INTERNAL, 'transient'), reply.ok()]);
    reconciler.script('ev/drop', [reply.noRetry('spec can never be satisfied')]);
    reconciler.script('ev/doomed', [reply.error(GrpcCode.UNAVAILABLE, 'boom')]);
    reconciler.script('ev/poll', [reply.requeueAfter(1), reply.ok()]);

    const service = await serveDispatcherFromEnv(
      {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        WORKQUEUE_BUCKET: bucket,
        STORAGE_EMULATOR_HOST: gcs.host,
        WORKQUEUE_TARGET: reconciler.url,
        WORKQUEUE_ERROR_SINK: `${sink.url}/events/`,
        WORKQUEUE_NAME: 'orders-queue',
        WORKQUEUE_MAX_RETRY: '2',
        WORKQUEUE_BACKOFF_BASE: '100ms',
        WORKQUEUE_BACKOFF_MAX: '200ms',
        WORKQUEUE_POLL_INTERVAL: '200ms',
      },
      silentLogger,
    );
    cleanup(() => service.stop());
    const receiver = await startTestReceiver(gcs.backend(bucket));
    cleanup(() => receiver.close());
    const before = Date.now();
    for (const key of ['ev/ok', 'ev/retry', 'ev/drop', 'ev/doomed', 'ev/poll'])
      await receiver.enqueue(key);

    await reconciler.waitForCalls('ev/retry', 2);
    await reconciler.waitForCalls('ev/doomed', 2);
    await reconciler.waitForCalls('ev/poll', 2);
    await eventually(
      async () => (await gcs.objects(bucket)).map((o) => o.name).join() === 'dead-letter/ev/doomed',
      {
        what: 'only the dead letter left',
      },
    );
    const events = await eventually(() => (sink.received.length >= 4 ? sink.received : undefined), {
      what: 'four events',
    });
    // A marker key later, nothing more has arrived.
    await receiver.enqueue('ev/marker');
    await reconciler.waitForCalls('ev/marker', 1);
    await eventually(async () => (await gcs.objects(bucket)).length === 1, {
      what: 'the marker to complete',
    });
    expect(sink.received).toHaveLength(4);

    const parsed = events.map((e) => {
      expect(e.path).toBe('/events');
      expect(e.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      // A valid structured-mode CloudEvent, as the CloudEvents SDK reads it.
      const event = HTTP.toEvent({
        headers: e.headers,
        body: e.body,
      }) as CloudEvent<ErrorEventData>;
      expect(event.validate()).toBe(true);
      return event;
    });
    for (const event of parsed) {
      expect(event).toMatchObject({
        specversion: '1.0',
        type: 'dev.chainguard.workqueue.error.v1',
        source: 'orders-queue',
        datacontenttype: 'application/json',
      });
      const data = event.data as ErrorEventData;
      expect(event.subject).toBe(data.key);
      expect(data.reconcilerName).toBe(reconciler.url);
      expect(Date.parse(data.occurAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(data.occurAt)).toBeLessThanOrEqual(Date.now());
      expect(event.time).toBe(data.occurAt);
    }
    expect(new Set(parsed.map((e) => e.id)).size).toBe(4);
    const data = parsed
      .map((e) => e.data as ErrorEventData)
      .sort((a, b) => a.key.localeCompare(b.key) || a.attempts - b.attempts)
      .map(({ occurAt: _, reconcilerName: __, ...rest }) => rest);
    expect(data).toEqual([
      { key: 'ev/doomed', error: 'UNAVAILABLE: boom', attempts: 1, action: 'requeued' },
      { key: 'ev/doomed', error: 'UNAVAILABLE: boom', attempts: 2, action: 'dead_lettered' },
      {
        key: 'ev/drop',
        error: 'spec can never be satisfied',
        attempts: 1,
        action: 'dropped',
        nonRetriableReason: 'spec can never be satisfied',
      },
      { key: 'ev/retry', error: 'INTERNAL: transient', attempts: 1, action: 'requeued' },
    ]);
  });
});
