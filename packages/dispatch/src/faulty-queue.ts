import { UnavailableError } from '@recon/core';
import type {
  EligibleListing,
  EnqueueRequest,
  EnqueueResult,
  KeyStateView,
  KeyStatus,
  ListOptions,
  ListPage,
  OwnedKey,
  QueuedKey,
  QueueStats,
  RequeueOptions,
  SweepResult,
  WorkqueueBackend,
} from '@recon/core';

/** Every storage operation a wrapped backend can be told to fail, owned-key writes included. */
export type QueueOperation =
  | 'enqueue'
  | 'getKeyState'
  | 'listEligible'
  | 'start'
  | 'sweepOrphans'
  | 'stats'
  | 'list'
  | 'reenqueueDeadLetter'
  | 'renew'
  | 'complete'
  | 'requeue'
  | 'deadLetter';

/**
 * `true`: throw UnavailableError instead of running the operation (nothing changes).
 * `'after'`: run it, then throw anyway: the write happened but its answer was lost, the case that
 * makes retries interesting.
 */
export type FaultDecision = boolean | 'after';

export interface FaultPlan {
  /** Asked before every operation, with the key it concerns when there is one. */
  failNext?: (op: QueueOperation, key: string | undefined) => FaultDecision;
}

export interface FaultyQueue extends WorkqueueBackend {
  /** Fails the next calls of `op` as `options` says. Adds to earlier plans. */
  fail(op: QueueOperation, options?: FailOptions): void;
  /** Fails every call of `op` until heal(). */
  failAlways(op: QueueOperation): void;
  /** Forgets every scheduled and permanent failure (the `failNext` plan stays). */
  heal(): void;
  /** How many times `op` was called (failed calls included). */
  calls(op: QueueOperation): number;
  /** How many injected failures were thrown. */
  readonly injected: number;
}

export interface FailOptions {
  /** How many calls fail. Default 1. */
  times?: number;
  /** Only calls about this key. Default: any. */
  key?: string;
  /** Run the operation, then throw (a lost answer). Default false. */
  after?: boolean;
  /** What to throw instead of UnavailableError, e.g. `() => new LeaseLostError(key)`. */
  error?: () => unknown;
}

interface Scheduled {
  op: QueueOperation;
  key: string | undefined;
  remaining: number;
  after: boolean;
  error: (() => unknown) | undefined;
}

/**
 * A fault wrapper over any backend: the same ports, with UnavailableError thrown for chosen
 * operations, so component tests inject storage failures without module mocks. Keys it starts are
 * wrapped too, so renew/complete/requeue/deadLetter can fail as well.
 *
 * ```ts
 * const queue = faultyQueue(new MemoryBackend({ clock }));
 * queue.fail('complete', { times: 2 }); // the next two completes throw UnavailableError
 * ```
 */
export function faultyQueue(backend: WorkqueueBackend, plan: FaultPlan = {}): FaultyQueue {
  return new FaultyBackend(backend, plan);
}

class FaultyBackend implements FaultyQueue {
  readonly #inner: WorkqueueBackend;
  readonly #plan: FaultPlan;
  #scheduled: Scheduled[] = [];
  readonly #always = new Set<QueueOperation>();
  readonly #calls = new Map<QueueOperation, number>();
  #injected = 0;

  constructor(inner: WorkqueueBackend, plan: FaultPlan) {
    this.#inner = inner;
    this.#plan = plan;
  }

  get injected(): number {
    return this.#injected;
  }

