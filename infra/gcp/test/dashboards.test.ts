// Dashboards and the alert are pure JSON: checked here against the metric names the services
// really export, read as text from packages/observability (infra may not import runtime code).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  reconcilerDashboardJson,
  workqueueDashboardJson,
} from '../src/dashboards/dashboard-json.ts';
import {
  deadLetterAlertAt,
  deadLetterCondition,
  wantsDeadLetterAlert,
} from '../src/dashboards/dead-letter-alert.ts';
import { layoutTiles, xyChart } from '../src/dashboards/widgets.ts';
import type { DashboardJson, TimeSeriesFilter } from '../src/dashboards/widgets.ts';

type Kind = 'gauge' | 'counter' | 'histogram';

/** Metric name → kind, from the `export const xNames = { … } as const` blocks of the file. */
function exportedMetrics(): Map<string, Kind | 'any'> {
  const path = fileURLToPath(
    new URL('../../../packages/observability/src/metric-names.ts', import.meta.url),
  );
  const text = readFileSync(path, 'utf8');
  const kinds: Record<string, Kind | 'any'> = {
    gaugeNames: 'gauge',
    counterNames: 'counter',
    histogramNames: 'histogram',
    reconcilerMetricNames: 'any',
  };
  const metrics = new Map<string, Kind | 'any'>();
  for (const block of text.matchAll(/export const (\w+) = \{([\s\S]*?)\} as const;/g)) {
    const kind = kinds[block[1]!];
    if (kind === undefined) continue;
    for (const name of block[2]!.matchAll(/:\s*'([a-z_]+)'/g)) metrics.set(name[1]!, kind);
  }
  return metrics;
}

/** Every time series query of a dashboard, with the title of its widget. */
function queries(dashboard: DashboardJson): { title: string; query: TimeSeriesFilter }[] {
  return dashboard.mosaicLayout.tiles.flatMap(({ widget }) =>
    (widget.xyChart?.dataSets ?? []).flatMap((set) => {
      const q = set.timeSeriesQuery;
      const all = [
        ...(q.timeSeriesFilter ? [q.timeSeriesFilter] : []),
        ...(q.timeSeriesFilterRatio
          ? [q.timeSeriesFilterRatio.numerator, q.timeSeriesFilterRatio.denominator]
          : []),
      ];
      return all.map((query) => ({ title: widget.title, query }));
    }),
  );
}

function promMetricsOf(dashboard: DashboardJson) {
  return queries(dashboard).flatMap(({ title, query }) => {
    const m =
      /metric\.type="prometheus\.googleapis\.com\/([a-z_]+)\/(gauge|counter|histogram)"/.exec(
        query.filter,
      );
    return m ? [{ title, name: m[1]!, kind: m[2] as Kind, query }] : [];
  });
}

const workqueue = workqueueDashboardJson({
  displayName: 'Workqueue orders',
  project: 'p',
  queues: ['orders'],
  concurrentWork: 20,
  maxRetry: 100,
  scope: 'global',
});
const reconciler = reconcilerDashboardJson({
  displayName: 'Reconciler orders',
  project: 'p',
  reconcilerService: 'orders-rec',
  routerService: 'orders-rtr',
  queues: ['orders-wq-0', 'orders-wq-1'],
  concurrentWork: 20,
  maxRetry: 100,
  scope: 'regional',
});

