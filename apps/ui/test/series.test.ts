import type { QueueStats } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { countersFromRegistries, parsePrometheusCounters } from '../src/index.ts';
import { RateSeries } from '../src/server/series.ts';
import { createWorkqueueMetrics } from '@recon/observability';

const stats = (queued: number): QueueStats => ({
  queued,
  waiting: 0,
  inProgress: 0,
  deadLettered: 0,
  maxAttempts: 0,
  leaseAgesMs: [],
});

describe('parsePrometheusCounters', () => {
  it('sums added keys and classifies outcomes', () => {
    const text = [
      '# HELP workqueue_added_keys Keys added.',
      '# TYPE workqueue_added_keys counter',
      'workqueue_added_keys 12',
      'workqueue_outcomes_total{outcome="success"} 5',
      'workqueue_outcomes_total{outcome="requeued"} 2',
      'workqueue_outcomes_total{outcome="retried"} 3',
      'workqueue_outcomes_total{outcome="dead_lettered"} 1',
      'workqueue_outcomes_total{outcome="dropped"} 1',
      'workqueue_outcomes_total{outcome="drained"} 9',
      'workqueue_added_keys_created 1700000000',
      'workqueue_added_keys 3',
    ].join('\n');
    expect(parsePrometheusCounters(text)).toEqual({ added: 15, completed: 7, failed: 5 });
  });

  it('reads prom-client registries', async () => {
    const metrics = createWorkqueueMetrics();
    metrics.addedKeys.inc(4);
    metrics.outcomes.inc({ outcome: 'success' }, 3);
    metrics.outcomes.inc({ outcome: 'retried' });
    expect(await countersFromRegistries([metrics.registry])()).toEqual({
      added: 4,
      completed: 3,
      failed: 1,
    });
  });
});

describe('RateSeries', () => {
  it('keeps one point per step with per-minute rates from counter deltas', () => {
    const s = new RateSeries({ stepMs: 5000, capacity: 3 });
    expect(s.record(0, stats(1), { added: 10, completed: 0, failed: 0 })).toBe(true);
    expect(s.record(1000, stats(2), { added: 11, completed: 0, failed: 0 })).toBe(false);
    s.record(6000, stats(3), { added: 16, completed: 3, failed: 1 });
    expect(s.points()[1]).toEqual({
      t: 6000,
      queued: 3,
      waiting: 0,
      inProgress: 0,
      deadLettered: 0,
      added: 60,
      completed: 30,
      failed: 10,
    });
    // A counter that went backwards was reset: count from zero.
    s.record(12_000, stats(3), { added: 2, completed: 3, failed: 1 });
    expect(s.points()[2]?.added).toBe(20);
    s.record(18_000, stats(4));
    expect(s.points()).toHaveLength(3);
    expect(s.points()[2]).not.toHaveProperty('added');
    expect(s.points()[0]?.t).toBe(6000);
  });
});
