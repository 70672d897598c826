/**
 * One GCS emulator per test file, the real @google-cloud/storage client, and dead letters made
 * the way a dispatcher makes them (start the key, fail it, dead-letter it) through GcsBackend.
 */
import { randomUUID } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { startGcsEmulator, type GcsEmulator } from '@recon/gcs-emulator';
import { GcsBackend, type GcsBackendOptions } from '@recon/workqueue-gcs';
import { afterAll, beforeAll } from 'vitest';

export const noClientRetries = { autoRetry: false };
const clientRetries = { maxRetryDelay: 1, retryDelayMultiplier: 1.5, totalTimeout: 60 };

export interface Fixture {
  readonly emulator: GcsEmulator;
  /** `127.0.0.1:PORT`, the usual STORAGE_EMULATOR_HOST form. */
  readonly host: string;
  bucket(): string;
  storage(retryOptions?: object): Storage;
  backend(bucket: string, options?: Partial<GcsBackendOptions>): GcsBackend;
  /** Object names of the bucket, sorted. */
  names(bucket: string): Promise<string[]>;
  metadata(bucket: string, name: string): Promise<Record<string, string> | undefined>;
  /** Puts `key` in the dead-letter queue after one failed attempt. */
  deadLetter(bucket: string, key: string, priority?: number): Promise<void>;
}

export function useGcs(): Fixture {
  let emulator: GcsEmulator | undefined;
  const backends: GcsBackend[] = [];
  beforeAll(async () => {
    emulator = await startGcsEmulator({ port: 0 });
  });
  afterAll(async () => {
    for (const b of backends) await b.close();
    await emulator?.close();
  });
  const need = (): GcsEmulator => {
    if (!emulator) throw new Error('the GCS fixture is only usable inside tests');
    return emulator;
  };
  const fx: Fixture = {
    get emulator() {
      return need();
    },
    get host() {
      return `127.0.0.1:${need().port}`;
    },
    bucket: () => `reenqueue-${randomUUID().slice(0, 13)}`,
    storage: (retryOptions = clientRetries) =>
      new Storage({ apiEndpoint: need().url, projectId: 'test', retryOptions }),
    backend(bucket, options = {}) {
      const b = new GcsBackend({
        storage: fx.storage(),
        bucket,
        retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 50 },
        listing: { minRefreshMs: 0, refreshMsPerPage: 0 },
        ...options,
      });
      backends.push(b);
      return b;
    },
    async names(bucket) {
      const [files] = await fx.storage().bucket(bucket).getFiles();
      return files.map((f) => f.name).sort();
    },
    async metadata(bucket, name) {
      const [files] = await fx.storage().bucket(bucket).getFiles({ prefix: name });
      const file = files.find((f) => f.name === name);
      if (!file) return undefined;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(file.metadata.metadata ?? {}))
        if (v != null) out[k] = String(v);
      return out;
    },
    async deadLetter(bucket, key, priority = 0) {
      const queue = fx.backend(bucket);
      await queue.enqueue({ key, priority });
      const listed = (await queue.listEligible(1000)).keys.find((k) => k.key === key);
      if (!listed) throw new Error(`${key} is not eligible`);
      const owned = await queue.start(listed, 'test-dispatcher');
      if (!owned) throw new Error(`start(${key}) lost`);
      await owned.deadLetter(`gave up on ${key}`);
    },
  };
  return fx;
}
