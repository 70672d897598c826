import type { EnvReader } from '@recon/backends';
import { maxPriority, minPriority } from '@recon/core';

/** Where a trigger service listens: `PORT` (default 8080) on `HOST` (default 0.0.0.0). */
export interface ListenConfig {
  port: number;
  host: string;
}

export function readListen(env: EnvReader): ListenConfig {
  return {
    port: env.int('PORT', 8080, { min: 0, max: 65535 }),
    host: env.string('HOST', '0.0.0.0') ?? '0.0.0.0',
  };
}

/** A signed 32-bit priority from `name`. */
export function readPriority(env: EnvReader, name: string, fallback: number): number {
  return env.int(name, fallback, { min: minPriority, max: maxPriority });
}

/** `RECEIVER_URL`: the workqueue receiver, `http://host:port` (h2c) or `https://…` (Cloud Run). */
export function readReceiverUrl(env: EnvReader, why: string): string {
  return env.url('RECEIVER_URL', { required: why }) ?? '';
}
