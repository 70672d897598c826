// Shared test plumbing: an emulator per suite and a real client pointed at it.

import type { StorageOptions } from '@google-cloud/storage';
import { Storage } from '@google-cloud/storage';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GcsEmulator } from '../src/index.ts';

/** The real client, no credentials: a custom apiEndpoint skips auth by default. */
export function clientFor(emulator: GcsEmulator | string, extra: StorageOptions = {}): Storage {
  const apiEndpoint = typeof emulator === 'string' ? emulator : emulator.url;
  return new Storage({ apiEndpoint, projectId: 'test', ...extra });
}

/** A client that fails fast instead of backing off for seconds on injected faults. */
export function noRetryClient(emulator: GcsEmulator): Storage {
  return clientFor(emulator, { retryOptions: { autoRetry: false } });
}

/** `err.code` of a client ApiError (HTTP status). */
export function statusOf(err: unknown): unknown {
  return (err as { code?: unknown }).code;
}

export async function expectStatus(p: Promise<unknown>, status: number): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  if (caught === undefined) throw new Error(`expected HTTP ${status}, got success`);
  if (statusOf(caught) !== status)
    throw new Error(`expected HTTP ${status}, got ${String(statusOf(caught))}: ${String(caught)}`);
}

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'gcs-emulator-test-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
