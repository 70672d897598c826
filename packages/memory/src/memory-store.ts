import {
  InvalidArgumentError,
  KeyStatus,
  LeaseLostError,
  isDue,
  mergeQueued,
  newQueuedState,
  truncateError,
  validateDelayMs,
} from '@recon/core';
import type {
  EligibleListing,
  EnqueueResult,
  IncomingState,
  KeyStateView,
  ListOptions,
  ListPage,
  QueueStats,
  QueuedKey,
  RequeueOptions,
  SweepResult,
  ValidEnqueue,
} from '@recon/core';
import { AttemptsHistogram } from './attempts-histogram.ts';
import { attemptEnded, endOwnership } from './in-progress.ts';
import type { InProgressEntry } from './in-progress.ts';
import { pageOfKeys } from './list-page.ts';
import { QueueIndex } from './queue-index.ts';
import type { QueuedEntry } from './queue-index.ts';
import { SortedKeys } from './sorted-keys.ts';
import { deadLetterView, inProgressView, queuedView, toQueuedKey } from './views.ts';
import type { DeadLetterEntry } from './views.ts';

/**
 * Every copy of every key and the rules that move them, synchronously: each method runs to the
 * end without yielding, so it is atomic with respect to every other caller in the process. Time
 * is passed in; the backend reads its clock once per operation.
 */
export class MemoryStore {
  readonly #queued = new QueueIndex();
  readonly #inProgress = new Map<string, InProgressEntry>();
  readonly #inProgressKeys = new SortedKeys();
  readonly #deadLetters = new Map<string, DeadLetterEntry>();
  readonly #deadLetterKeys = new SortedKeys();
  /** Attempts of queued and in-progress copies, for the maxAttempts gauge. */
  readonly #attempts = new AttemptsHistogram();
  readonly #leaseMs: number;

  constructor(options: { leaseMs: number }) {
    this.#leaseMs = options.leaseMs;
  }

