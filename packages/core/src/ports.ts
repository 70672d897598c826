/**
 * The queue port, split by role: what the receiver needs (enqueue, key state) is not what the
 * dispatcher needs (list eligible, start, own, sweep), nor what operators need (inspect, move
 * dead letters back). Every backend implements all of them; each caller depends on its role.
 */
import type { AttemptsOnRequeue } from './outcome.ts';
import type { KeyStateView, KeyStatus, QueuedState } from './key-state.ts';

export interface EnqueueRequest {
  key: string;
  /** Higher first; signed 32-bit. Default 0. */
  priority?: number;
  /** Not eligible for this long (ms). Default 0. */
  delayMs?: number;
  /** The delay is a floor a plain enqueue cannot undercut. Default false. */
  floor?: boolean;
}

/** `added`: a new queued copy (also a twin of an in-progress key); `deduped`: merged. */
export type EnqueueResult = 'added' | 'deduped';

/** Receiver role. */
export interface EnqueuePort {
  /** Validates, then creates or merges the queued copy. InvalidArgumentError on bad input. */
  enqueue(request: EnqueueRequest, signal?: AbortSignal): Promise<EnqueueResult>;
  /** IN_PROGRESS if owned, else QUEUED, else DEAD_LETTER; undefined when the key is unknown. */
  getKeyState(key: string, signal?: AbortSignal): Promise<KeyStateView | undefined>;
}

/** A queued copy seen by a listing, ready to be started. */
export interface QueuedKey extends QueuedState {
  key: string;
  /** Backend version of the copy that was listed (e.g. GCS generation/metageneration). */
  readonly version: string;
}

export interface EligibleListing {
  /** Due keys without a live in-progress copy, in dispatch order, at most `limit`. */
  keys: QueuedKey[];
  /** The earliest future notBefore among queued keys, to arm a wake-up timer. */
  nextNotBefore?: number;
  /** Gauges computed from this listing, where the backend had them for free. */
  counts?: Pick<QueueStats, 'queued' | 'waiting' | 'maxAttempts'>;
}

export interface RequeueOptions {
  /** Not eligible for this long (ms); 0 = at once. */
  delayMs: number;
  floor?: boolean;
  /** keep (failure), reset (requeue-after), uncount (drain: this attempt does not count). */
  attempts: AttemptsOnRequeue;
  lastError?: string;
}

/**
 * A key this dispatcher owns under a lease. Every write is fenced to the in-progress copy this
 * owner created: once the lease is lost, each call throws LeaseLostError and changes nothing.
 */
export interface OwnedKey {
  readonly key: string;
  readonly priority: number;
  /** Attempts including this one (1-based). */
  readonly attempts: number;
  readonly queuedAt: number;
  readonly firstQueuedAt: number;
  readonly owner: string;
  /** Current lease expiry (moves on renew). */
  readonly leaseExpiresAt: number;
  /** Aborted when ownership ends: completed, requeued, dead-lettered, or lost. */
  readonly signal: AbortSignal;
  /** Extends the lease by the backend's lease duration. LeaseLostError when no longer owned. */
  renew(signal?: AbortSignal): Promise<void>;
  /** Removes the in-progress copy and any dead-letter copy of the key. */
  complete(signal?: AbortSignal): Promise<void>;
  /** Gives the key back to the queue (merging into a queued twin if there is one). */
  requeue(options: RequeueOptions, signal?: AbortSignal): Promise<void>;
  /** Moves the key to the dead-letter queue with its priority, attempts and first-queued time. */
  deadLetter(lastError: string, signal?: AbortSignal): Promise<void>;
}

export interface SweepResult {
  /** Keys whose expired leases were requeued (attempts kept). */
  requeued: string[];
  /** Age (ms) of every live lease seen, for the lease-age histogram. */
  leaseAgesMs: number[];
  inProgress: number;
}

/** Dispatcher role. */
export interface DispatchPort {
  listEligible(limit: number, signal?: AbortSignal): Promise<EligibleListing>;
  /**
   * Moves a queued copy to in progress, atomically against every other dispatcher. Resolves
   * undefined when another dispatcher won, the copy changed, or the key is already in progress.
   */
  start(key: QueuedKey, owner: string, signal?: AbortSignal): Promise<OwnedKey | undefined>;
  /** Requeues in-progress copies whose lease expired (a killed owner's keys). */
  sweepOrphans(signal?: AbortSignal): Promise<SweepResult>;
  /**
   * Something outside this instance may have queued keys (a bucket notification, a local
   * receiver): a backend that serves listings from a snapshot must re-read before trusting it.
   */
  invalidateListing?(): void;
}

export interface QueueStats {
  /** Queued copies, due or not. */
  queued: number;
  /** Queued copies whose notBefore is still in the future. */
  waiting: number;
  inProgress: number;
  deadLettered: number;
  /** queuedAt of the oldest due queued copy. */
  oldestQueuedAt?: number;
  /** The largest attempts count among queued and in-progress copies. */
  maxAttempts: number;
  /** Age (ms) of each live lease. */
  leaseAgesMs: number[];
}

export interface ListOptions {
  prefix?: string;
  /** Default 100. */
  limit?: number;
  pageToken?: string;
}

export interface ListPage {
  entries: KeyStateView[];
  nextPageToken?: string;
}

/** Operators' role: the CLI, the UI, metrics. */
export interface InspectPort {
  stats(signal?: AbortSignal): Promise<QueueStats>;
  /** One state's copies in key order, by prefix, paginated. */
  list(status: KeyStatus, options?: ListOptions, signal?: AbortSignal): Promise<ListPage>;
}

/** Re-enqueue role. */
export interface DeadLetterPort {
  /**
   * Puts a dead-lettered key back in the queue with attempts reset and its original priority,
   * then removes the dead-letter copy. Resolves false when the key has no dead-letter copy.
   */
  reenqueueDeadLetter(key: string, signal?: AbortSignal): Promise<boolean>;
}

/** A complete backend: every role, plus a way to let go of resources. */
export interface WorkqueueBackend extends EnqueuePort, DispatchPort, InspectPort, DeadLetterPort {
  close(): Promise<void>;
}
