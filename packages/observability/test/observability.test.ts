import { afterEach, describe, expect, it } from 'vitest';
import {
  counterNames,
  createLogger,
  createWorkqueueMetrics,
  gaugeNames,
  histogramNames,
  observeDispatch,
  priorityClass,
  startOpsServer,
  type OpsServer,
} from '../src/index.ts';

describe('logger', () => {
  it('writes one JSON object per line in Cloud Logging field names', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), now: () => 0 }).child({ key: 'k1' });
    log.warn('slow', { attempt: 2 });
    log.debug('hidden');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      severity: 'WARNING',
      message: 'slow',
      time: '1970-01-01T00:00:00.000Z',
      key: 'k1',
      attempt: 2,
    });
  });
});

describe('workqueue metrics', () => {
  it('registers every name of the Go implementation', async () => {
    const m = createWorkqueueMetrics();
    const text = await m.registry.metrics();
    for (const name of [
      ...Object.values(gaugeNames),
      ...Object.values(histogramNames),
      ...Object.values(counterNames),
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('counts outcomes and time to completion by priority class', async () => {
    const m = createWorkqueueMetrics();
    const events = observeDispatch({
      metrics: m,
      logger: createLogger({ write: () => {} }),
      now: () => 10_000,
    });
    events.onOutcome?.({
      key: 'k',
      attempt: 1,
      priority: 250,
      action: { kind: 'complete', label: 'success', followUps: [] },
      durationMs: 20,
      firstQueuedAt: 4_000,
    });
    const text = await m.registry.metrics();
    expect(text).toContain('workqueue_outcomes_total{outcome="success"} 1');
    expect(text).toContain(
      'workqueue_time_to_completion_seconds_count{priority_class="2xx",status="success"} 1',
    );
    expect(priorityClass(0)).toBe('0xx');
  });
});

describe('ops server', () => {
  let server: OpsServer | undefined;
  afterEach(async () => server?.close());

  it('serves health, metrics and mounted routes on a real socket', async () => {
    const metrics = createWorkqueueMetrics();
    let healthy = true;
    server = await startOpsServer({
      port: 0,
      registry: metrics.registry,
      healthy: () => healthy,
      handle: (req, res) => {
        if (req.method !== 'POST') return false;
        res.writeHead(204).end();
        return true;
      },
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    healthy = false;
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain('workqueue_queued_keys');
    expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(204);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });
});
