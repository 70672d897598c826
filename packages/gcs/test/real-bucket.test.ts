/**
 * Opt-in: the same lifecycle against a real GCS bucket. Set WORKQUEUE_GCS_TEST_BUCKET to a bucket
 * the Application Default Credentials can write; the test only touches keys under a fresh
 * `recon-test-<uuid>/` key prefix and removes what it wrote. Skipped (visibly) otherwise.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Storage } from '@google-cloud/storage';
import { KeyStatus } from '@recon/core';
import { GcsBackend } from '../src/index.ts';

const bucket = process.env['WORKQUEUE_GCS_TEST_BUCKET'];
const title = bucket
  ? `real bucket gs://${bucket}`
  : 'real bucket (skipped: set WORKQUEUE_GCS_TEST_BUCKET to run against real GCS)';

describe.skipIf(!bucket)(title, { timeout: 120_000 }, () => {
  it('enqueue, merge, start, renew, requeue, dead-letter, re-enqueue, complete', async () => {
    const storage = new Storage();
    const backend = new GcsBackend({
      storage,
      bucket: bucket!,
      workqueue: { leaseMs: 60_000, heartbeatMs: 20_000 },
    });
    const prefix = `recon-test-${randomUUID()}/`;
    const key = `${prefix}k`;
    const start = async () => {
      const listed = (await backend.listEligible(1000)).keys.find((k) => k.key === key);
      expect(listed, `${key} should be eligible`).toBeDefined();
      const owned = await backend.start(listed!, 'real-bucket-test');
      expect(owned).toBeDefined();
      return owned!;
    };
    try {
      expect(await backend.enqueue({ key, priority: 5 })).toBe('added');
      expect(await backend.enqueue({ key, priority: 6 })).toBe('deduped');
      expect(await backend.getKeyState(key)).toMatchObject({
        status: KeyStatus.QUEUED,
        priority: 6,
      });

      const first = await start();
      await first.renew();
      await first.requeue({ delayMs: 0, attempts: 'keep', lastError: 'first try' });
      const second = await start();
      expect(second.attempts).toBe(2);
      await second.deadLetter('gave up');
      expect(
        (await backend.list(KeyStatus.DEAD_LETTER, { prefix })).entries.map((e) => e.key),
      ).toEqual([key]);
      expect(await backend.reenqueueDeadLetter(key)).toBe(true);
      await (await start()).complete();
      expect(await backend.getKeyState(key)).toBeUndefined();
    } finally {
      await backend.close();
      for (const state of ['queued/', 'in-progress/', 'dead-letter/']) {
        await storage
          .bucket(bucket!)
          .file(state + key)
          .delete({ ignoreNotFound: true });
      }
    }
  });
});
