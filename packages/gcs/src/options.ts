import { randomUUID } from 'node:crypto';
import { ConfigError, resolveWorkqueueOptions, systemClock } from '@recon/core';
import type { Clock, WorkqueueOptions } from '@recon/core';
import type { Storage } from '@google-cloud/storage';
import type { ListingOptions } from './listing.ts';
import { defaultListingOptions } from './listing.ts';
import type { RetryPolicy } from './retry.ts';
import { defaultRetryPolicy } from './retry.ts';

/** Options of a GCS backend. Every field says its default. */
export interface GcsBackendOptions {
  /** The storage client. Default `new Storage()` (Application Default Credentials). */
  storage?: Storage;
  /** The queue's bucket (one bucket per queue). Required. */
  bucket: string;
  /** The queue clock: leases, notBefore, failure times. Default systemClock. */
  clock?: Clock;
  /** Queue semantics; the backend reads `leaseMs`. Default: core's defaultWorkqueueOptions. */
  workqueue?: Partial<WorkqueueOptions>;
  /** Retries of transient storage failures. Default 6 tries, 100 ms doubling to 5 s, jittered. */
  retry?: Partial<RetryPolicy>;
  /** When the `queued/` snapshot is listed again. Default: see defaultListingOptions. */
  listing?: Partial<ListingOptions>;
  /** Jitter of retry backoff. Default Math.random. */
  random?: () => number;
  /**
   * Real time for I/O pacing (retry backoff, snapshot age) — never the queue's semantics, so a
   * fake queue clock does not stall storage retries. Default systemClock.
   */
  ioClock?: Clock;
  /** Makes attempt tokens (must be unique per start). Default crypto.randomUUID. */
  newToken?: () => string;
}

export interface ResolvedGcsOptions {
  bucket: string;
  clock: Clock;
  workqueue: WorkqueueOptions;
  retry: RetryPolicy;
  listing: ListingOptions;
  random: () => number;
  ioClock: Clock;
  newToken: () => string;
}

/** Fills defaults and checks the result, listing every problem (ConfigError). */
export function resolveGcsOptions(options: GcsBackendOptions): ResolvedGcsOptions {
  const problems: string[] = [];
  let workqueue: WorkqueueOptions;
  try {
    workqueue = resolveWorkqueueOptions(options.workqueue);
  } catch (err) {
    if (!ConfigError.is(err)) throw err;
    problems.push(...err.problems.map((p) => `workqueue.${p}`));
    workqueue = resolveWorkqueueOptions();
  }
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...defined(options.retry) };
  const listing: ListingOptions = { ...defaultListingOptions, ...defined(options.listing) };
  if (typeof options.bucket !== 'string' || options.bucket === '')
    problems.push('bucket is required');
  if (!(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1)) {
    problems.push(`retry.maxAttempts must be an integer >= 1, got ${retry.maxAttempts}`);
  }
  for (const name of ['baseDelayMs', 'maxDelayMs'] as const) {
    if (!(Number.isFinite(retry[name]) && retry[name] >= 0))
      problems.push(`retry.${name} must be >= 0, got ${retry[name]}`);
  }
  if (!(Number.isInteger(listing.pageSize) && listing.pageSize >= 1 && listing.pageSize <= 1000)) {
    problems.push(`listing.pageSize must be an integer in 1..1000, got ${listing.pageSize}`);
  }
  if (!(Number.isInteger(listing.snapshotKeys) && listing.snapshotKeys >= 1)) {
    problems.push(`listing.snapshotKeys must be an integer >= 1, got ${listing.snapshotKeys}`);
  }
  for (const name of ['minRefreshMs', 'refreshMsPerPage'] as const) {
    if (!(Number.isFinite(listing[name]) && listing[name] >= 0))
      problems.push(`listing.${name} must be >= 0, got ${listing[name]}`);
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    bucket: options.bucket,
    clock: options.clock ?? systemClock,
    workqueue,
    retry,
    listing,
    random: options.random ?? Math.random,
    ioClock: options.ioClock ?? systemClock,
    newToken: options.newToken ?? randomUUID,
  };
}

function defined<T extends object>(partial: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(partial ?? {}))
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