  fail(op: QueueOperation, options: FailOptions = {}): void {
    this.#scheduled.push({
      op,
      key: options.key,
      remaining: options.times ?? 1,
      after: options.after ?? false,
      error: options.error,
    });
  }

  failAlways(op: QueueOperation): void {
    this.#always.add(op);
  }

  heal(): void {
    this.#scheduled = [];
    this.#always.clear();
  }

  calls(op: QueueOperation): number {
    return this.#calls.get(op) ?? 0;
  }

  /** Runs `run` unless the plan says to fail it (before or after). */
  async gate<T>(op: QueueOperation, key: string | undefined, run: () => Promise<T>): Promise<T> {
    this.#calls.set(op, this.calls(op) + 1);
    const { decision, error } = this.#decide(op, key);
    if (decision === true) throw this.#fault(op, key, error);
    const result = await run();
    if (decision === 'after') throw this.#fault(op, key, error);
    return result;
  }

  #decide(
    op: QueueOperation,
    key: string | undefined,
  ): { decision: FaultDecision; error?: (() => unknown) | undefined } {
    if (this.#always.has(op)) return { decision: true };
    const hit = this.#scheduled.find(
      (s) => s.op === op && s.remaining > 0 && (s.key === undefined || s.key === key),
    );
    if (hit) {
      hit.remaining--;
      this.#scheduled = this.#scheduled.filter((s) => s.remaining > 0);
      return { decision: hit.after ? 'after' : true, error: hit.error };
    }
    return { decision: this.#plan.failNext?.(op, key) ?? false };
  }

  #fault(op: QueueOperation, key: string | undefined, error?: () => unknown): unknown {
    this.#injected++;
    if (error) return error();
    const about = key === undefined ? '' : ` (key ${JSON.stringify(key)})`;
    return new UnavailableError(`injected fault: ${op}${about}`);
  }

  enqueue(request: EnqueueRequest, signal?: AbortSignal): Promise<EnqueueResult> {
    return this.gate('enqueue', request.key, () => this.#inner.enqueue(request, signal));
  }

  getKeyState(key: string, signal?: AbortSignal): Promise<KeyStateView | undefined> {
    return this.gate('getKeyState', key, () => this.#inner.getKeyState(key, signal));
  }

  listEligible(limit: number, signal?: AbortSignal): Promise<EligibleListing> {
    return this.gate('listEligible', undefined, () => this.#inner.listEligible(limit, signal));
  }

  async start(key: QueuedKey, owner: string, signal?: AbortSignal): Promise<OwnedKey | undefined> {
    const owned = await this.gate('start', key.key, () => this.#inner.start(key, owner, signal));
    return owned && new FaultyOwnedKey(owned, this);
  }

  sweepOrphans(signal?: AbortSignal): Promise<SweepResult> {
    return this.gate('sweepOrphans', undefined, () => this.#inner.sweepOrphans(signal));
  }

  stats(signal?: AbortSignal): Promise<QueueStats> {
    return this.gate('stats', undefined, () => this.#inner.stats(signal));
  }

  list(status: KeyStatus, options?: ListOptions, signal?: AbortSignal): Promise<ListPage> {
    return this.gate('list', options?.prefix, () => this.#inner.list(status, options, signal));
  }

  reenqueueDeadLetter(key: string, signal?: AbortSignal): Promise<boolean> {
    return this.gate('reenqueueDeadLetter', key, () =>
      this.#inner.reenqueueDeadLetter(key, signal),
    );
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** An owned key whose writes go through the same fault plan. */
class FaultyOwnedKey implements OwnedKey {
  readonly #inner: OwnedKey;
  readonly #faults: FaultyBackend;

  constructor(inner: OwnedKey, faults: FaultyBackend) {
    this.#inner = inner;
    this.#faults = faults;
  }

  get key(): string {
    return this.#inner.key;
  }
  get priority(): number {
    return this.#inner.priority;
  }
  get attempts(): number {
    return this.#inner.attempts;
  }
  get queuedAt(): number {
    return this.#inner.queuedAt;
  }
  get firstQueuedAt(): number {
    return this.#inner.firstQueuedAt;
  }
  get owner(): string {
    return this.#inner.owner;
  }
  get leaseExpiresAt(): number {
    return this.#inner.leaseExpiresAt;
  }
  get signal(): AbortSignal {
    return this.#inner.signal;
  }

  renew(signal?: AbortSignal): Promise<void> {
    return this.#faults.gate('renew', this.key, () => this.#inner.renew(signal));
  }

  complete(signal?: AbortSignal): Promise<void> {
    return this.#faults.gate('complete', this.key, () => this.#inner.complete(signal));
  }

  requeue(options: RequeueOptions, signal?: AbortSignal): Promise<void> {
    return this.#faults.gate('requeue', this.key, () => this.#inner.requeue(options, signal));
  }

  deadLetter(lastError: string, signal?: AbortSignal): Promise<void> {
    return this.#faults.gate('deadLetter', this.key, () =>
      this.#inner.deadLetter(lastError, signal),
    );
  }
}
