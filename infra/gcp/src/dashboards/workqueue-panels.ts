// The workqueue panels of spec 06, from the metric names of spec 03: receiver metrics (added,
// deduplicated) filtered on the receivers, everything else on the dispatchers.
import type { Scope } from '../types.ts';
import { workqueueNames } from '../names.ts';
import { promQuery, queueGroupBy } from './gmp.ts';
import { dataSet, xyChart } from './widgets.ts';
import type { Widget } from './widgets.ts';

/** Metric names (spec 03; `packages/observability/src/metric-names.ts` is the source of truth). */
export const workqueueMetrics = {
  inProgressKeys: 'workqueue_in_progress_keys',
  queuedKeys: 'workqueue_queued_keys',
  notBeforeKeys: 'workqueue_notbefore_keys',
  deadLetteredKeys: 'workqueue_dead_lettered_keys',
  maxAttempts: 'workqueue_max_attempts',
  processLatency: 'workqueue_process_latency_seconds',
  waitLatency: 'workqueue_wait_latency_seconds',
  timeToCompletion: 'workqueue_time_to_completion_seconds',
  attemptsAtCompletion: 'workqueue_attempts_at_completion',
  enumerateLatency: 'workqueue_enumerate_latency_seconds',
  leaseAge: 'workqueue_lease_age_seconds',
  addedKeys: 'workqueue_added_keys',
  dedupedKeys: 'workqueue_deduped_keys',
  expiredLeases: 'workqueue_expired_leases_total',
  dispatchTriggers: 'workqueue_dispatch_triggers_total',
  outcomes: 'workqueue_outcomes_total',
} as const;

export interface WorkqueuePanelOptions {
  /** Base names of the queues shown (one, or one per shard). */
  queues: readonly string[];
  /** Draws the concurrency line on "Work in progress". */
  concurrentWork: number;
  /** Draws the retry limit on "Max attempts"; 0 (unlimited) hides the dead-letter panel. */
  maxRetry: number;
  scope: Scope;
}

export function workqueueWidgets(options: WorkqueuePanelOptions): Widget[] {
  const m = workqueueMetrics;
  const dsp = options.queues.map((q) => workqueueNames(q).dispatcher);
  const rcv = options.queues.map((q) => workqueueNames(q).receiver);
  const byQueue = queueGroupBy(options.scope);
  const gauge = (name: string) => promQuery(name, 'gauge', dsp, byQueue);
  const rate = (name: string, services: readonly string[], more: readonly string[] = []) =>
    promQuery(name, 'counter', services, queueGroupBy(options.scope, more));
  const p = (name: string, percentile: 50 | 95 | 99, more: readonly string[] = []) =>
    promQuery(name, 'histogram', dsp, queueGroupBy(options.scope, more), { percentile });

  const widgets: Widget[] = [
    xyChart(
      'Work in progress',
      [dataSet({ timeSeriesFilter: gauge(m.inProgressKeys) }, { legend: 'in progress' })],
      { yLabel: 'keys', thresholds: [{ label: 'concurrency', value: options.concurrentWork }] },
    ),
    xyChart(
      'Queued vs waiting (notBefore)',
      [
        dataSet({ timeSeriesFilter: gauge(m.queuedKeys) }, { legend: 'queued' }),
        dataSet({ timeSeriesFilter: gauge(m.notBeforeKeys) }, { legend: 'waiting' }),
      ],
      { yLabel: 'keys' },
    ),
    xyChart('Keys added', [dataSet({ timeSeriesFilter: rate(m.addedKeys, rcv) })], {
      yLabel: 'keys/s',
    }),
    xyChart(
      'Percentage deduplicated',
      [
        dataSet({
          timeSeriesFilterRatio: {
            numerator: rate(m.dedupedKeys, rcv),
            denominator: rate(m.addedKeys, rcv),
          },
        }),
      ],
      { yLabel: 'deduplicated / added' },
    ),
    xyChart(
      'Processing latency (p50, p95)',
      [
        dataSet({ timeSeriesFilter: p(m.processLatency, 50) }, { legend: 'p50' }),
        dataSet({ timeSeriesFilter: p(m.processLatency, 95) }, { legend: 'p95' }),
      ],
      { yLabel: 'seconds' },
    ),
    xyChart(
      'Wait time (p50, p95)',
      [
        dataSet({ timeSeriesFilter: p(m.waitLatency, 50) }, { legend: 'p50' }),
        dataSet({ timeSeriesFilter: p(m.waitLatency, 95) }, { legend: 'p95' }),
      ],
      { yLabel: 'seconds' },
    ),
    xyChart(
      'Time to completion by priority class (p95)',
      [dataSet({ timeSeriesFilter: p(m.timeToCompletion, 95, ['metric.label."priority_class"']) })],
      { yLabel: 'seconds' },
    ),
    xyChart(
      'Attempts at completion (p95)',
      [dataSet({ timeSeriesFilter: p(m.attemptsAtCompletion, 95) })],
      { yLabel: 'attempts' },
    ),
    xyChart('Max attempts', [dataSet({ timeSeriesFilter: gauge(m.maxAttempts) })], {
      yLabel: 'attempts',
      thresholds: options.maxRetry > 0 ? [{ label: 'maxRetry', value: options.maxRetry }] : [],
    }),
  ];
  if (options.maxRetry > 0) {
    widgets.push(
      xyChart(
        'Dead-letter queue size',
        [dataSet({ timeSeriesFilter: gauge(m.deadLetteredKeys) }, { plotType: 'STACKED_AREA' })],
        { yLabel: 'keys' },
      ),
    );
  }
  widgets.push(
    xyChart(
      'Outcomes',
      [
        dataSet(
          { timeSeriesFilter: rate(m.outcomes, dsp, ['metric.label."outcome"']) },
          { plotType: 'STACKED_AREA' },
        ),
      ],
      { yLabel: 'attempts/s' },
    ),
    xyChart('Active lease age (p95)', [dataSet({ timeSeriesFilter: p(m.leaseAge, 95) })], {
      yLabel: 'seconds',
    }),
    xyChart(
      'Expired leases',
      [dataSet({ timeSeriesFilter: rate(m.expiredLeases, dsp) }, { plotType: 'STACKED_AREA' })],
      { yLabel: 'leases/s' },
    ),
    xyChart(
      'Enumerate latency (p50, p95)',
      [
        dataSet({ timeSeriesFilter: p(m.enumerateLatency, 50) }, { legend: 'p50' }),
        dataSet({ timeSeriesFilter: p(m.enumerateLatency, 95) }, { legend: 'p95' }),
      ],
      { yLabel: 'seconds' },
    ),
    xyChart(
      'Dispatcher wake-ups',
      [
        dataSet(
          { timeSeriesFilter: rate(m.dispatchTriggers, dsp, ['metric.label."result"']) },
          { plotType: 'STACKED_BAR' },
        ),
      ],
      { yLabel: 'triggers/s' },
    ),
  );
  return widgets;
}
