// Filters and aggregations for Prometheus metrics in Google Managed Prometheus, where a metric
// `x` of kind k is the Cloud Monitoring type `prometheus.googleapis.com/x/k` on the
// `prometheus_target` resource, labelled with the Cloud Run `service_name` that exported it.
import type { Scope } from '../types.ts';
import { alignmentPeriod } from './widgets.ts';
import type { Aggregation, TimeSeriesFilter } from './widgets.ts';

export type PromKind = 'gauge' | 'counter' | 'histogram';

export function promMetricType(name: string, kind: PromKind): string {
  return `prometheus.googleapis.com/${name}/${kind}`;
}

/** `label="a"`, or `label=one_of("a","b")` for several values. */
export function labelIn(label: string, values: readonly string[]): string {
  const quoted = values.map((v) => JSON.stringify(v));
  return quoted.length === 1 ? `${label}=${quoted[0]}` : `${label}=one_of(${quoted.join(',')})`;
}

export const serviceNameLabel = 'metric.label."service_name"';
export const locationLabel = 'resource.label."location"';

export function promFilter(
  name: string,
  kind: PromKind,
  services: readonly string[],
  extra: readonly string[] = [],
): string {
  return [
    'resource.type="prometheus_target"',
    `metric.type="${promMetricType(name, kind)}"`,
    labelIn(serviceNameLabel, services),
    ...extra,
  ].join(' AND ');
}

/**
 * How each kind aggregates. Gauges are computed per listing by every instance, so summing them
 * double-counts: MAX within and across series. Counters: rate, summed. Histograms: a percentile
 * of the per-minute deltas.
 */
export function promAggregation(
  kind: PromKind,
  groupByFields: readonly string[],
  percentile: 50 | 95 | 99 = 95,
): Aggregation {
  const base = { alignmentPeriod, groupByFields: [...groupByFields] };
  switch (kind) {
    case 'gauge':
      return { ...base, perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_MAX' };
    case 'counter':
      return { ...base, perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' };
    case 'histogram':
      return {
        ...base,
        perSeriesAligner: 'ALIGN_DELTA',
        crossSeriesReducer: `REDUCE_PERCENTILE_${percentile}`,
      };
  }
}

/** Group by queue (service), and by region in `regional` scope, where each region is its own queue. */
export function queueGroupBy(scope: Scope, more: readonly string[] = []): string[] {
  return [serviceNameLabel, ...(scope === 'regional' ? [locationLabel] : []), ...more];
}

export function promQuery(
  name: string,
  kind: PromKind,
  services: readonly string[],
  groupBy: readonly string[],
  options: { percentile?: 50 | 95 | 99; extra?: readonly string[] } = {},
): TimeSeriesFilter {
  return {
    filter: promFilter(name, kind, services, options.extra),
    aggregation: promAggregation(kind, groupBy, options.percentile),
  };
}
