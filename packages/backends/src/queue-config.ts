import { defaultWorkqueueOptions, type WorkqueueOptions } from '@recon/core';
import type { EnvReader } from './env-reader.ts';

export type QueueMode = 'gcs' | 'memory';

/** Where a service keeps queue state, and the queue semantics it applies. */
export interface QueueConfig {
  mode: QueueMode;
  /** Bucket name (gcs mode). */
  bucket: string;
  /** `host:port` or URL of a GCS emulator (the standard STORAGE_EMULATOR_HOST). */
  emulatorHost?: string;
  workqueue: WorkqueueOptions;
}

/**
 * The variables every queue-touching service shares (names as in the Go binaries where they
 * exist): WORKQUEUE_MODE, WORKQUEUE_BUCKET, STORAGE_EMULATOR_HOST, WORKQUEUE_MAX_RETRY, and the
 * operator knobs WORKQUEUE_BACKOFF_BASE, WORKQUEUE_BACKOFF_MAX, WORKQUEUE_LEASE (durations).
 */
export function readQueueConfig(env: EnvReader): QueueConfig {
  const mode = env.oneOf('WORKQUEUE_MODE', ['gcs', 'memory'] as const, 'gcs');
  const bucket =
    mode === 'gcs' ? env.required('WORKQUEUE_BUCKET', 'in gcs mode (the queue bucket name)') : '';
  const leaseMs = env.durationMs('WORKQUEUE_LEASE', defaultWorkqueueOptions.leaseMs);
  const config: QueueConfig = {
    mode,
    bucket,
    workqueue: {
      ...defaultWorkqueueOptions,
      maxRetry: env.int('WORKQUEUE_MAX_RETRY', defaultWorkqueueOptions.maxRetry, { min: 0 }),
      backoffBaseMs: env.durationMs(
        'WORKQUEUE_BACKOFF_BASE',
        defaultWorkqueueOptions.backoffBaseMs,
      ),
      backoffCapMs: env.durationMs('WORKQUEUE_BACKOFF_MAX', defaultWorkqueueOptions.backoffCapMs),
      leaseMs,
      // Renew three times per lease, as the defaults do (15 min lease, 5 min heartbeat).
      heartbeatMs: Math.max(1, Math.floor(leaseMs / 3)),
    },
  };
  const emulatorHost = env.string('STORAGE_EMULATOR_HOST');
  if (emulatorHost) config.emulatorHost = emulatorHost;
  if (config.workqueue.backoffCapMs < config.workqueue.backoffBaseMs) {
    env.problems.push('WORKQUEUE_BACKOFF_MAX must be >= WORKQUEUE_BACKOFF_BASE');
  }
  return config;
}
