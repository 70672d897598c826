/**
 * Dead-lettering at maxRetry, seen in the bucket and through GetKeyState, and the way back: the
 * re-enqueue job (from its environment, as the Cloud Run job runs) and `reenqueueDeadLetters`
 * (by key, by prefix, dry run) put keys back, and the dispatcher reconciles them again.
 */
import { status as GrpcCode } from '@grpc/grpc-js';
import { silentLogger } from '@recon/observability';
import { reenqueueDeadLetters, runReenqueueFromEnv } from '@recon/reenqueue';
import { describe, expect, it } from 'vitest';
import { useCleanup } from './support/cleanup.ts';
import { startTestDispatcher } from './support/dispatcher.ts';
import { eagerListing, useGcs } from './support/gcs.ts';
import { reply, startGoReconciler } from './support/go-reconciler.ts';
import { sample } from './support/http.ts';
import { Status, startTestReceiver } from './support/receiver.ts';
import { eventually } from './support/wait.ts';

const gcs = useGcs();
const cleanup = useCleanup();
const rfc3339Seconds = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

async function setup(options: { statsPeriodMs?: number } = {}) {
  const bucket = gcs.bucket();
  const reconciler = await startGoReconciler();
  cleanup(() => reconciler.close());
  const dispatcher = await startTestDispatcher({
    queue: gcs.backend(bucket, { listing: eagerListing }),
    target: reconciler.url,
    ...options,
  });
  cleanup(() => dispatcher.close());
  const receiver = await startTestReceiver(gcs.backend(bucket));
  cleanup(() => receiver.close());
  const names = async () => (await gcs.objects(bucket)).map((o) => o.name).sort();
  /** Fails every call of `key` until `heal` says otherwise, and waits for it to be dead-lettered. */
  const deadLetter = async (key: string, priority = 0) => {
    let healed = false;
    reconciler.script(key, () => (healed ? reply.ok() : reply.error(GrpcCode.INTERNAL, 'boom')));
    await receiver.enqueue(key, { priority });
    await reconciler.waitForCalls(key, 3);
    await eventually(async () => (await names()).includes(`dead-letter/${key}`), {
      what: `${key} dead-lettered`,
    });
    return () => (healed = true);
  };
  return { bucket, reconciler, receiver, names, deadLetter, dispatcher };
}

