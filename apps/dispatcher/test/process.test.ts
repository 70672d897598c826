/**
 * The dispatcher as a deployed process: `node apps/dispatcher/src/main.ts`, configured by
 * environment only, against the GCS emulator and a Go-style reconciler.
 * - kill -9 mid-reconcile: the key is an orphan; another dispatcher re-runs it once the lease
 *   has expired (orphan sweep), attempts kept;
 * - SIGTERM mid-reconcile: the in-flight key is back in queued/ at once, the attempt not counted,
 *   and the process exits 0 within Cloud Run's 10 s grace;
 * - invalid configuration: exit 1, every problem listed.
 */
import { status as GrpcCode } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { useCleanup } from './support/cleanup.ts';
import { startTestDispatcher } from './support/dispatcher.ts';
import { eagerListing, useGcs } from './support/gcs.ts';
import { reply, startGoReconciler, type GoReconciler } from './support/go-reconciler.ts';
import { freePort, sample } from './support/http.ts';
import { dispatcherMain, useProcesses, type ChildService } from './support/processes.ts';
import { startTestReceiver, type TestReceiver } from './support/receiver.ts';
import { eventually } from './support/wait.ts';

const gcs = useGcs();
const cleanup = useCleanup();
const processes = useProcesses();

/**
 * Started and serving: the log line is written before runService has installed its SIGTERM
 * handler, so also wait for an HTTP answer (which the process gives only after its startup ran).
 */
async function ready(child: ChildService, env: Record<string, string>): Promise<void> {
  await child.waitForLog((l) => l.message === 'dispatcher started');
  const res = await fetch(`http://127.0.0.1:${env['PORT']}/healthz`);
  expect(res.status).toBe(200);
}

interface Setup {
  bucket: string;
  reconciler: GoReconciler;
  receiver: TestReceiver;
  env(owner: string): Promise<Record<string, string>>;
}

async function setup(): Promise<Setup> {
  const bucket = gcs.bucket();
  const reconciler = await startGoReconciler();
  cleanup(() => reconciler.close());
  const receiver = await startTestReceiver(gcs.backend(bucket));
  cleanup(() => receiver.close());
  return {
    bucket,
    reconciler,
    receiver,
    env: async (owner) => ({
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      WORKQUEUE_MODE: 'gcs',
      WORKQUEUE_BUCKET: bucket,
      STORAGE_EMULATOR_HOST: gcs.host,
      WORKQUEUE_TARGET: reconciler.url,
      WORKQUEUE_LEASE: '2s',
      WORKQUEUE_ORPHAN_SWEEP_PERIOD: '500ms',
      WORKQUEUE_POLL_INTERVAL: '200ms',
      WORKQUEUE_BACKOFF_BASE: '100ms',
      WORKQUEUE_BACKOFF_MAX: '1s',
      WORKQUEUE_OWNER: owner,
    }),
  };
}