  enqueue(request: ValidEnqueue, now: number): EnqueueResult {
    const notBefore = request.delayMs > 0 ? now + request.delayMs : 0;
    return this.#putQueued(
      request.key,
      { priority: request.priority, notBefore, floor: request.floor && notBefore > 0 },
      now,
    );
  }

  listEligible(limit: number, now: number): EligibleListing {
    const keys = this.#queued.first(limit, now).map(toQueuedKey);
    const listing: EligibleListing = {
      keys,
      counts: {
        queued: this.#queued.size,
        waiting: this.#queued.waitingCount(now),
        maxAttempts: this.#attempts.max,
      },
    };
    const nextNotBefore = this.#queued.nextNotBefore(now);
    if (nextNotBefore !== undefined) listing.nextNotBefore = nextNotBefore;
    return listing;
  }

  /** Moves the listed copy to in progress, or undefined when the listing is stale or the key is owned. */
  start(listed: QueuedKey, owner: string, now: number): InProgressEntry | undefined {
    const entry = this.#queued.get(listed.key);
    if (!entry || entry.version !== listed.version) return undefined;
    if (this.#inProgress.has(entry.key) || !isDue(entry, now)) return undefined;
    this.#queued.remove(entry);
    this.#attempts.remove(entry.attempts);
    const started: InProgressEntry = {
      key: entry.key,
      priority: entry.priority,
      attempts: entry.attempts + 1,
      queuedAt: entry.queuedAt,
      firstQueuedAt: entry.firstQueuedAt,
      lastError: entry.lastError,
      lastAttemptedAt: entry.lastAttemptedAt,
      owner,
      startedAt: now,
      leaseExpiresAt: now + this.#leaseMs,
      endReason: undefined,
      controller: undefined,
      twin: undefined,
    };
    this.#inProgress.set(entry.key, started);
    this.#inProgressKeys.add(entry.key);
    this.#attempts.add(started.attempts);
    return started;
  }

  renew(owned: InProgressEntry, now: number): void {
    this.#fence(owned);
    owned.leaseExpiresAt = now + this.#leaseMs;
  }

  complete(owned: InProgressEntry, now: number): void {
    this.#fence(owned);
    this.#endAttempt(owned, now);
    if (this.#deadLetters.delete(owned.key)) this.#deadLetterKeys.delete(owned.key);
    endOwnership(owned, attemptEnded);
  }

  requeue(owned: InProgressEntry, options: RequeueOptions, now: number): void {
    const delayMs = validateDelayMs(options.delayMs, 'delayMs');
    this.#fence(owned);
    const attempts =
      options.attempts === 'reset'
        ? 0
        : options.attempts === 'uncount'
          ? Math.max(0, owned.attempts - 1)
          : owned.attempts;
    const notBefore = delayMs > 0 ? now + delayMs : 0;
    this.#endAttempt(owned, now);
    this.#putQueued(
      owned.key,
      {
        priority: owned.priority,
        notBefore,
        floor: options.floor === true && notBefore > 0,
        attempts,
        firstQueuedAt: owned.firstQueuedAt,
        ...(options.lastError !== undefined && { lastError: truncateError(options.lastError) }),
        lastAttemptedAt: now,
      },
      now,
    );
    endOwnership(owned, attemptEnded);
  }

  deadLetter(owned: InProgressEntry, lastError: string, now: number): void {
    this.#fence(owned);
    this.#endAttempt(owned, now);
    // A key dead-lettered again (re-enqueued by a plain enqueue, failed again) replaces its copy.
    if (!this.#deadLetters.has(owned.key)) this.#deadLetterKeys.add(owned.key);
    this.#deadLetters.set(owned.key, {
      key: owned.key,
      priority: owned.priority,
      attempts: owned.attempts,
      firstQueuedAt: owned.firstQueuedAt,
      failedAt: now,
      lastError: truncateError(lastError),
    });
    endOwnership(owned, attemptEnded);
  }

  /** Requeues every in-progress copy whose lease has run out; their owners' signals abort. */
  sweepOrphans(now: number): SweepResult {
    const expired: InProgressEntry[] = [];
    const leaseAgesMs: number[] = [];
    for (const owned of this.#inProgress.values()) {
      if (owned.leaseExpiresAt <= now) expired.push(owned);
      else leaseAgesMs.push(now - owned.startedAt);
    }
    for (const owned of expired) {
      this.#endAttempt(owned, now);
      this.#putQueued(
        owned.key,
        {
          priority: owned.priority,
          notBefore: 0,
          floor: false,
          attempts: owned.attempts,
          firstQueuedAt: owned.firstQueuedAt,
          lastError: truncateError(`lease held by ${owned.owner} expired`),
          lastAttemptedAt: now,
        },
        now,
      );
    }
    for (const owned of expired) endOwnership(owned, new LeaseLostError(owned.key));
    return {
      requeued: expired.map((owned) => owned.key),
      leaseAgesMs,
      inProgress: this.#inProgress.size,
    };
  }

  reenqueueDeadLetter(key: string, now: number): boolean {
    const dead = this.#deadLetters.get(key);
    if (!dead) return false;
    this.#putQueued(
      key,
      {
        priority: dead.priority,
        notBefore: 0,
        floor: false,
        attempts: 0,
        firstQueuedAt: dead.firstQueuedAt,
      },
      now,
    );
    this.#deadLetters.delete(key);
    this.#deadLetterKeys.delete(key);
    return true;
  }

  stats(now: number): QueueStats {
    let oldestQueuedAt = this.#queued.oldestReadyQueuedAt(now);
    const leaseAgesMs: number[] = [];
    for (const owned of this.#inProgress.values()) {
      leaseAgesMs.push(now - owned.startedAt);
      const twin = owned.twin;
      const dueTwin = twin && isDue(twin, now);
      if (dueTwin && (oldestQueuedAt === undefined || twin.queuedAt < oldestQueuedAt)) {
        oldestQueuedAt = twin.queuedAt;
      }
    }
    const stats: QueueStats = {
      queued: this.#queued.size,
      waiting: this.#queued.waitingCount(now),
      inProgress: this.#inProgress.size,
      deadLettered: this.#deadLetters.size,
      maxAttempts: this.#attempts.max,
      leaseAgesMs,
    };
    if (oldestQueuedAt !== undefined) stats.oldestQueuedAt = oldestQueuedAt;
    return stats;
  }

  /** IN_PROGRESS if owned, else QUEUED, else DEAD_LETTER; undefined when unknown. */
  keyState(key: string): KeyStateView | undefined {
    const owned = this.#inProgress.get(key);
    if (owned) return inProgressView(owned);
    const queued = this.#queued.get(key);
    if (queued) return queuedView(queued);
    const dead = this.#deadLetters.get(key);
    return dead && deadLetterView(dead);
  }

  list(status: KeyStatus, options?: ListOptions): ListPage {
    switch (status) {
      case KeyStatus.QUEUED:
        return this.#page(this.#queued.keys, options, (key) => this.#queued.get(key), queuedView);
      case KeyStatus.IN_PROGRESS:
        return this.#page(
          this.#inProgressKeys,
          options,
          (key) => this.#inProgress.get(key),
          inProgressView,
        );
      case KeyStatus.DEAD_LETTER:
        return this.#page(
          this.#deadLetterKeys,
          options,
          (key) => this.#deadLetters.get(key),
          deadLetterView,
        );
      default:
        throw new InvalidArgumentError(
          'status',
          `must be one of ${Object.values(KeyStatus).join(', ')}`,
        );
    }
  }

  #page<E>(
    keys: SortedKeys,
    options: ListOptions | undefined,
    get: (key: string) => E | undefined,
    view: (entry: E) => KeyStateView,
  ): ListPage {
    const page = pageOfKeys(keys, options);
    const result: ListPage = { entries: page.keys.map((key) => view(get(key) as E)) };
    if (page.nextPageToken !== undefined) result.nextPageToken = page.nextPageToken;
    return result;
  }

  /** Creates the key's queued copy, or merges into the one there (a twin while in progress). */
  #putQueued(key: string, incoming: IncomingState, now: number): EnqueueResult {
    const existing = this.#queued.get(key);
    if (existing) {
      const { state, changed } = mergeQueued(existing, incoming);
      if (changed) {
        this.#attempts.remove(existing.attempts);
        this.#queued.replace(existing, state, now);
        this.#attempts.add(existing.attempts);
      }
      return 'deduped';
    }
    const owned = this.#inProgress.get(key);
    const entry = this.#queued.add(key, newQueuedState(incoming, now), {
      parked: owned !== undefined,
      now,
    });
    if (owned) owned.twin = entry;
    this.#attempts.add(entry.attempts);
    return 'added';
  }

  /** Writes are fenced to the copy this owner created: anything else means the lease was lost. */
  #fence(owned: InProgressEntry): void {
    if (this.#inProgress.get(owned.key) !== owned) throw new LeaseLostError(owned.key);
  }

  /** Removes the in-progress copy; its queued twin, if any, may now be started. */
  #endAttempt(owned: InProgressEntry, now: number): void {
    this.#inProgress.delete(owned.key);
    this.#inProgressKeys.delete(owned.key);
    this.#attempts.remove(owned.attempts);
    // A parked twin cannot be started or removed, so the reference is still the key's copy.
    if (owned.twin) this.#queued.unpark(owned.twin, now);
  }
}
