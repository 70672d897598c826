/**
 * The dispatch loop's public contract. The loop is shared by the dispatcher service (process =
 * a gRPC call to the reconciler), the SDK's embedded Controller (process = an in-process call),
 * the conformance suite and the test kit.
 */
import type {
  Action,
  Clock,
  DispatchPort,
  EnqueuePort,
  Outcome,
  OwnedKey,
  QueueStats,
  SweepResult,
  WorkqueueOptions,
} from '@recon/core';

export interface ProcessContext {
  /** Aborted on lease loss, on the call deadline, and on shutdown. */
  signal: AbortSignal;
  /** Which attempt this is, 1-based. */
  attempt: number;
  /** maxRetry; 0 = unlimited. */
  maxAttempts: number;
  priority: number;
  /** Unix ms when the loop abandons the call. */
  deadline: number;
  owned: OwnedKey;
}

/** Reconciles one key once. A thrown error counts as `{ kind: 'error' }`. */
export type ProcessFn = (key: string, ctx: ProcessContext) => Promise<Outcome>;

export type WakeReason = 'notification' | 'scheduler' | 'timer' | 'local' | 'poll' | 'slot';

/** Typed hooks for metrics and logs; every one optional, none may throw. */
export interface DispatchEvents {
  onTrigger?(info: { reason: WakeReason; result: 'accepted' | 'shed' }): void;
  onPass?(info: { listed: number; started: number; durationMs: number }): void;
  onAttemptStart?(info: { key: string; attempt: number; priority: number; waitMs: number }): void;
  onOutcome?(info: {
    key: string;
    attempt: number;
    priority: number;
    action: Action;
    durationMs: number;
    firstQueuedAt: number;
    error?: string;
  }): void;
  /** The lease was lost mid-attempt or while applying the outcome; nothing was written. */
  onLeaseLost?(info: { key: string; attempt: number }): void;
  onSweep?(result: SweepResult): void;
  onCounts?(counts: Partial<QueueStats>): void;
  onError?(info: { where: string; error: unknown; key?: string }): void;
}

export interface DispatchLoopOptions {
  queue: DispatchPort & EnqueuePort;
  process: ProcessFn;
  /** Hard limit of attempts in flight in this instance. Default 20. */
  concurrency?: number;
  /** Keys one pass starts. Default = concurrency. */
  batchSize?: number;
  /** Owner recorded on leases. Default `<hostname>-<pid>-<random>`. */
  owner?: string;
  /** Default systemClock. */
  clock?: Clock;
  /** Lease, heartbeat, backoff and maxRetry (see WorkqueueOptions defaults). */
  workqueue?: Partial<WorkqueueOptions>;
  /** At most one pass per period; extra wakes are coalesced. Default 1 s. */
  dispatchPeriodMs?: number;
  /** Orphan sweep at most once per period. Default 30 s. */
  orphanSweepPeriodMs?: number;
  /** Fallback poll when no trigger arrives. Default 10 s. */
  pollIntervalMs?: number;
  /** Deadline of one process call. Default 5 min. */
  callTimeoutMs?: number;
  /**
   * How long a draining stop waits for an aborted process call to return before abandoning it
   * (its key is requeued, uncounted, either way). Default 3 s: fits Cloud Run's 10 s SIGTERM grace.
   */
  drainGraceMs?: number;
  /**
   * The most candidates one pass lists. A pass lists more keys than it has free slots and keeps
   * the surplus as a short-lived backlog that refills slots as attempts end, so throughput is
   * bounded by concurrency and latency, not by the pass period. The listing starts at
   * max(batchSize, concurrency) × 4 and doubles (up to this) whenever the backlog ran dry while
   * more keys were eligible. Default 1000.
   */
  listLimit?: number;
  /** Jitter source. Default Math.random. */
  random?: () => number;
  events?: DispatchEvents;
}

export interface DispatchLoopHandle {
  /** Starts the loop (timers, first pass). */
  start(): void;
  /** Asks for a pass; coalesced by admission. */
  wake(reason: WakeReason): 'accepted' | 'shed';
  /**
   * Stops admitting. With `drain` (default true) in-flight calls are aborted and their keys
   * requeued at once without counting the attempt; leases are released. Resolves when done.
   */
  stop(options?: { drain?: boolean }): Promise<void>;
  /**
   * Resolves when nothing is in flight, the backlog is empty, no pass is running or pending, and
   * the latest pass found nothing eligible (keys waiting for a future notBefore do not count).
   * After stop(), resolves once everything in flight has finished.
   */
  idle(): Promise<void>;
  readonly inFlight: number;
}
