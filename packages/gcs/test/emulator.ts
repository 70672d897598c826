/**
 * Test fixtures on the real parts: one GCS emulator per test file, the real @google-cloud/storage
 * client, a fresh bucket per backend. Client and backend retries are made fast so fault tests do
 * not wait out production backoffs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { Storage } from '@google-cloud/storage';
// Tests run on the real emulator (a type:lib); src/ never imports it, so the backend stays
// core-only (the lint config exempts test files from module boundaries).
import { startGcsEmulator } from '@recon/gcs-emulator';
import type { GcsEmulator, OperationCounters } from '@recon/gcs-emulator';

export type { OperationCounters };
import { FakeClock } from '@recon/core';
import type { Clock, WorkqueueOptions } from '@recon/core';
import { GcsBackend } from '../src/index.ts';
import type { GcsBackendOptions } from '../src/index.ts';

/**
 * The client's own retries of conditional requests, kept on (the backend must be safe with them)
 * but capped at 1 s instead of 64 s. 1 s is the floor: `save()` retries through async-retry, whose
 * minimum timeout is 1 s and which refuses a smaller maximum.
 */
export const clientRetries = { maxRetryDelay: 1, retryDelayMultiplier: 1.5, totalTimeout: 60 };

/** No client retries: only the backend's own, fast ones (tests that inject many faults). */
export const noClientRetries = { autoRetry: false };

export const fastBackendRetries = { maxAttempts: 10, baseDelayMs: 2, maxDelayMs: 40 };

export const testWorkqueue: Partial<WorkqueueOptions> = { leaseMs: 60_000, heartbeatMs: 20_000 };

export function storageFor(url: string, retryOptions: object = clientRetries): Storage {
  return new Storage({ apiEndpoint: url, projectId: 'test', retryOptions });
}

export function freshBucket(): string {
  return `test-${randomUUID()}`;
}

export interface EmulatorFixture {
  readonly emulator: GcsEmulator;
  readonly url: string;
  readonly storage: Storage;
  /** A backend on `bucket` (default: a fresh one) with a fake clock unless given. */
  backend(options?: Partial<GcsBackendOptions> & { clock?: Clock }): GcsBackend;
}

/** Starts one emulator for the file; backends made through it are closed after the file. */
export function useEmulator(): EmulatorFixture {
  let emulator: GcsEmulator | undefined;
  let storage: Storage | undefined;
  const backends: GcsBackend[] = [];
  beforeAll(async () => {
    emulator = await startGcsEmulator({ port: 0, seed: 7 });
    storage = storageFor(emulator.url);
  });
  afterAll(async () => {
    for (const b of backends) await b.close();
    await emulator?.close();
  });
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the emulator fixture is only usable inside tests');
    return v;
  };
  return {
    get emulator() {
      return need(emulator);
    },
    get url() {
      return need(emulator).url;
    },
    get storage() {
      return need(storage);
    },
    backend(options = {}) {
      const b = new GcsBackend({
        storage: need(storage),
        bucket: options.bucket ?? freshBucket(),
        clock: options.clock ?? new FakeClock(),
        workqueue: testWorkqueue,
        retry: fastBackendRetries,
        ...options,
      });
      backends.push(b);
      return b;
    },
  };
}

/** Lists and starts `key`; throws when it is not eligible or the start loses. */
export async function startListed(backend: GcsBackend, key: string, owner = 'owner-a') {
  const listed = (await backend.listEligible(1000)).keys.find((k) => k.key === key);
  if (!listed) throw new Error(`${key} is not eligible`);
  const owned = await backend.start(listed, owner);
  if (!owned) throw new Error(`start(${key}) lost`);
  return owned;
}
