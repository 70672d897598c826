/**
 * Cumulative counts of keys added, attempts completed and attempts failed: what the rates chart
 * plots. They come from the services' Prometheus metrics (the same names as the Go workqueue), read
 * in-process from prom-client registries or scraped from a `/metrics` URL.
 *
 *   added     = workqueue_added_keys (the receiver's accepted enqueues)
 *   completed = workqueue_outcomes_total{outcome="success"|"requeued"}
 *   failed    = workqueue_outcomes_total{outcome="retried"|"dead_lettered"|"dropped"}
 */
import { counterNames } from '@recon/observability';

export interface RateCounters {
  added: number;
  completed: number;
  failed: number;
}

/** Reads cumulative counters; called every sample. */
export type CounterSource = () => RateCounters | Promise<RateCounters>;

const completedOutcomes = new Set(['success', 'requeued']);
const failedOutcomes = new Set(['retried', 'dead_lettered', 'dropped']);

/** Sums the counters found in Prometheus text exposition (other lines are ignored). */
export function parsePrometheusCounters(text: string): RateCounters {
  const totals: RateCounters = { added: 0, completed: 0, failed: 0 };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const [, name, labels = '', valueText = ''] = match;
    const value = Number(valueText);
    if (!Number.isFinite(value)) continue;
    if (name === counterNames.addedKeys) totals.added += value;
    if (name === counterNames.outcomes) {
      const outcome = /outcome="([^"]*)"/.exec(labels)?.[1] ?? '';
      if (completedOutcomes.has(outcome)) totals.completed += value;
      if (failedOutcomes.has(outcome)) totals.failed += value;
    }
  }
  return totals;
}

/** Anything with prom-client's `Registry#metrics()`. */
export interface MetricsText {
  metrics(): Promise<string> | string;
}

/** Counters summed over in-process registries (the dispatcher's, the receiver's). */
export function countersFromRegistries(registries: readonly MetricsText[]): CounterSource {
  return async () => {
    const texts = await Promise.all(registries.map(async (r) => r.metrics()));
    return parsePrometheusCounters(texts.join('\n'));
  };
}

/** Counters scraped from `/metrics` endpoints (a UI deployed apart from the services). */
export function countersFromUrls(
  urls: readonly string[],
  fetchText: (url: string) => Promise<string> = defaultFetchText,
): CounterSource {
  return async () => {
    const texts = await Promise.all(urls.map((u) => fetchText(u)));
    return parsePrometheusCounters(texts.join('\n'));
  };
}

async function defaultFetchText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return res.text();
}
