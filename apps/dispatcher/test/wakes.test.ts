/**
 * The dispatcher's HTTP face: POST / (a Pub/Sub push of the bucket's notifications, or Cloud
 * Scheduler) is answered 204 at once and leads to a pass; a burst of POSTs is coalesced by
 * admission and counted as shed; GET /healthz; GET /metrics with the names of spec 03.
 */
import { describe, expect, it } from 'vitest';
import { useCleanup } from './support/cleanup.ts';
import { startTestDispatcher } from './support/dispatcher.ts';
import { useGcs } from './support/gcs.ts';
import { reply, startGoReconciler } from './support/go-reconciler.ts';
import { sample } from './support/http.ts';
import { startTestReceiver } from './support/receiver.ts';
import { delay, eventually } from './support/wait.ts';

const gcs = useGcs();
const cleanup = useCleanup();

/** What a Pub/Sub push subscription on the bucket's notifications POSTs. */
function pubsubPush(bucket: string, object: string): string {
  return JSON.stringify({
    message: {
      data: Buffer.from(JSON.stringify({ bucket, name: object })).toString('base64'),
      attributes: { bucketId: bucket, objectId: object, eventType: 'OBJECT_FINALIZE' },
      messageId: '1',
    },
    subscription: 'projects/p/subscriptions/dsp',
  });
}

const specMetrics = {
  gauge: [
    'workqueue_in_progress_keys',
    'workqueue_queued_keys',
    'workqueue_notbefore_keys',
    'workqueue_dead_lettered_keys',
    'workqueue_max_attempts',
  ],
  histogram: [
    'workqueue_process_latency_seconds',
    'workqueue_wait_latency_seconds',
    'workqueue_time_to_completion_seconds',
    'workqueue_attempts_at_completion',
    'workqueue_enumerate_latency_seconds',
    'workqueue_lease_age_seconds',
  ],
  counter: [
    'workqueue_added_keys',
    'workqueue_deduped_keys',
    'workqueue_expired_leases_total',
    'workqueue_dispatch_triggers_total',
    'workqueue_outcomes_total',
  ],
};

async function setup(options: { dispatchPeriodMs: number }) {
  const bucket = gcs.bucket();
  const reconciler = await startGoReconciler();
  cleanup(() => reconciler.close());
  // Production listing and a poll far away: only a wake (or the loop's own slot/timer passes)
  // can find a new key.
  const dispatcher = await startTestDispatcher({
    queue: gcs.backend(bucket),
    target: reconciler.url,
    dispatchPeriodMs: options.dispatchPeriodMs,
    pollIntervalMs: 120_000,
  });
  cleanup(() => dispatcher.close());
  const receiver = await startTestReceiver(gcs.backend(bucket));
  cleanup(() => receiver.close());
  const metrics = async () => (await fetch(`${dispatcher.url}/metrics`)).text();
  const post = async (
    body = pubsubPush(bucket, 'queued/x'),
    headers: Record<string, string> = {},
  ) => {
    const began = Date.now();
    const res = await fetch(`${dispatcher.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    await res.arrayBuffer();
    return { status: res.status, ms: Date.now() - began };
  };
  // The first pass (at start) has run and found nothing.
  await eventually(
    async () => sample(await metrics(), 'workqueue_enumerate_latency_seconds_count') >= 1,
    { what: 'the first pass' },
  );
  return { bucket, reconciler, dispatcher, receiver, metrics, post };
}

describe('wakes, health and metrics over HTTP', { timeout: 30_000 }, () => {
  it('POST / answers 204 at once and leads to a pass that finds the key', async () => {
    const s = await setup({ dispatchPeriodMs: 1000 });
    s.reconciler.script('woken', [reply.hold()]);
    await s.receiver.enqueue('woken');
    // Nothing else would find it: no poll for two minutes.
    await delay(1500);
    expect(s.reconciler.callsOf('woken')).toHaveLength(0);

    const passes = sample(await s.metrics(), 'workqueue_enumerate_latency_seconds_count');
    const { status, ms } = await s.post(pubsubPush(s.bucket, 'queued/woken'));
    expect(status).toBe(204);
    expect(ms).toBeLessThan(500);
    const call = await s.reconciler.waitForCalls('woken', 1, 5000);
    // Answered before the reconcile it caused had even begun (and that reconcile is still held).
    expect(call.end).toBeUndefined();
    expect(sample(await s.metrics(), 'workqueue_enumerate_latency_seconds_count')).toBeGreaterThan(
      passes,
    );
    s.reconciler.release('woken');
    await eventually(async () => (await gcs.objects(s.bucket)).length === 0, {
      what: 'an empty bucket',
    });
    await eventually(
      async () =>
        sample(await s.metrics(), 'workqueue_outcomes_total', { outcome: 'success' }) === 1,
      {
        what: 'one success counted',
      },
    );
  });

  it('a burst of POSTs is coalesced: every one answered 204, the extra ones counted as shed', async () => {
    const s = await setup({ dispatchPeriodMs: 1000 });
    const before = sample(await s.metrics(), 'workqueue_dispatch_triggers_total', {
      result: 'shed',
    });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.post(
          pubsubPush(s.bucket, `queued/k${i}`),
          i % 2 ? { 'user-agent': 'Google-Cloud-Scheduler' } : {},
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(204));
    const text = await s.metrics();
    const shed = sample(text, 'workqueue_dispatch_triggers_total', { result: 'shed' }) - before;
    const accepted = sample(text, 'workqueue_dispatch_triggers_total', { result: 'accepted' });
    // At most one pass now and one pending for the end of the period: everything else is shed.
    expect(shed).toBeGreaterThanOrEqual(18);
    expect(accepted).toBeLessThanOrEqual(2);
  });

  // A wake invalidates the GCS backend's listing snapshot (DispatchPort.invalidateListing), so
  // the pass it causes sees a key another instance enqueued just after the last listing.
  it('a wake that arrives soon after a listing still finds a key another instance just enqueued', async () => {
    const s = await setup({ dispatchPeriodMs: 100 });
    await s.post(); // a pass lists now…
    await eventually(
      async () => sample(await s.metrics(), 'workqueue_enumerate_latency_seconds_count') >= 2,
      { what: 'the pass' },
    );
    await s.receiver.enqueue('fresh'); // …and the key lands right after it, announced by a push
    const { status } = await s.post(pubsubPush(s.bucket, 'queued/fresh'));
    expect(status).toBe(204);
    await s.reconciler.waitForCalls('fresh', 1, 3000);
  });

  it('GET /healthz is 200; GET /metrics carries the metric names of spec 03', async () => {
    const s = await setup({ dispatchPeriodMs: 1000 });
    const health = await fetch(`${s.dispatcher.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
    expect((await fetch(`${s.dispatcher.url}/`)).status).toBe(404);

    const res = await fetch(`${s.dispatcher.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    for (const [type, names] of Object.entries(specMetrics)) {
      for (const name of names) expect(text, name).toContain(`# TYPE ${name} ${type}\n`);
    }
    expect(text).toMatch(
      /workqueue_time_to_completion_seconds_bucket\{le="[^"]+",priority_class="[^"]+",status="[^"]+"\}|# TYPE workqueue_time_to_completion_seconds histogram/,
    );
  });
});
