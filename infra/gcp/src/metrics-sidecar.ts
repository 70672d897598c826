// The Google Managed Prometheus sidecar of a Cloud Run service: what it scrapes, how those
// settings are checked, and the RunMonitoring file that points it elsewhere than its default.
import type * as pulumi from '@pulumi/pulumi';
import type { ArgProblem } from './errors.ts';
import { checkInt } from './validation.ts';

/** The sidecar, told where the app serves Prometheus metrics. */
export interface MetricsSidecarArgs {
  /** Default: `gmpSidecarImage`. */
  image?: pulumi.Input<string>;
  /** Port of the app's HTTP metrics endpoint (1–65535). Default: 8080. */
  port?: number;
  /** Path of that endpoint. Default: `/metrics`. */
  path?: string;
  /** Seconds between scrapes (integer, at least 5). Default: 60. */
  intervalSeconds?: number;
}

export interface ScrapeTarget {
  port: number;
  path: string;
  intervalSeconds: number;
}

/** What the sidecar scrapes when it finds no RunMonitoring file. */
export const defaultScrapeTarget: Readonly<ScrapeTarget> = {
  port: 8080,
  path: '/metrics',
  intervalSeconds: 60,
};

/** Where the sidecar looks for its RunMonitoring file: `<dir>/<file>`. */
export const runMonitoringDir = '/etc/rungmp';
export const runMonitoringFile = 'config.yaml';

// An absolute URL path without query, fragment or whitespace (so it is a plain YAML scalar).
const urlPath = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/** `value` is a boolean or a MetricsSidecarArgs with a valid port, path and interval. */
export function checkMetricsSidecar(field: string, value: unknown): ArgProblem[] {
  if (value === undefined || typeof value === 'boolean') return [];
  if (typeof value !== 'object' || value === null) {
    return [
      { field, message: 'must be true, false or { image?, port?, path?, intervalSeconds? }' },
    ];
  }
  const sidecar = value as MetricsSidecarArgs;
  const problems = [
    ...checkInt(`${field}.port`, sidecar.port, { min: 1, max: 65535 }),
    ...checkInt(`${field}.intervalSeconds`, sidecar.intervalSeconds, { min: 5 }),
  ];
  if (
    sidecar.path !== undefined &&
    (typeof sidecar.path !== 'string' || !urlPath.test(sidecar.path))
  ) {
    problems.push({
      field: `${field}.path`,
      message: `${JSON.stringify(sidecar.path)} is not an absolute URL path (like "/metrics")`,
    });
  }
  return problems;
}

/**
 * The target of `sidecar` when it differs from the sidecar's default (another port or path, or
 * an explicit interval), so it needs a RunMonitoring file; `undefined` when the default serves.
 */
export function customScrapeTarget(sidecar: MetricsSidecarArgs): ScrapeTarget | undefined {
  const target: ScrapeTarget = {
    port: sidecar.port ?? defaultScrapeTarget.port,
    path: sidecar.path ?? defaultScrapeTarget.path,
    intervalSeconds: sidecar.intervalSeconds ?? defaultScrapeTarget.intervalSeconds,
  };
  const isDefault =
    target.port === defaultScrapeTarget.port &&
    target.path === defaultScrapeTarget.path &&
    sidecar.intervalSeconds === undefined;
  return isDefault ? undefined : target;
}

/** The RunMonitoring file (YAML) that makes the sidecar of service `name` scrape `target`. */
export function runMonitoringYaml(name: string, target: ScrapeTarget): string {
  return [
    'apiVersion: monitoring.googleapis.com/v1beta',
    'kind: RunMonitoring',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  endpoints:',
    `  - port: ${target.port}`,
    `    path: ${target.path}`,
    `    interval: ${target.intervalSeconds}s`,
    '',
  ].join('\n');
}
