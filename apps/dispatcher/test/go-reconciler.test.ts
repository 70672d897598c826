/**
 * The dispatcher in front of a reconciler written the way a Go team writes one: a raw grpc-js
 * server built from the proto only (no SDK). Every outcome of spec 01 is driven over the wire and
 * observed twice: through the receiver's GetKeyState (gRPC) and in the bucket itself (objects and
 * metadata, as a Go peer would read them).
 */
import { status as GrpcCode } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCleanup } from './support/cleanup.ts';
import { startTestDispatcher } from './support/dispatcher.ts';
import { eagerListing, useGcs } from './support/gcs.ts';
import { reply, startGoReconciler, type GoReconciler } from './support/go-reconciler.ts';
import { freePort, startRecordingServer, type RecordingServer } from './support/http.ts';
import { Status, startTestReceiver, type TestReceiver } from './support/receiver.ts';
import { eventually } from './support/wait.ts';

let notifications: RecordingServer;
beforeAll(async () => {
  notifications = await startRecordingServer();
});
afterAll(() => notifications.close());
const gcs = useGcs({ notify: () => ({ url: notifications.url }) });
const cleanup = useCleanup();

const rfc3339Seconds = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const callTimeoutMs = 30_000;

interface Setup {
  bucket: string;
  reconciler: GoReconciler;
  receiver: TestReceiver;
  /** Names and metadata of the objects of `key` (queued/, in-progress/, dead-letter/). */
  objectsOf(key: string): Promise<Record<string, Record<string, string>>>;
  /** Enqueues a marker key and waits until it was reconciled and completed: passes have run. */
  settle(): Promise<void>;
}

async function setup(options: { callTimeoutMs?: number; target?: string } = {}): Promise<Setup> {
  const bucket = gcs.bucket();
  const reconciler = await startGoReconciler();
  cleanup(() => reconciler.close());
  const dispatcher = await startTestDispatcher({
    queue: gcs.backend(bucket, { listing: eagerListing }),
    target: options.target ?? reconciler.url,
    callTimeoutMs: options.callTimeoutMs ?? callTimeoutMs,
  });
  cleanup(() => dispatcher.close());
  const receiver = await startTestReceiver(gcs.backend(bucket));
  cleanup(() => receiver.close());
  let markers = 0;
  const objectsOf = async (key: string) => {
    const out: Record<string, Record<string, string>> = {};
    for (const prefix of ['queued/', 'in-progress/', 'dead-letter/']) {
      const o = await gcs.object(bucket, prefix + key);
      if (o) out[prefix + key] = o.metadata;
    }
    return out;
  };
  return {
    bucket,
    reconciler,
    receiver,
    objectsOf,
    async settle() {
      const marker = `marker-${++markers}`;
      await receiver.enqueue(marker);
      await reconciler.waitForCalls(marker, 1);
      await eventually(async () => Object.keys(await objectsOf(marker)).length === 0, {
        what: 'the marker to complete',
      });
    },
  };
}

