/**
 * The receiver's configuration, parsed once from the environment by main.ts. Every problem is
 * collected and thrown as one ConfigError, so a misconfigured deployment says everything that is
 * wrong in one start. Names are the Go binaries' where they exist (spec 03).
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | PORT | 8080 | gRPC (h2c) port |
 * | HEALTH_PORT | — | ext: also serve HTTP /healthz and /metrics on this port |
 * | WORKQUEUE_MODE | gcs | `gcs` or `memory` |
 * | WORKQUEUE_BUCKET | — | bucket name, required in gcs mode |
 * | STORAGE_EMULATOR_HOST | — | talk to a local GCS emulator (`host:port` or URL) |
 */
import { ConfigError } from '@recon/core';

export type Env = Record<string, string | undefined>;

export interface ReceiverConfig {
  port: number;
  /** Absent: no HTTP health/metrics server. */
  healthPort?: number;
  queue: {
    mode: 'gcs' | 'memory';
    /** The queue bucket (gcs mode; '' in memory mode). */
    bucket: string;
    /** STORAGE_EMULATOR_HOST, passed through. */
    emulatorHost?: string;
  };
}

const modes = ['gcs', 'memory'] as const;
// GCS bucket names: 3–63 characters of lowercase letters, digits, '-', '_' and '.', starting and
// ending with a letter or digit.
const bucketName = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

export function parseReceiverConfig(env: Env): ReceiverConfig {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const port = (name: string): number | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n > 65535) {
      problems.push(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return n;
  };

  const config: ReceiverConfig = { port: port('PORT') ?? 8080, queue: { mode: 'gcs', bucket: '' } };
  const healthPort = port('HEALTH_PORT');
  if (healthPort !== undefined) config.healthPort = healthPort;

  const mode = read('WORKQUEUE_MODE') ?? 'gcs';
  if ((modes as readonly string[]).includes(mode))
    config.queue.mode = mode as ReceiverConfig['queue']['mode'];
  else
    problems.push(`WORKQUEUE_MODE must be one of ${modes.join(', ')}, got ${JSON.stringify(mode)}`);

  const bucket = read('WORKQUEUE_BUCKET');
  if (config.queue.mode === 'gcs') {
    if (bucket === undefined)
      problems.push('WORKQUEUE_BUCKET is required in gcs mode (the queue bucket name)');
    else if (!bucketName.test(bucket))
      problems.push(`WORKQUEUE_BUCKET is not a valid bucket name: ${JSON.stringify(bucket)}`);
    else config.queue.bucket = bucket;
  }
  const emulatorHost = read('STORAGE_EMULATOR_HOST');
  if (emulatorHost !== undefined) config.queue.emulatorHost = emulatorHost;

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
