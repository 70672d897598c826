import { EnvReader, readQueueConfig, type Env, type QueueConfig } from '@recon/backends';

/** Everything the dispatcher reads from its environment (spec 03), typed and checked. */
export interface DispatcherConfig {
  port: number;
  host: string;
  queue: QueueConfig;
  /** In-flight reconciles per instance (hard). */
  concurrency: number;
  /** Keys started per pass. */
  batchSize: number;
  /** The reconciler: http://host:port (h2c) or https://… (Cloud Run, ID token). */
  target: string;
  /** Per-call deadline. */
  timeoutMs: number;
  dispatchPeriodMs: number;
  orphanSweepPeriodMs: number;
  pollIntervalMs: number;
  /** Where error CloudEvents go; off when unset. */
  errorSink?: string;
  /** Name of this queue, the `source` of error events. */
  queueName: string;
  /** Recorded on leases: which instance owns a key. */
  owner: string;
}

export function parseDispatcherConfig(env: Env, defaults: { owner: string }): DispatcherConfig {
  const r = new EnvReader(env);
  const concurrency = r.int('WORKQUEUE_CONCURRENCY', 20, { min: 1, max: 10_000 });
  const config: DispatcherConfig = {
    port: r.int('PORT', 8080, { min: 0, max: 65_535 }),
    host: r.string('HOST', '0.0.0.0') ?? '0.0.0.0',
    queue: readQueueConfig(r),
    concurrency,
    batchSize: r.int('WORKQUEUE_BATCH_SIZE', concurrency, { min: 1, max: 10_000 }),
    target:
      r.url('WORKQUEUE_TARGET', {
        required: '(the reconciler URL, http://host:port or https://…)',
      }) ?? '',
    timeoutMs: r.durationMs('WORKQUEUE_TIMEOUT', 300_000),
    dispatchPeriodMs: r.durationMs('WORKQUEUE_DISPATCH_PERIOD', 1000),
    orphanSweepPeriodMs: r.durationMs('WORKQUEUE_ORPHAN_SWEEP_PERIOD', 30_000),
    pollIntervalMs: r.durationMs('WORKQUEUE_POLL_INTERVAL', 10_000),
    queueName: r.string('WORKQUEUE_NAME', r.string('K_SERVICE', 'recon')) ?? 'recon',
    owner: r.string('WORKQUEUE_OWNER', defaults.owner) ?? defaults.owner,
  };
  const sink = r.url('WORKQUEUE_ERROR_SINK');
  if (sink) config.errorSink = sink;
  r.done();
  return config;
}