describe(
  'dispatcher → Go-style reconciler (raw grpc-js, proto only) on the GCS emulator',
  { timeout: 30_000 },
  () => {
    it('success: the key is reconciled once and leaves no object behind', async () => {
      const s = await setup();
      const before = Date.now();
      await s.receiver.enqueue('tenant-a/db-3', { priority: 3 });
      const call = await s.reconciler.waitForCalls('tenant-a/db-3', 1);
      await eventually(async () => (await gcs.objects(s.bucket)).length === 0, {
        what: 'an empty bucket',
      });
      expect(await s.receiver.state('tenant-a/db-3')).toBe('NOT_FOUND');

      // Upstream fields as the Go dispatcher sends them, plus the ext fields (numbers >= 100).
      expect(call.request).toMatchObject({
        key: 'tenant-a/db-3',
        priority: 3,
        attempt: 1,
        maxAttempts: 3,
      });
      expect(call.request.wireFields).toEqual(expect.arrayContaining([1, 2, 100, 101, 102]));
      expect(call.request.deadlineUnixMs).toBeGreaterThanOrEqual(before + callTimeoutMs);
      expect(call.request.deadlineUnixMs).toBeLessThanOrEqual(call.start + callTimeoutMs + 1000);
      expect(s.reconciler.callsOf('tenant-a/db-3')).toHaveLength(1);
    });

    it('requeue-after: attempts reset to 0, queued/<key> with not-before (RFC 3339) and not-before-ms', async () => {
      const s = await setup();
      s.reconciler.script('poll', [
        reply.error(GrpcCode.INTERNAL, 'first try fails'),
        reply.requeueAfter(60),
        reply.ok(),
      ]);
      await s.receiver.enqueue('poll');
      const second = await s.reconciler.waitForCalls('poll', 2);
      expect(second.request.attempt).toBe(2);

      const meta = await eventually(
        async () => {
          const objects = await s.objectsOf('poll');
          return Object.keys(objects).join() === 'queued/poll' ? objects['queued/poll'] : undefined;
        },
        { what: 'poll to be queued again' },
      );
      expect(meta['attempts']).toBe('0');
      expect(meta['last-error']).toBeUndefined(); // a requeue-after is no failure
      expect(Number(meta['last-attempted'])).toBeGreaterThanOrEqual(
        Math.floor(second.start / 1000),
      );
      expect(meta['not-before']).toMatch(rfc3339Seconds);
      expect(meta['not-before-floor']).toBeUndefined();
      const notBeforeMs = Number(meta['not-before-ms']);
      expect(notBeforeMs).toBeGreaterThanOrEqual((second.end ?? 0) + 60_000 - 50);
      expect(notBeforeMs).toBeLessThanOrEqual(Date.now() + 60_000);
      // The second-precision field is authoritative for Go peers: rounded up, never early.
      expect(Date.parse(meta['not-before'] ?? '')).toBe(Math.ceil(notBeforeMs / 1000) * 1000);

      const state = await s.receiver.state('poll');
      expect(state).toMatchObject({
        key: 'poll',
        status: Status.QUEUED,
        attempts: 0,
        notBeforeTime: Math.floor(notBeforeMs / 1000),
      });

      // Not a floor: a plain enqueue (a fresh event) pulls the key forward.
      await s.receiver.enqueue('poll');
      const third = await s.reconciler.waitForCalls('poll', 3);
      expect(third.request.attempt).toBe(1);
      await eventually(async () => Object.keys(await s.objectsOf('poll')).length === 0, {
        what: 'poll to complete',
      });
    });

    it('sub-second requeue (ext requeue_after_ms) comes back in well under a second', async () => {
      const s = await setup();
      s.reconciler.script('fast-poll', [reply.requeueAfter(1, { ms: 150 }), reply.ok()]);
      await s.receiver.enqueue('fast-poll');
      const first = await s.reconciler.waitForCalls('fast-poll', 1);
      const second = await s.reconciler.waitForCalls('fast-poll', 2);
      expect(second.start - (first.end ?? 0)).toBeGreaterThanOrEqual(140);
      expect(second.start - (first.end ?? 0)).toBeLessThan(950);
    });

    it('requeue floor: not-before-floor "true", and a plain enqueue through the receiver does not pull it earlier', async () => {
      const s = await setup();
      s.reconciler.script('floored', [reply.requeueAfter(60, { floor: true }), reply.ok()]);
      await s.receiver.enqueue('floored');
      await s.reconciler.waitForCalls('floored', 1);
      const meta = await eventually(async () => (await s.objectsOf('floored'))['queued/floored'], {
        what: 'floored to be queued',
      });
      expect(meta['not-before-floor']).toBe('true');
      expect(meta['attempts']).toBe('0');
      const before = await s.receiver.state('floored');

      await s.receiver.enqueue('floored');
      await s.settle();
      expect(s.reconciler.callsOf('floored')).toHaveLength(1);
      const after = (await s.objectsOf('floored'))['queued/floored'];
      expect(after?.['not-before']).toBe(meta['not-before']);
      expect(after?.['not-before-ms']).toBe(meta['not-before-ms']);
      expect(after?.['not-before-floor']).toBe('true');
      expect(await s.receiver.state('floored')).toEqual(before);
    });

    it('follow-up keys are enqueued before the key completes, and then reconciled', async () => {
      const s = await setup();
      s.reconciler.script('pull/7', [
        reply.followUps([{ key: 'pull/7/checks', priority: 5 }, { key: 'pull/7/labels' }]),
      ]);
      await s.receiver.enqueue('pull/7');
      const checks = await s.reconciler.waitForCalls('pull/7/checks', 1);
      await s.reconciler.waitForCalls('pull/7/labels', 1);
      expect(checks.request.priority).toBe(5);
      await eventually(async () => (await gcs.objects(s.bucket)).length === 0, {
        what: 'an empty bucket',
      });

      // The bucket's own change feed (Pub/Sub-style notifications, numbered in commit order).
      const events = await eventually(
        () => {
          const mine = notifications.received
            .map(
              (n) =>
                (
                  JSON.parse(n.body) as {
                    message: { attributes: Record<string, string>; messageId: string };
                  }
                ).message,
            )
            .filter((m) => m.attributes['bucketId'] === s.bucket);
          const id = (object: string, type: string) =>
            mine.find(
              (m) => m.attributes['objectId'] === object && m.attributes['eventType'] === type,
            )?.messageId;
          const found = {
            checks: id('queued/pull/7/checks', 'OBJECT_FINALIZE'),
            labels: id('queued/pull/7/labels', 'OBJECT_FINALIZE'),
            parentDone: id('in-progress/pull/7', 'OBJECT_DELETE'),
          };
          return Object.values(found).every(Boolean) ? found : undefined;
        },
        { what: 'notifications' },
      );
      expect(Number(events.checks)).toBeLessThan(Number(events.parentDone));
      expect(Number(events.labels)).toBeLessThan(Number(events.parentDone));
    });

    it('a follow-up enqueue that fails retries the key: attempts kept, last-error names the follow-up', async () => {
      const s = await setup();
      let seenOnRetry: Record<string, string> | undefined;
      s.reconciler.script('parent', async (_req, n) => {
        if (n === 0) return reply.followUps([{ key: 'bad\u0001key' }, { key: 'good-child' }]);
        seenOnRetry = (await s.objectsOf('parent'))['in-progress/parent'];
        return reply.followUps([{ key: 'good-child' }]);
      });
      await s.receiver.enqueue('parent');
      const retry = await s.reconciler.waitForCalls('parent', 2);
      expect(retry.request.attempt).toBe(2);
      await eventually(() => seenOnRetry, { what: 'the retry to look at the bucket' });
      expect(seenOnRetry?.['attempts']).toBe('2');
      expect(seenOnRetry?.['last-error']).toContain('follow-up enqueue failed');
      expect(seenOnRetry?.['last-error']).toContain('bad\\u0001key');
      await s.reconciler.waitForCalls('good-child', 1);
      await eventually(async () => (await gcs.objects(s.bucket)).length === 0, {
        what: 'an empty bucket',
      });
    });

    it('NoRetryDetails (google.rpc.Status in grpc-status-details-bin) drops the key, whatever the code', async () => {
      const s = await setup();
      s.reconciler.script('poison', [reply.noRetry('cannot ever work')]);
      s.reconciler.script('poison-2', [reply.noRetry('bad spec', GrpcCode.INVALID_ARGUMENT)]);
      await s.receiver.enqueue('poison');
      await s.receiver.enqueue('poison-2');
      await s.reconciler.waitForCalls('poison', 1);
      await s.reconciler.waitForCalls('poison-2', 1);
      await eventually(async () => (await gcs.objects(s.bucket)).length === 0, {
        what: 'an empty bucket',
      });
      await s.settle();
      expect(s.reconciler.callsOf('poison')).toHaveLength(1);
      expect(s.reconciler.callsOf('poison-2')).toHaveLength(1);
      expect(await s.receiver.state('poison')).toBe('NOT_FOUND');
    });

    it('plain errors (INTERNAL, INVALID_ARGUMENT) are retried with backoff; attempts grow and last-error is kept', async () => {
      const s = await setup();
      const seen: Array<{ meta: Record<string, string> | undefined; state: unknown }> = [];
      s.reconciler.script('flaky', async (_req, n) => {
        seen.push({
          meta: (await s.objectsOf('flaky'))['in-progress/flaky'],
          state: await s.receiver.state('flaky'),
        });
        if (n === 0) return reply.error(GrpcCode.INTERNAL, 'db down');
        if (n === 1) return reply.error(GrpcCode.INVALID_ARGUMENT, 'bad shape');
        return reply.ok();
      });
      await s.receiver.enqueue('flaky');
      await s.reconciler.waitForCalls('flaky', 3);
      await eventually(async () => (await gcs.objects(s.bucket)).length === 0, {
        what: 'an empty bucket',
      });

      const calls = s.reconciler.callsOf('flaky');
      expect(calls.map((c) => c.request.attempt)).toEqual([1, 2, 3]);
      expect(seen.map((x) => x.meta?.['attempts'])).toEqual(['1', '2', '3']);
      expect(seen[0]?.meta?.['last-error']).toBeUndefined();
      expect(seen[1]?.meta?.['last-error']).toBe('INTERNAL: db down');
      expect(seen[2]?.meta?.['last-error']).toBe('INVALID_ARGUMENT: bad shape');
      expect(seen.map((x) => x.state)).toEqual(
        [1, 2, 3].map((attempts) =>
          expect.objectContaining({ status: Status.IN_PROGRESS, attempts }),
        ),
      );
      // Backoff base 100 ms: ≥ 100 ms before the 2nd attempt, ≥ 200 ms before the 3rd.
      expect((calls[1]?.start ?? 0) - (calls[0]?.end ?? 0)).toBeGreaterThanOrEqual(100);
      expect((calls[2]?.start ?? 0) - (calls[1]?.end ?? 0)).toBeGreaterThanOrEqual(200);
    });

    it('the call deadline (WORKQUEUE_TIMEOUT) cancels a slow reconcile, which is retried', async () => {
      const s = await setup({ callTimeoutMs: 300 });
      s.reconciler.script('slow', [reply.hold(), reply.ok()]);
      await s.receiver.enqueue('slow');
      const first = await s.reconciler.waitForCalls('slow', 1);
      let seen: Record<string, string> | undefined;
      s.reconciler.script('slow', async () => {
        seen = (await s.objectsOf('slow'))['in-progress/slow'];
        return reply.ok();
      });
      const second = await s.reconciler.waitForCalls('slow', 2);
      expect(first.result).toBe('cancelled');
      expect((first.end ?? 0) - first.start).toBeGreaterThanOrEqual(250);
      expect(first.request.deadlineUnixMs - first.start).toBeLessThanOrEqual(300);
      expect(second.request.attempt).toBe(2);
      await eventually(() => seen, { what: 'the retry to look at the bucket' });
      expect(seen?.['last-error']).toMatch(/deadline exceeded/i); // the loop's timer or gRPC's own deadline, whichever fires first
      await eventually(async () => (await gcs.objects(s.bucket)).length === 0, {
        what: 'an empty bucket',
      });
    });

    it('an unreachable reconciler is a retriable error: retried with backoff, dead-lettered at maxRetry', async () => {
      const s = await setup({ target: `http://127.0.0.1:${await freePort()}` });
      await s.receiver.enqueue('nobody-home');
      const dl = await eventually(
        async () => (await s.objectsOf('nobody-home'))['dead-letter/nobody-home'],
        {
          what: 'a dead letter',
        },
      );
      expect(dl['attempts']).toBe('3');
      expect(dl['last-error']).toMatch(/^UNAVAILABLE: /);
    });
  },
);
