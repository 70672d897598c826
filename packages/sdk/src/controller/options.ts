import type { Clock, WorkqueueBackend } from '@recon/core';
import type { Logger } from '../logger.ts';
import type { ReconcileFn, Reconciler } from '../reconciler.ts';
import type { ResourceStore } from '../resources/resource-store.ts';
import type { LeaderLease } from '../leader/leader-lease.ts';
import type { RetryPolicy } from './retry-policy.ts';

export interface SuccessInfo {
  key: string;
  attempt: number;
  /** Set when the reconcile asked to run again after this long (polling). */
  requeueAfterMs?: number;
  /** Follow-up and dependent keys enqueued before completion. */
  followUps: string[];
}

export interface ErrorInfo {
  key: string;
  attempt: number;
  /** What the reconciler threw (or the error message when it reported one). */
  error: unknown;
  message: string;
  /** A non-retriable error: the key was dropped. */
  permanent: boolean;
  /** The key was requeued with backoff (false when dropped or dead-lettered). */
  willRetry: boolean;
  retryInMs?: number;
  source: string;
}

export interface DeadLetterInfo {
  key: string;
  attempt: number;
  message: string;
  source: string;
}

export interface AttemptStartInfo {
  key: string;
  attempt: number;
}

/**
 * Outcome hooks: called after the queue write for the attempt succeeded (so they report only
 * what is stored). `onAttemptStart` runs as an attempt begins: everything enqueued before it is
 * covered by that attempt's outcome. A hook that throws is logged and ignored.
 */
export interface ControllerHooks {
  onAttemptStart?(info: AttemptStartInfo): void;
  onSuccess?(info: SuccessInfo): void;
  onError?(info: ErrorInfo): void;
  onDeadLetter?(info: DeadLetterInfo): void;
}

export interface ControllerOptions extends ControllerHooks {
  /** The reconciler for every key (or for keys whose kind has no entry in `reconcilers`). */
  reconciler?: Reconciler | ReconcileFn;
  /** Reconcilers per resource kind: a key `kind/uid` goes to `reconcilers[kind]`. */
  reconcilers?: Record<string, Reconciler | ReconcileFn>;
  /** Default: a new MemoryBackend on `clock`. The controller closes only a queue it created. */
  queue?: WorkqueueBackend;
  /** Reconciles in flight at once. Default 10. */
  concurrency?: number;
  /** Retry policy for keys enqueued without a source (or with an unknown one). */
  retry?: Partial<RetryPolicy>;
  /** Retry policies per source name (`enqueue(key, { source })`), over `retry`. */
  sources?: Record<string, Partial<RetryPolicy>>;
  /** Default systemClock. */
  clock?: Clock;
  /** Default: JSON lines on stdout. */
  logger?: Logger;
  /** Jitter source. Default Math.random. */
  random?: () => number;
  /** Skip an enqueue of a key that succeeded less than this long ago. Default 0 (off). */
  recentlyDoneMs?: number;
  /** Global token bucket: at most `perSecond` reconciles per second, bursts of `burst`. Default off. */
  rateLimit?: { perSecond: number; burst: number };
  /** Minimum interval per named action, for `ctx.limiter.wait(name)`. Default none. */
  minIntervalMs?: Record<string, number>;
  /** Most keys queued at once; a new key beyond it throws BackPressureError. Default unbounded. */
  maxQueued?: number;
  /** Only the leader reconciles. Checked every `leaderCheckMs`. Default: always leader. */
  isLeader?: () => boolean | Promise<boolean>;
  /** A lease (e.g. GcsLeaderLease) deciding leadership, with a term per acquisition. */
  leaderLease?: LeaderLease;
  /** Default 5000. */
  leaderCheckMs?: number;
  /** Resource store: spec changes and deletes enqueue `kind/uid`. */
  resources?: ResourceStore;
  /** Abandon (and retry) a reconcile after this long. Default 5 min. */
  callTimeoutMs?: number;
  /**
   * At most one dispatch pass per period. Default 20 ms for the default memory queue (listing
   * is free), the dispatch loop's 1 s for any other queue.
   */
  dispatchPeriodMs?: number;
  /** Owner name on leases. Default `<hostname>-<pid>-<random>`. */
  owner?: string;
}
