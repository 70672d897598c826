import { Storage, type StorageOptions } from '@google-cloud/storage';
import { systemClock, type Clock, type WorkqueueBackend } from '@recon/core';
import { GcsBackend } from '@recon/workqueue-gcs';
import { MemoryBackend } from '@recon/workqueue-memory';
import type { QueueConfig } from './queue-config.ts';

/** `host:port` (the variable's usual form) or a full URL → the client's apiEndpoint. */
export function emulatorEndpoint(host: string): string {
  return /^https?:\/\//.test(host) ? host.replace(/\/+$/, '') : `http://${host}`;
}

export interface StorageClientOptions {
  /** A GCS emulator (`host:port` or URL); production (ambient credentials) when unset. */
  emulatorHost?: string | undefined;
  projectId?: string | undefined;
  retryOptions?: StorageOptions['retryOptions'];
}

/** A Storage client for production (ambient credentials) or for an emulator (no credentials). */
export function createStorage(options: StorageClientOptions | string = {}): Storage {
  const o = typeof options === 'string' ? { emulatorHost: options } : options;
  const common: StorageOptions = {
    ...(o.projectId ? { projectId: o.projectId } : {}),
    ...(o.retryOptions ? { retryOptions: o.retryOptions } : {}),
  };
  if (!o.emulatorHost) return new Storage(common);
  const endpoint = emulatorEndpoint(o.emulatorHost);
  const storage = new Storage({ projectId: 'recon-local', ...common, apiEndpoint: endpoint });
  // The client also reads STORAGE_EMULATOR_HOST itself and uses it verbatim as the base URL of its
  // JSON calls, which breaks on the usual `host:port` form: pin the URL it must use.
  storage.baseUrl = `${endpoint}/storage/v1`;
  return storage;
}

/** Opens the backend a config names. Memory mode is one process's private queue. */
export function openQueue(
  config: QueueConfig,
  options: { clock?: Clock; storage?: Storage } = {},
): WorkqueueBackend {
  const clock = options.clock ?? systemClock;
  if (config.mode === 'memory') return new MemoryBackend({ clock, workqueue: config.workqueue });
  const storage = options.storage ?? createStorage({ emulatorHost: config.emulatorHost });
  return new GcsBackend({ storage, bucket: config.bucket, clock, workqueue: config.workqueue });
}
