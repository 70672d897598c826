import { EnvReader, readQueueConfig, type Env, type QueueConfig } from '@recon/backends';

/** Everything the UI service reads from its environment, typed and checked. */
export interface UiConfig {
  port: number;
  host: string;
  queue: QueueConfig;
  /** UI_READ_ONLY=true: show, never change. */
  readOnly: boolean;
  /** UI_BASE_PATH, e.g. `/ui` behind a path-routing load balancer. */
  basePath: string;
  /** UI_METRICS_URLS: the services' `/metrics` endpoints, comma-separated, for the rates chart. */
  metricsUrls: string[];
  /** UI_REFRESH: how often an open page gets a fresh overview. */
  refreshMs: number;
}

export function parseUiConfig(env: Env): UiConfig {
  const r = new EnvReader(env);
  const flag = r.oneOf('UI_READ_ONLY', ['true', 'false', '1', '0'] as const, 'false');
  const basePath = (r.string('UI_BASE_PATH', '') ?? '').replace(/\/+$/, '');
  if (basePath !== '' && !/^\/[\w\-./~]*$/.test(basePath)) {
    r.problems.push(`UI_BASE_PATH must look like /ui, got ${JSON.stringify(basePath)}`);
  }
  const metricsUrls: string[] = [];
  for (const raw of (r.string('UI_METRICS_URLS', '') ?? '').split(',')) {
    const text = raw.trim();
    if (text === '') continue;
    try {
      const url = new URL(text);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
      metricsUrls.push(text);
    } catch {
      r.problems.push(`UI_METRICS_URLS holds ${JSON.stringify(text)}, not an http(s) URL`);
    }
  }
  const config: UiConfig = {
    port: r.int('PORT', 8080, { min: 0, max: 65_535 }),
    host: r.string('HOST', '0.0.0.0') ?? '0.0.0.0',
    queue: readQueueConfig(r),
    readOnly: flag === 'true' || flag === '1',
    basePath,
    metricsUrls,
    refreshMs: r.durationMs('UI_REFRESH', 1500),
  };
  r.done();
  return config;
}