describe('the dispatcher process (src/main.ts)', () => {
  it(
    'kill -9 mid-reconcile: after the lease expires another dispatcher reconciles the key again',
    { timeout: 30_000 },
    async () => {
      const s = await setup();
      s.reconciler.script('crash/key', [reply.hold(), reply.ok()]);
      const env = await s.env('doomed-instance');
      const child = processes.spawnMain(dispatcherMain, env);
      await ready(child, env);
      await s.receiver.enqueue('crash/key');
      const first = await s.reconciler.waitForCalls('crash/key', 1);
      expect(first.request.attempt).toBe(1);
      const owned = await gcs.object(s.bucket, 'in-progress/crash/key');
      expect(owned?.metadata['owner']).toBe('doomed-instance');

      child.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      // Nothing was written on the way down: the in-progress copy is an orphan under its lease.
      const orphan = await gcs.object(s.bucket, 'in-progress/crash/key');
      expect(orphan?.metadata['owner']).toBe('doomed-instance');
      const leaseExpiresAt = Date.parse(orphan?.metadata['lease-expiration'] ?? '');
      expect(leaseExpiresAt).toBeGreaterThan(Date.now() - 2000);

      const survivor = await startTestDispatcher({
        queue: gcs.backend(s.bucket, {
          listing: eagerListing,
          workqueue: { leaseMs: 2000, heartbeatMs: 600 },
        }),
        target: s.reconciler.url,
        workqueue: { leaseMs: 2000, heartbeatMs: 600, backoffBaseMs: 100, backoffCapMs: 1000 },
        orphanSweepPeriodMs: 200,
        owner: 'survivor',
      });
      cleanup(() => survivor.close());
      const second = await s.reconciler.waitForCalls('crash/key', 2);
      expect(second.start).toBeGreaterThanOrEqual(leaseExpiresAt);
      expect(second.request.attempt).toBe(2); // attempts kept across the orphan sweep
      await eventually(async () => (await gcs.objects(s.bucket)).length === 0, {
        what: 'an empty bucket',
      });
      const metrics = await (await fetch(`${survivor.url}/metrics`)).text();
      expect(sample(metrics, 'workqueue_expired_leases_total')).toBe(1);
      expect(sample(metrics, 'workqueue_outcomes_total', { outcome: 'orphaned' })).toBe(1);
    },
  );

  it(
    'SIGTERM mid-reconcile: the key is back in queued/ at once, attempts unchanged, exit 0 within 10 s',
    { timeout: 30_000 },
    async () => {
      const s = await setup();
      s.reconciler.script('term/key', [
        reply.error(GrpcCode.INTERNAL, 'first try'),
        reply.hold(),
        reply.ok(),
      ]);
      const env = await s.env('draining-instance');
      const child = processes.spawnMain(dispatcherMain, env);
      await ready(child, env);
      await s.receiver.enqueue('term/key');
      const held = await s.reconciler.waitForCalls('term/key', 2);
      expect(held.request.attempt).toBe(2);
      expect((await gcs.object(s.bucket, 'in-progress/term/key'))?.metadata['attempts']).toBe('2');

      const sentAt = Date.now();
      child.kill('SIGTERM');
      const queued = await eventually(
        async () => {
          const names = (await gcs.objects(s.bucket)).map((o) => o.name);
          return names.join() === 'queued/term/key'
            ? gcs.object(s.bucket, 'queued/term/key')
            : undefined;
        },
        { timeoutMs: 5000, intervalMs: 10, what: 'the key back in queued/' },
      );
      const requeuedAfterMs = Date.now() - sentAt;
      // At once: well before the 2 s lease could have expired, and not delayed by a backoff.
      expect(requeuedAfterMs).toBeLessThan(2000);
      expect(queued?.metadata['attempts']).toBe('1');
      expect(Number(queued?.metadata['not-before-ms'] ?? 0)).toBeLessThanOrEqual(Date.now());

      const exit = await child.exited;
      expect(exit.code).toBe(0);
      expect(exit.at - sentAt).toBeLessThan(10_000);
      expect(child.stderr()).toContain('SIGTERM received, stopping');
      expect(held.result).toBe('cancelled');

      // The drained attempt was not counted: the next owner runs attempt 2 again.
      const next = await startTestDispatcher({
        queue: gcs.backend(s.bucket, { listing: eagerListing }),
        target: s.reconciler.url,
      });
      cleanup(() => next.close());
      expect((await s.reconciler.waitForCalls('term/key', 3)).request.attempt).toBe(2);
    },
  );

  it('SIGTERM when idle: exit 0 promptly', { timeout: 20_000 }, async () => {
    const s = await setup();
    const env = await s.env('idle-instance');
    const child = processes.spawnMain(dispatcherMain, env);
    await ready(child, env);
    const sentAt = Date.now();
    child.kill('SIGTERM');
    const exit = await child.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - sentAt).toBeLessThan(10_000);
  });

  it(
    'SIGTERM during a storage outage: still out within 10 s; the abandoned key returns as an orphan',
    { timeout: 30_000 },
    async () => {
      const s = await setup();
      s.reconciler.script('outage/key', [reply.hold(), reply.ok()]);
      const env = await s.env('unlucky-instance');
      const child = processes.spawnMain(dispatcherMain, env);
      await ready(child, env);
      await s.receiver.enqueue('outage/key');
      await s.reconciler.waitForCalls('outage/key', 1);

      gcs.emulator.setFaults({ errorRate: 1, errorStatuses: [503] });
      cleanup(() => gcs.emulator.setFaults({}));
      const sentAt = Date.now();
      child.kill('SIGTERM');
      const exit = await child.exited;
      expect(exit.signal).toBeNull();
      expect(exit.at - sentAt).toBeLessThan(10_000);
      gcs.emulator.setFaults({});

      // Nothing could be written: the key is still in progress under the dead instance's lease,
      // and another dispatcher's orphan sweep brings it back.
      expect((await gcs.object(s.bucket, 'in-progress/outage/key'))?.metadata['owner']).toBe(
        'unlucky-instance',
      );
      const survivor = await startTestDispatcher({
        queue: gcs.backend(s.bucket, {
          listing: eagerListing,
          workqueue: { leaseMs: 2000, heartbeatMs: 600 },
        }),
        target: s.reconciler.url,
        workqueue: { leaseMs: 2000, heartbeatMs: 600, backoffBaseMs: 100, backoffCapMs: 1000 },
        orphanSweepPeriodMs: 200,
      });
      cleanup(() => survivor.close());
      await s.reconciler.waitForCalls('outage/key', 2);
      await eventually(async () => (await gcs.objects(s.bucket)).length === 0, {
        what: 'an empty bucket',
      });
    },
  );

  it(
    'invalid configuration: exits 1 listing every problem at once',
    { timeout: 20_000 },
    async () => {
      const child = processes.spawnMain(dispatcherMain, {
        WORKQUEUE_BUCKET: 'some-bucket',
        WORKQUEUE_CONCURRENCY: 'lots',
        WORKQUEUE_LEASE: 'soon',
        PORT: '99999',
      });
      const exit = await child.exited;
      expect(exit.code).toBe(1);
      const stderr = child.stderr();
      expect(stderr).toContain('WORKQUEUE_TARGET is required');
      expect(stderr).toContain('WORKQUEUE_CONCURRENCY must be an integer, got "lots"');
      expect(stderr).toContain('WORKQUEUE_LEASE must be a duration');
      expect(stderr).toContain('PORT must be <= 65535');
      // One message, not one problem per start.
      expect(stderr.match(/invalid configuration/g)).toHaveLength(1);
    },
  );
});
