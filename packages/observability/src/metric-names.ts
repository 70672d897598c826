// Metric names shared with the Go workqueue, so existing dashboards and alerts keep working.
// Dashboards (infra/gcp) read this file to prove every panel plots a metric the services export.

/** Gauges, computed per listing: dashboards aggregate them with MAX, never SUM. */
export const gaugeNames = {
  inProgressKeys: 'workqueue_in_progress_keys',
  queuedKeys: 'workqueue_queued_keys',
  notBeforeKeys: 'workqueue_notbefore_keys',
  deadLetteredKeys: 'workqueue_dead_lettered_keys',
  maxAttempts: 'workqueue_max_attempts',
} as const;

export const histogramNames = {
  processLatency: 'workqueue_process_latency_seconds',
  waitLatency: 'workqueue_wait_latency_seconds',
  timeToCompletion: 'workqueue_time_to_completion_seconds',
  attemptsAtCompletion: 'workqueue_attempts_at_completion',
  enumerateLatency: 'workqueue_enumerate_latency_seconds',
  leaseAge: 'workqueue_lease_age_seconds',
} as const;

export const counterNames = {
  addedKeys: 'workqueue_added_keys',
  dedupedKeys: 'workqueue_deduped_keys',
  expiredLeases: 'workqueue_expired_leases_total',
  dispatchTriggers: 'workqueue_dispatch_triggers_total',
  /** ext: one count per attempt outcome (label `outcome`). */
  outcomes: 'workqueue_outcomes_total',
} as const;

/** Served-reconciler metrics (SDK `serve`). */
export const reconcilerMetricNames = {
  reconcileTotal: 'reconcile_total',
  reconcileDuration: 'reconcile_duration_seconds',
} as const;

export const outcomeLabels = [
  'success',
  'requeued',
  'retried',
  'dropped',
  'dead_lettered',
  'orphaned',
  'drained',
] as const;
export type OutcomeLabel = (typeof outcomeLabels)[number];

/** `priority_class` label: `<priority div 100>xx`, so label cardinality stays small. */
export function priorityClass(priority: number): string {
  return `${Math.trunc(priority / 100)}xx`;
}
