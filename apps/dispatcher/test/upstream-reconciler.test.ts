/**
 * A reconciler generated from the upstream proto only knows fields 1–3 of each message: our ext
 * fields (attempt = 100, max_attempts = 101, deadline_unix_ms = 102) reach it as unknown fields,
 * which it skips, and it never sends requeue_after_ms. Every outcome must work all the same.
 */
import { status as GrpcCode } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { useCleanup } from './support/cleanup.ts';
import { startTestDispatcher } from './support/dispatcher.ts';
import { eagerListing, useGcs } from './support/gcs.ts';
import { reply, startGoReconciler } from './support/go-reconciler.ts';
import { startTestReceiver } from './support/receiver.ts';
import { eventually } from './support/wait.ts';

const gcs = useGcs();
const cleanup = useCleanup();

describe('a reconciler that decodes upstream fields only', { timeout: 30_000 }, () => {
  it('skips the ext fields and every outcome still works', async () => {
    const bucket = gcs.bucket();
    const reconciler = await startGoReconciler({ decode: 'upstream' });
    cleanup(() => reconciler.close());
    const dispatcher = await startTestDispatcher({
      queue: gcs.backend(bucket, { listing: eagerListing }),
      target: reconciler.url,
    });
    cleanup(() => dispatcher.close());
    const receiver = await startTestReceiver(gcs.backend(bucket));
    cleanup(() => receiver.close());

    reconciler.script('u/requeue', [reply.requeueAfter(1), reply.ok()]);
    reconciler.script('u/follow', [reply.followUps([{ key: 'u/child', priority: 9 }])]);
    reconciler.script('u/fail-once', [reply.error(GrpcCode.INTERNAL, 'transient'), reply.ok()]);
    reconciler.script('u/drop', [reply.noRetry('never')]);
    for (const key of ['u/ok', 'u/requeue', 'u/follow', 'u/fail-once', 'u/drop'])
      await receiver.enqueue(key, { priority: 2 });

    const ok = await reconciler.waitForCalls('u/ok', 1);
    // The ext fields were on the wire, and this decoder did not understand them.
    expect(ok.request.wireFields).toEqual([1, 2, 100, 101, 102]);
    expect(ok.request).toMatchObject({
      key: 'u/ok',
      priority: 2,
      attempt: 0,
      maxAttempts: 0,
      deadlineUnixMs: 0,
    });

    const first = await reconciler.waitForCalls('u/requeue', 1);
    const again = await reconciler.waitForCalls('u/requeue', 2);
    expect(again.start - (first.end ?? 0)).toBeGreaterThanOrEqual(1000);
    expect((await reconciler.waitForCalls('u/child', 1)).request.priority).toBe(9);
    await reconciler.waitForCalls('u/fail-once', 2);
    await reconciler.waitForCalls('u/drop', 1);
    await eventually(async () => (await gcs.objects(bucket)).length === 0, {
      what: 'an empty bucket',
    });
    expect(reconciler.callsOf('u/drop')).toHaveLength(1);
    expect(reconciler.callsOf('u/ok')).toHaveLength(1);
    expect(reconciler.overlaps).toEqual([]);
  });
});
