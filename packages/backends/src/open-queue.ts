import { Storage } from '@google-cloud/storage';
import { systemClock, type Clock, type WorkqueueBackend } from '@recon/core';
import { GcsBackend } from '@recon/workqueue-gcs';
import { MemoryBackend } from '@recon/workqueue-memory';
import type { QueueConfig } from './queue-config.ts';

/** `host:port` (the variable's usual form) or a full URL → the client's apiEndpoint. */
export function emulatorEndpoint(host: string): string {
  return /^https?:\/\//.test(host) ? host.replace(/\/+$/, '') : `http://${host}`;
}

/** A Storage client for production (ambient credentials) or for an emulator (no credentials). */
export function createStorage(emulatorHost?: string): Storage {
  if (!emulatorHost) return new Storage();
  return new Storage({ apiEndpoint: emulatorEndpoint(emulatorHost), projectId: 'recon-local' });
}

/** Opens the backend a config names. Memory mode is one process's private queue. */
export function openQueue(
  config: QueueConfig,
  options: { clock?: Clock; storage?: Storage } = {},
): WorkqueueBackend {
  const clock = options.clock ?? systemClock;
  if (config.mode === 'memory') return new MemoryBackend({ clock, workqueue: config.workqueue });
  const storage = options.storage ?? createStorage(config.emulatorHost);
  return new GcsBackend({ storage, bucket: config.bucket, clock, workqueue: config.workqueue });
}