describe('dead letters and re-enqueue', { timeout: 30_000 }, () => {
  it('dead-letters at maxRetry with failed-time, attempts, priority and last-error; the job brings it back', async () => {
    const s = await setup();
    const heal = await s.deadLetter('doomed', 7);
    expect(await s.names()).toEqual(['dead-letter/doomed']);
    const dl = await gcs.object(s.bucket, 'dead-letter/doomed');
    const third = s.reconciler.callsOf('doomed')[2];
    expect(dl?.metadata).toMatchObject({
      attempts: '3',
      priority: '00000007',
      'last-error': 'INTERNAL: boom',
    });
    expect(dl?.metadata['failed-time']).toMatch(rfc3339Seconds);
    const failedAt = Date.parse(dl?.metadata['failed-time'] ?? '');
    expect(failedAt).toBeGreaterThanOrEqual(Math.floor((third?.start ?? 0) / 1000) * 1000);
    expect(failedAt).toBeLessThanOrEqual(Date.now());
    expect(await s.receiver.state('doomed')).toMatchObject({
      status: Status.DEAD_LETTER,
      attempts: 3,
      priority: 7,
    });
    // The ext fields told the reconciler where it stood.
    expect(
      s.reconciler.callsOf('doomed').map((c) => [c.request.attempt, c.request.maxAttempts]),
    ).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);

    heal();
    const code = await runReenqueueFromEnv(
      {
        WORKQUEUE_MODE: 'gcs',
        WORKQUEUE_BUCKET: s.bucket,
        STORAGE_EMULATOR_HOST: gcs.host,
        REENQUEUE_KEYS: 'doomed',
      },
      silentLogger,
    );
    expect(code).toBe(0);
    const back = await s.reconciler.waitForCalls('doomed', 4);
    expect(back.request).toMatchObject({ attempt: 1, priority: 7 });
    await eventually(async () => (await s.names()).length === 0, { what: 'an empty bucket' });
    expect(await s.receiver.state('doomed')).toBe('NOT_FOUND');
    expect(s.reconciler.callsOf('doomed')).toHaveLength(4);
  });

  it('reenqueueDeadLetters: a dry run moves nothing; then by prefix, then by keys (reporting missing ones)', async () => {
    const s = await setup();
    const heals = await Promise.all(['dl/a', 'dl/b', 'other'].map((k) => s.deadLetter(k)));
    for (const heal of heals) heal();
    const dead = ['dead-letter/dl/a', 'dead-letter/dl/b', 'dead-letter/other'];
    expect(await s.names()).toEqual(dead);
    const queue = gcs.backend(s.bucket);

    const dry = await reenqueueDeadLetters({ queue, select: { prefix: 'dl/' }, dryRun: true });
    expect(dry).toEqual({
      selected: ['dl/a', 'dl/b'],
      moved: [],
      failed: [],
      missing: [],
      dryRun: true,
    });
    expect(await s.names()).toEqual(dead);

    const byPrefix = await reenqueueDeadLetters({ queue, select: { prefix: 'dl/' } });
    expect(byPrefix).toMatchObject({
      selected: ['dl/a', 'dl/b'],
      moved: ['dl/a', 'dl/b'],
      failed: [],
      missing: [],
    });
    await s.reconciler.waitForCalls('dl/a', 4);
    await s.reconciler.waitForCalls('dl/b', 4);
    await eventually(async () => (await s.names()).join() === 'dead-letter/other', {
      what: 'only other left',
    });
    expect(await s.receiver.state('other')).toMatchObject({
      status: Status.DEAD_LETTER,
      attempts: 3,
    });

    const byKeys = await reenqueueDeadLetters({ queue, select: { keys: ['other', 'never-was'] } });
    expect(byKeys).toMatchObject({ moved: ['other'], missing: ['never-was'], failed: [] });
    await s.reconciler.waitForCalls('other', 4);
    await eventually(async () => (await s.names()).length === 0, { what: 'an empty bucket' });
  });

  it('the job from env: prefix selection, dry run, and a bad config is refused before anything moves', async () => {
    const s = await setup();
    const heal = await s.deadLetter('job/x');
    heal();
    const env = {
      WORKQUEUE_BUCKET: s.bucket,
      STORAGE_EMULATOR_HOST: gcs.host,
      REENQUEUE_PREFIX: 'job/',
    };
    expect(await runReenqueueFromEnv({ ...env, REENQUEUE_DRY_RUN: 'true' }, silentLogger)).toBe(0);
    expect(await s.names()).toEqual(['dead-letter/job/x']);
    await expect(
      runReenqueueFromEnv({ ...env, REENQUEUE_KEYS: 'job/x' }, silentLogger),
    ).rejects.toThrow(/REENQUEUE_KEYS or REENQUEUE_PREFIX, not both/);
    expect(await s.names()).toEqual(['dead-letter/job/x']);
    expect(await runReenqueueFromEnv(env, silentLogger)).toBe(0);
    await s.reconciler.waitForCalls('job/x', 4);
    await eventually(async () => (await s.names()).length === 0, { what: 'an empty bucket' });
  });
  it('the gauges: dead letters counted every statsPeriod, queued and waiting from the passes', async () => {
    const s = await setup({ statsPeriodMs: 100 });
    const gauge = async (name: string) =>
      sample(await (await fetch(`${s.dispatcher.url}/metrics`)).text(), name);
    await s.deadLetter('gauge/a');
    await s.deadLetter('gauge/b');
    await eventually(async () => (await gauge('workqueue_dead_lettered_keys')) === 2, {
      what: 'dead-letter gauge at 2',
    });
    // A key held back by a delay is counted as queued and waiting by the next pass.
    await s.receiver.enqueue('gauge/later', { delaySeconds: 3600 });
    s.dispatcher.wake('notification');
    await eventually(
      async () =>
        (await gauge('workqueue_queued_keys')) === 1 &&
        (await gauge('workqueue_notbefore_keys')) === 1,
      { what: 'queued and waiting gauges at 1' },
    );
    expect(await gauge('workqueue_dead_lettered_keys')).toBe(2);
  });
});
