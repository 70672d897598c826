/**
 * The GCS emulator fixture: one emulator per test file, the real @google-cloud/storage client,
 * a fresh bucket per test, GcsBackends that are closed after the file, and a raw view of the
 * bucket (every object with its metadata) to check the layout a Go peer would read.
 */
import { randomUUID } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { startGcsEmulator, type GcsEmulator, type NotifyOptions } from '@recon/gcs-emulator';
import { GcsBackend, type GcsBackendOptions } from '@recon/workqueue-gcs';
import type { WorkqueueOptions } from '@recon/core';
import { afterAll, beforeAll } from 'vitest';

/**
 * The client's own retries stay on (the backend must live with them) but capped at 1 s instead
 * of 64 s: 1 s is the floor async-retry accepts.
 */
export const clientRetries = { maxRetryDelay: 1, retryDelayMultiplier: 1.5, totalTimeout: 60 };
/** Only the backend's own (fast) retries: for tests that inject many faults. */
export const noClientRetries = { autoRetry: false };
export const fastBackendRetries = { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 100 };

/** Lists on every pass (as Go does), so other instances' writes show up with no delay. */
export const eagerListing = { minRefreshMs: 0, refreshMsPerPage: 0 };

/** Short queue timings for tests: nothing waits out production backoffs or leases. */
export const fastWorkqueue: Partial<WorkqueueOptions> = {
  leaseMs: 10_000,
  heartbeatMs: 3_000,
  backoffBaseMs: 100,
  backoffCapMs: 400,
  maxRetry: 3,
};

export interface BucketObject {
  name: string;
  metadata: Record<string, string>;
  generation: string;
  timeCreated: string;
}

export interface GcsFixture {
  readonly emulator: GcsEmulator;
  readonly url: string;
  /** `127.0.0.1:PORT`, the usual form of STORAGE_EMULATOR_HOST. */
  readonly host: string;
  /** A new storage client on the emulator. */
  storage(retryOptions?: object): Storage;
  /** A fresh, valid bucket name. */
  bucket(): string;
  /** A GcsBackend on `bucket` (real clock, fast retries); closed after the file. */
  backend(bucket: string, options?: Partial<GcsBackendOptions>): GcsBackend;
  /** Every object of the bucket with its metadata, through the raw client. */
  objects(bucket: string, prefix?: string): Promise<BucketObject[]>;
  /** One object's metadata, or undefined when it does not exist. */
  object(bucket: string, name: string): Promise<BucketObject | undefined>;
}

/** `notify` is read when the emulator starts (so it may name a server started in an earlier beforeAll). */
export function useGcs(options: { notify?: () => NotifyOptions } = {}): GcsFixture {
  let emulator: GcsEmulator | undefined;
  let raw: Storage | undefined;
  const backends: GcsBackend[] = [];
  beforeAll(async () => {
    const notify = options.notify?.();
    emulator = await startGcsEmulator({ port: 0, ...(notify ? { notify } : {}) });
    raw = new Storage({
      apiEndpoint: emulator.url,
      projectId: 'test',
      retryOptions: clientRetries,
    });
  });
  afterAll(async () => {
    for (const b of backends) await b.close();
    await emulator?.close();
  });
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the GCS fixture is only usable inside tests');
    return v;
  };
  const toObject = (f: { name: string; metadata: Record<string, unknown> }): BucketObject => {
    const meta = (f.metadata['metadata'] ?? {}) as Record<string, unknown>;
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(meta))
      if (v !== null && v !== undefined) metadata[k] = String(v as string);
    return {
      name: f.name,
      metadata,
      generation: String(f.metadata['generation'] as string),
      timeCreated: String(f.metadata['timeCreated'] as string),
    };
  };
  const fixture: GcsFixture = {
    get emulator() {
      return need(emulator);
    },
    get url() {
      return need(emulator).url;
    },
    get host() {
      return `127.0.0.1:${need(emulator).port}`;
    },
    storage: (retryOptions = clientRetries) =>
      new Storage({ apiEndpoint: need(emulator).url, projectId: 'test', retryOptions }),
    bucket: () => `recon-test-${randomUUID().slice(0, 13)}`,
    backend(bucket, backendOptions = {}) {
      const b = new GcsBackend({
        storage: fixture.storage(),
        bucket,
        workqueue: fastWorkqueue,
        retry: fastBackendRetries,
        ...backendOptions,
      });
      backends.push(b);
      return b;
    },
    async objects(bucket, prefix) {
      const [files] = await need(raw)
        .bucket(bucket)
        .getFiles(prefix ? { prefix } : {});
      return files.map((f) =>
        toObject(f as unknown as { name: string; metadata: Record<string, unknown> }),
      );
    },
    async object(bucket, name) {
      return (await fixture.objects(bucket, name)).find((o) => o.name === name);
    },
  };
  return fixture;
}
