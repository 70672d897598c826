// Environment of recon's services, with exactly the variable names of spec 03. PORT is left to
// Cloud Run (it sets it to the container port, 8080, named `h2c`).
import type * as pulumi from '@pulumi/pulumi';

export type EnvMap = Record<string, pulumi.Input<string>>;

export interface QueueEnvOptions {
  /** Bucket name (per region in `regional` scope: the caller passes that region's). */
  bucket: pulumi.Input<string>;
  /** In-flight reconciles per dispatcher instance. */
  concurrentWork: number;
  /** Keys started per dispatcher pass. */
  batchSize: number;
  /** Attempts before dead-lettering; 0 = unlimited. */
  maxRetry: number;
}

/** The receiver's HTTP port (/healthz, /metrics): its PORT speaks gRPC, which no scraper reads. */
export const receiverMetricsPort = 9090;

export function receiverEnv(options: Pick<QueueEnvOptions, 'bucket'>): EnvMap {
  return {
    WORKQUEUE_MODE: 'gcs',
    WORKQUEUE_BUCKET: options.bucket,
    HEALTH_PORT: String(receiverMetricsPort),
  };
}

export interface DispatcherEnvOptions extends QueueEnvOptions {
  /** The reconciler URL of this region (`https://…run.app`). */
  target: pulumi.Input<string>;
  /** Per-call deadline in seconds (the reconciler's request timeout). */
  timeoutSeconds: number;
}

/**
 * V8 flags of the dispatcher: a young generation of at most 8 MB per semi-space. Listing a deep
 * queue allocates in bursts, after which V8 keeps a young generation of up to 64 MB on a large
 * host; capped, the dispatcher stays at about 130 MB RSS with 100,000 queued keys, at no
 * measurable CPU cost (docs/benchmarks.md).
 */
export const dispatcherNodeOptions = '--max-semi-space-size=8';

export function dispatcherEnv(options: DispatcherEnvOptions): EnvMap {
  return {
    NODE_OPTIONS: dispatcherNodeOptions,
    WORKQUEUE_MODE: 'gcs',
    WORKQUEUE_BUCKET: options.bucket,
    WORKQUEUE_CONCURRENCY: String(options.concurrentWork),
    WORKQUEUE_BATCH_SIZE: String(options.batchSize),
    WORKQUEUE_MAX_RETRY: String(options.maxRetry),
    WORKQUEUE_TARGET: options.target,
    WORKQUEUE_TIMEOUT: `${options.timeoutSeconds}s`,
  };
}

export function reenqueueEnv(options: Pick<QueueEnvOptions, 'bucket' | 'concurrentWork'>): EnvMap {
  return {
    WORKQUEUE_MODE: 'gcs',
    WORKQUEUE_BUCKET: options.bucket,
    WORKQUEUE_CONCURRENCY: String(options.concurrentWork),
  };
}

/** `WORKQUEUE_SHARDS` of the router: one region's shard receiver URLs, in shard order. */
export function routerShards(shardReceiverUrls: readonly string[]): string {
  return shardReceiverUrls.join(',');
}

/** `{ NAME: value }` → Cloud Run's `[{ name, value }]`, in key order. */
export function toEnvList(env: EnvMap): { name: string; value: pulumi.Input<string> }[] {
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

/**
 * Per-region environments → Cloud Run's regional form, NAME → region → value (names in the
 * order the first region's environment lists them).
 */
export function envByRegion(
  regions: readonly string[],
  envOf: (region: string) => EnvMap,
): Record<string, Record<string, pulumi.Input<string>>> {
  const out: Record<string, Record<string, pulumi.Input<string>>> = {};
  for (const region of regions) {
    for (const [name, value] of Object.entries(envOf(region))) {
      (out[name] ??= {})[region] = value;
    }
  }
  return out;
}
