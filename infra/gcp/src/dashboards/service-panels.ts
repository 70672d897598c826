// Panels of Cloud Run services (built-in run.googleapis.com metrics and their logs), and of a
// served reconciler (the SDK's Prometheus metrics).
import { alignmentPeriod, dataSet, logsPanel, xyChart } from './widgets.ts';
import type { Widget } from './widgets.ts';
import { labelIn, promQuery, serviceNameLabel } from './gmp.ts';

/** Metrics of a served reconciler (SDK `serve`, spec 04). */
export const reconcilerMetrics = {
  reconcileTotal: 'reconcile_total',
  reconcileDuration: 'reconcile_duration_seconds',
} as const;

const runServiceLabel = 'resource.label."service_name"';

function runFilter(metric: string, services: readonly string[], extra: string[] = []): string {
  return [
    'resource.type="cloud_run_revision"',
    `metric.type="run.googleapis.com/${metric}"`,
    labelIn(runServiceLabel, services),
    ...extra,
  ].join(' AND ');
}

/** Cloud Logging query for the logs of `services`. */
export function serviceLogFilter(services: readonly string[]): string {
  const names = services.map((s) => `resource.labels.service_name="${s}"`).join(' OR ');
  return `resource.type="cloud_run_revision" AND (${names})`;
}

/** Requests, server errors and latency of Cloud Run services, then their logs. */
export function cloudRunWidgets(
  label: string,
  services: readonly string[],
  project: string,
): Widget[] {
  return [
    xyChart(
      `${label}: requests`,
      [
        dataSet({
          timeSeriesFilter: {
            filter: runFilter('request_count', services),
            aggregation: {
              alignmentPeriod,
              perSeriesAligner: 'ALIGN_RATE',
              crossSeriesReducer: 'REDUCE_SUM',
              groupByFields: [runServiceLabel, 'metric.label."response_code_class"'],
            },
          },
        }),
      ],
      { yLabel: 'requests/s' },
    ),
    xyChart(
      `${label}: server errors`,
      [
        dataSet(
          {
            timeSeriesFilter: {
              filter: runFilter('request_count', services, [
                'metric.label."response_code_class"="5xx"',
              ]),
              aggregation: {
                alignmentPeriod,
                perSeriesAligner: 'ALIGN_RATE',
                crossSeriesReducer: 'REDUCE_SUM',
                groupByFields: [runServiceLabel],
              },
            },
          },
          { plotType: 'STACKED_BAR' },
        ),
      ],
      { yLabel: 'errors/s' },
    ),
    xyChart(
      `${label}: latency (p99)`,
      [
        dataSet({
          timeSeriesFilter: {
            filter: runFilter('request_latencies', services),
            aggregation: {
              alignmentPeriod,
              perSeriesAligner: 'ALIGN_DELTA',
              crossSeriesReducer: 'REDUCE_PERCENTILE_99',
              groupByFields: [runServiceLabel],
            },
          },
        }),
      ],
      { yLabel: 'ms' },
    ),
    logsPanel(`${label}: logs`, serviceLogFilter(services), project),
  ];
}

/** Reconcile rate by outcome and reconcile duration, from the reconciler's own metrics. */
export function reconcilerWidgets(reconcilerService: string): Widget[] {
  const services = [reconcilerService];
  return [
    xyChart(
      'Reconciles by outcome',
      [
        dataSet(
          {
            timeSeriesFilter: promQuery(reconcilerMetrics.reconcileTotal, 'counter', services, [
              serviceNameLabel,
              'metric.label."outcome"',
            ]),
          },
          { plotType: 'STACKED_AREA' },
        ),
      ],
      { yLabel: 'reconciles/s' },
    ),
    xyChart(
      'Reconcile duration (p50, p95)',
      [
        dataSet(
          {
            timeSeriesFilter: promQuery(
              reconcilerMetrics.reconcileDuration,
              'histogram',
              services,
              [serviceNameLabel],
              { percentile: 50 },
            ),
          },
          { legend: 'p50' },
        ),
        dataSet(
          {
            timeSeriesFilter: promQuery(
              reconcilerMetrics.reconcileDuration,
              'histogram',
              services,
              [serviceNameLabel],
              { percentile: 95 },
            ),
          },
          { legend: 'p95' },
        ),
      ],
      { yLabel: 'seconds' },
    ),
  ];
}