describe('dashboards', () => {
  const exported = exportedMetrics();

  it('reads the metric names of spec 03 from packages/observability', () => {
    expect(exported.get('workqueue_in_progress_keys')).toBe('gauge');
    expect(exported.get('workqueue_added_keys')).toBe('counter');
    expect(exported.get('workqueue_lease_age_seconds')).toBe('histogram');
    expect(exported.size).toBeGreaterThanOrEqual(18);
  });

  for (const [label, dashboard] of [
    ['workqueue', workqueue],
    ['reconciler', reconciler],
  ] as const) {
    it(`${label}: plots only metrics the services export, with their kind`, () => {
      const plotted = promMetricsOf(dashboard);
      expect(plotted.length).toBeGreaterThan(10);
      for (const { title, name, kind } of plotted) {
        const known = exported.get(name);
        expect(known, `${title}: ${name} is not in metric-names.ts`).toBeDefined();
        if (known !== 'any') expect(kind, `${title}: ${name}`).toBe(known);
      }
    });

    it(`${label}: aggregates every gauge with MAX, never SUM`, () => {
      const gauges = promMetricsOf(dashboard).filter((m) => m.kind === 'gauge');
      expect(gauges.length).toBeGreaterThanOrEqual(5);
      for (const { title, query } of gauges) {
        expect(query.aggregation.perSeriesAligner, title).toBe('ALIGN_MAX');
        expect(query.aggregation.crossSeriesReducer, title).toBe('REDUCE_MAX');
      }
    });

    it(`${label}: lays tiles inside the 48-column grid without overlap`, () => {
      const cells = new Set<string>();
      for (const t of dashboard.mosaicLayout.tiles) {
        expect(t.xPos + t.width).toBeLessThanOrEqual(48);
        for (let x = t.xPos; x < t.xPos + t.width; x += 4) {
          for (let y = t.yPos; y < t.yPos + t.height; y += 4) {
            const cell = `${x},${y}`;
            expect(cells.has(cell), `${t.widget.title} overlaps at ${cell}`).toBe(false);
            cells.add(cell);
          }
        }
      }
    });
  }

  it('has every panel of spec 06', () => {
    const titles = workqueue.mosaicLayout.tiles.map((t) => t.widget.title);
    for (const expected of [
      'Work in progress',
      'Queued vs waiting (notBefore)',
      'Keys added',
      'Processing latency (p50, p95)',
      'Wait time (p50, p95)',
      'Percentage deduplicated',
      'Attempts at completion (p95)',
      'Max attempts',
      'Dead-letter queue size',
      'Time to completion by priority class (p95)',
      'Active lease age (p95)',
      'Expired leases',
      'Enumerate latency (p50, p95)',
      'Queue services: requests',
      'Queue services: server errors',
      'Queue services: latency (p99)',
      'Queue services: logs',
    ]) {
      expect(titles).toContain(expected);
    }
  });

  it('draws the concurrency line and the retry limit', () => {
    const wip = workqueue.mosaicLayout.tiles.find((t) => t.widget.title === 'Work in progress')!;
    expect(wip.widget.xyChart!.thresholds).toEqual([
      expect.objectContaining({ label: 'concurrency', value: 20 }),
    ]);
    const max = workqueue.mosaicLayout.tiles.find((t) => t.widget.title === 'Max attempts')!;
    expect(max.widget.xyChart!.thresholds).toEqual([expect.objectContaining({ value: 100 })]);
  });

  it('filters queue metrics on the queue services: receiver metrics on receivers', () => {
    const added = promMetricsOf(workqueue).find((m) => m.name === 'workqueue_added_keys')!;
    expect(added.query.filter).toContain('metric.label."service_name"="orders-rcv"');
    const wip = promMetricsOf(workqueue).find((m) => m.name === 'workqueue_in_progress_keys')!;
    expect(wip.query.filter).toContain('metric.label."service_name"="orders-dsp"');
    const sharded = promMetricsOf(reconciler).find((m) => m.name === 'workqueue_in_progress_keys')!;
    expect(sharded.query.filter).toContain(
      'metric.label."service_name"=one_of("orders-wq-0-dsp","orders-wq-1-dsp")',
    );
    // Regional scope: every region is its own queue.
    expect(sharded.query.aggregation.groupByFields).toContain('resource.label."location"');
  });

  it('shows the reconciler, its logs and the router in the reconciler dashboard', () => {
    const names = promMetricsOf(reconciler).map((m) => m.name);
    expect(names).toContain('reconcile_total');
    expect(names).toContain('reconcile_duration_seconds');
    const logs = reconciler.mosaicLayout.tiles.filter((t) => t.widget.logsPanel !== undefined);
    expect(logs.map((t) => t.widget.logsPanel!.filter)).toEqual([
      'resource.type="cloud_run_revision" AND (resource.labels.service_name="orders-rec")',
      'resource.type="cloud_run_revision" AND (resource.labels.service_name="orders-rtr" OR ' +
        'resource.labels.service_name="orders-wq-0-rcv" OR resource.labels.service_name="orders-wq-0-dsp" OR ' +
        'resource.labels.service_name="orders-wq-1-rcv" OR resource.labels.service_name="orders-wq-1-dsp")',
    ]);
    expect(logs[0]!.widget.logsPanel!.resourceNames).toEqual(['projects/p']);
  });

  it('hides the dead-letter panel when retries are unlimited', () => {
    const unlimited = workqueueDashboardJson({
      displayName: 'x',
      project: 'p',
      queues: ['x'],
      concurrentWork: 1,
      maxRetry: 0,
      scope: 'global',
    });
    const titles = unlimited.mosaicLayout.tiles.map((t) => t.widget.title);
    expect(titles).not.toContain('Dead-letter queue size');
  });

  it('lays charts three to a row and full-width rows for headers and logs', () => {
    const chart = xyChart('c', []);
    const tiles = layoutTiles([
      { title: 'h', sectionHeader: { subtitle: '', dividerBelow: true } },
      chart,
      chart,
      chart,
      chart,
      { title: 'l', logsPanel: { filter: '', resourceNames: [] } },
    ]);
    expect(tiles.map((t) => [t.xPos, t.yPos, t.width, t.height])).toEqual([
      [0, 0, 48, 4],
      [0, 4, 16, 16],
      [16, 4, 16, 16],
      [32, 4, 16, 16],
      [0, 20, 16, 16],
      [0, 36, 48, 16],
    ]);
  });
});

describe('dead-letter alert', () => {
  const exported = exportedMetrics();

  it('fires at one dead-lettered key of the queue', () => {
    const condition = deadLetterCondition('orders', 'global').conditionThreshold;
    expect(condition.filter).toBe(
      'resource.type="prometheus_target" AND ' +
        'metric.type="prometheus.googleapis.com/workqueue_dead_lettered_keys/gauge" AND ' +
        'metric.label."service_name"="orders-dsp"',
    );
    expect(exported.get('workqueue_dead_lettered_keys')).toBe('gauge');
    expect(deadLetterAlertAt).toBe(1);
    // COMPARISON_GT over a whole-number gauge: value > 0 ⇔ value ≥ 1.
    expect(condition.comparison).toBe('COMPARISON_GT');
    expect(condition.thresholdValue).toBe(deadLetterAlertAt - 1);
    expect(condition.aggregations).toEqual([
      {
        alignmentPeriod: '60s',
        perSeriesAligner: 'ALIGN_MAX',
        crossSeriesReducer: 'REDUCE_MAX',
        groupByFields: ['metric.label."service_name"'],
      },
    ]);
    expect(
      deadLetterCondition('orders', 'regional').conditionThreshold.aggregations[0]!.groupByFields,
    ).toEqual(['metric.label."service_name"', 'resource.label."location"']);
  });

  it('exists only when keys can be dead-lettered and alerting is on', () => {
    expect(wantsDeadLetterAlert(100, true)).toBe(true);
    expect(wantsDeadLetterAlert(0, true)).toBe(false);
    expect(wantsDeadLetterAlert(5, false)).toBe(false);
  });
});
