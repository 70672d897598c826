/** Per-call metrics of a served reconciler, on a prom-client registry of its own. */
import { reconcilerMetricNames } from '@recon/observability';
import { Counter, Histogram, Registry } from 'prom-client';

/** `outcome` label values of `reconcile_total` and `reconcile_duration_seconds`. */
export type CallOutcomeLabel =
  'success' | 'requeue_after' | 'non_retriable' | 'error' | 'deadline_exceeded' | 'drained';

export interface ServeMetrics {
  readonly registry: Registry;
  observe(outcome: CallOutcomeLabel, durationMs: number): void;
}

export function createServeMetrics(registry: Registry = new Registry()): ServeMetrics {
  const total = new Counter({
    name: reconcilerMetricNames.reconcileTotal,
    help: 'Reconcile calls answered, by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: reconcilerMetricNames.reconcileDuration,
    help: 'Time from receiving a reconcile call to answering it, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
    registers: [registry],
  });
  return {
    registry,
    observe(outcome, durationMs) {
      total.inc({ outcome });
      duration.observe({ outcome }, durationMs / 1000);
    },
  };
}
