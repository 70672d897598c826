/**
 * Runtime 2: the embedded controller. The same reconciler as `serve()`, run in-process by the
 * shared dispatch loop over any queue backend (memory by default), with the queue's semantics
 * intact: an add while a key is processing gives exactly one follow-up run, a key never runs
 * twice at once, a failing key backs off and ends in the dead-letter queue.
 *
 * Level-based: event sources (the CloudEvents bus, resyncs, resource changes, dependents) only
 * ever enqueue KEYS; the reconciler reads the current state for a key and converges it.
 */
import {
  type Clock,
  ConfigError,
  type EnqueueResult,
  type Outcome,
  type OwnedKey,
  type WorkqueueBackend,
  systemClock,
  validateKey,
  validatePriority,
} from '@recon/core';
import { createDispatchLoop, type DispatchLoopHandle, type ProcessContext } from '@recon/dispatch';
import { MemoryBackend } from '@recon/workqueue-memory';
import { createContext, type ReconEvent } from '../context.ts';
import { type Delay, delayToMs } from '../delay.ts';
import { UnknownKindError } from '../errors.ts';
import { EventBus } from '../events/event-bus.ts';
import { leaseFromPredicate } from '../leader/leader-lease.ts';
import { IntervalLimiter } from '../limits/action-limiter.ts';
import { TokenBucket } from '../limits/token-bucket.ts';
import { createLogger, type Logger } from '../logger.ts';
import { messageOf } from '../outcomes.ts';
import { runAttempt } from '../reconciler.ts';
import { resourceKey } from '../resources/resource-store.ts';
import { toOutcome } from '../to-outcome.ts';
import { Leadership } from './leadership.ts';
import type { ControllerHooks, ControllerOptions } from './options.ts';
import { decoratingQueue, type FailureDecision, type OwnedWrite } from './owned-key-hooks.ts';
import { every } from './periodic.ts';
import { RecentlyDone } from './recently-done.ts';
import { BoundedEnqueue } from './bounded-enqueue.ts';
import { HookSet } from './hook-set.ts';
import { type KeysFrom, keysOf } from './keys.ts';
import { type AttemptRecord, reportWrite } from './outcome-report.ts';
import { isExhausted, RetryPolicies, retryDelayMs } from './retry-policy.ts';
import { ReconcilerRouter } from './routing.ts';

export interface EnqueueOptions {
  /** Higher first (signed 32-bit). Default 0. */
  priority?: number;
  /** Not before this long from now: ms or a duration string. Default 0. */
  delay?: Delay;
  /** The delay is a floor a plain enqueue cannot undercut. Default false. */
  floor?: boolean;
  /** Names the retry policy (`sources[name]`) the key runs under. Default `default`. */
  source?: string;
  /** Enqueue even when the key succeeded within `recentlyDoneMs`. Default false. */
  force?: boolean;
  signal?: AbortSignal;
}

/** `skipped`: the key succeeded within the `recentlyDoneMs` window; nothing was enqueued. */
export type ControllerEnqueueResult = EnqueueResult | 'skipped';

interface KeyStamp {
  source: string;
  term: number | undefined;
  /** Orders enqueues, so a completion can tell whether the key was enqueued again since. */
  seq: number;
}

interface Resync {
  list: () => Iterable<string> | Promise<Iterable<string>>;
  everyMs: number;
  source: string;
  stop: AbortController;
}

const defaultSource = 'default';

export class Controller {
  /** The in-process CloudEvents bus: `controller.events.publish(event)`. */
  readonly events = new EventBus();
  readonly queue: WorkqueueBackend;
  readonly clock: Clock;
  readonly logger: Logger;

  readonly #o: ControllerOptions;
  readonly #ownsQueue: boolean;
  readonly #router: ReconcilerRouter;
  readonly #policies: RetryPolicies;
  readonly #bound: BoundedEnqueue;
  readonly #random: () => number;
  readonly #bucket: TokenBucket | undefined;
  readonly #limiter: IntervalLimiter;
  readonly #recentlyDone: RecentlyDone;
  readonly #leadership: Leadership;
  /** Per key: the source of its latest enqueue and the leadership term it was stamped with. */
  readonly #stamps = new Map<string, KeyStamp>();
  #stampSeq = 0;
  readonly #attempts = new WeakMap<OwnedKey, AttemptRecord>();
  readonly #dependents = new Set<KeysFrom<string>>();
  readonly #resyncs = new Set<Resync>();
  readonly #hooks: HookSet;
  readonly #cleanups: (() => void)[] = [];
  #running = new AbortController();
  #state: 'new' | 'running' | 'stopped' = 'new';
  #loop: DispatchLoopHandle | undefined;

  constructor(options: ControllerOptions) {
    this.#o = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger({ fields: { component: 'controller' } });
    this.#router = new ReconcilerRouter(options.reconciler, options.reconcilers);
    if (this.#router.empty) throw new ConfigError(['reconciler or reconcilers is required']);
    this.#ownsQueue = options.queue === undefined;
    this.queue = options.queue ?? new MemoryBackend({ clock: this.clock });
    this.#policies = new RetryPolicies(options.retry, options.sources);
    this.#bound = new BoundedEnqueue(this.queue, options.maxQueued);
    this.#random = options.random ?? Math.random;
    this.#bucket =
      options.rateLimit && new TokenBucket({ ...options.rateLimit, clock: this.clock });
    this.#limiter = new IntervalLimiter(options.minIntervalMs ?? {}, this.clock);
    this.#recentlyDone = new RecentlyDone(options.recentlyDoneMs ?? 0, this.clock);
    const lease = options.leaderLease ?? (options.isLeader && leaseFromPredicate(options.isLeader));
    this.#leadership = new Leadership({
      lease,
      clock: this.clock,
      checkEveryMs: options.leaderCheckMs ?? 5000,
      logger: this.logger,
      onChange: (leader, term) => this.#onLeadership(leader, term),
    });
    this.#hooks = new HookSet(this.logger);
    this.#hooks.add(options);
  }

  /** True while this replica may reconcile (always, without leader gating). */
  get isLeader(): boolean {
    return this.#leadership.leader;
  }

  /** The current leadership term (0 without leader gating). */
  get term(): number {
    return this.#leadership.term;
  }

  /**
   * Enqueues a key (dedup, priorities and floors as in spec 01). Throws BackPressureError when
   * `maxQueued` keys are queued and this one is not among them: nothing is ever dropped silently.
   */
  async enqueue(key: string, options: EnqueueOptions = {}): Promise<ControllerEnqueueResult> {
    validateKey(key);
    const priority = validatePriority(options.priority ?? 0);
    const delayMs = options.delay === undefined ? 0 : delayToMs(options.delay);
    const source = options.source ?? defaultSource;
    if (!options.force && this.#recentlyDone.has(key)) return 'skipped';
    const write = async () => {
      const result = await this.queue.enqueue(
        { key, priority, delayMs, floor: options.floor === true },
        options.signal,
      );
      // The term is stamped only while leading: a key added as a follower runs under any term.
      this.#stamps.set(key, {
        source,
        term: this.#leadership.leader ? this.#leadership.term : undefined,
        seq: ++this.#stampSeq,
      });
      this.#loop?.wake('local');
      return result;
    };
    return this.#bound.run(key, write, options.signal);
  }

  /** Subscribes to bus events whose type matches `pattern` and enqueues the keys `map` returns. */
  watch(
    pattern: string,
    map: KeysFrom<ReconEvent>,
    options: { source?: string; priority?: number } = {},
  ): () => void {
    return this.events.subscribe(pattern, async (event) => {
      for (const key of keysOf(await map(event))) {
        await this.enqueue(key, { source: options.source ?? 'event', priority: options.priority });
      }
    });
  }

  /** Enqueues `list()` now (once leading) and every `everyMs`, until the returned function is called. */
  resync(list: Resync['list'], everyMs: number, options: { source?: string } = {}): () => void {
    const r: Resync = {
      list,
      everyMs,
      source: options.source ?? 'resync',
      stop: new AbortController(),
    };
    this.#resyncs.add(r);
    if (this.#state === 'running') this.#startResync(r);
    return () => {
      r.stop.abort();
      this.#resyncs.delete(r);
    };
  }

  /** After a key succeeds, also enqueue the keys `fn` returns (watches of related keys). */
  dependents(fn: KeysFrom<string>): () => void {
    this.#dependents.add(fn);
    return () => {
      this.#dependents.delete(fn);
    };
  }

  /** Adds outcome hooks (besides those in the options); returns a function removing them. */
  observe(hooks: ControllerHooks): () => void {
    return this.#hooks.add(hooks);
  }

  /** Starts reconciling (once leading, with leader gating). Resolves after the first leader check. */
  async start(): Promise<void> {
    if (this.#state !== 'new') return;
    this.#state = 'running';
    this.#running = new AbortController();
    const store = this.#o.resources;
    if (store) {
      const unwatch = store.watch((change) => {
        const key = change.type === 'applied' ? resourceKey(change.resource) : resourceKey(change);
        this.enqueue(key, { source: 'resources', force: true }).catch((error: unknown) =>
          this.logger.warn('could not enqueue a resource change', { key, error: messageOf(error) }),
        );
      });
      this.#cleanups.push(unwatch);
    }
    if (this.#leadership.gated) {
      await this.#leadership.check(this.#running.signal);
      void this.#leadership.run(this.#running.signal);
    } else {
      await this.#onLeadership(true, 0);
    }
  }

  /**
   * Stops gracefully: no new attempts; attempts in flight are aborted and their keys requeued at
   * once without counting the attempt (a handler gets 3 s to return). Nothing is dropped: every
   * key is either done or still in the queue. The lease, if any, is released.
   */
  async stop(): Promise<void> {
    if (this.#state !== 'running') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopped';
    this.#running.abort();
    for (const c of this.#cleanups.splice(0)) c();
    for (const r of this.#resyncs) r.stop.abort();
    await this.#stopLoop();
    await this.#leadership.resign();
  }

  /** Stops, then closes the queue if the controller created it. */
  async close(): Promise<void> {
    await this.stop();
    if (this.#ownsQueue) await this.queue.close();
  }

  /** Resolves when nothing is in flight and nothing is eligible (at once when not leading). */
  async idle(): Promise<void> {
    await this.#loop?.idle();
  }

  get inFlight(): number {
    return this.#loop?.inFlight ?? 0;
  }

  async #onLeadership(leader: boolean, term: number): Promise<void> {
    if (!leader) {
      this.logger.info('lost leadership; stopping', { term });
      await this.#stopLoop();
      return;
    }
    if (this.#state !== 'running') return;
    this.logger.info('leading', { term });
    this.#loop = createDispatchLoop({
      queue: decoratingQueue(this.queue, {
        decideFailure: (owned) => this.#decideFailure(owned),
        written: (owned, write) => this.#written(owned, write),
      }),
      process: (key, ctx) => this.#process(key, ctx),
      concurrency: this.#o.concurrency ?? 10,
      clock: this.clock,
      random: this.#random,
      // Retries and dead-lettering follow the per-source policies (owned-key-hooks.ts).
      workqueue: { maxRetry: 0 },
      callTimeoutMs: this.#o.callTimeoutMs,
      dispatchPeriodMs: this.#o.dispatchPeriodMs ?? (this.#ownsQueue ? 20 : undefined),
      owner: this.#o.owner,
      events: {
        onError: ({ where, error, key }) =>
          this.logger.warn('dispatch error', { where, key, error: messageOf(error) }),
        onLeaseLost: ({ key }) => this.logger.warn('lease lost mid-attempt', { key }),
      },
    });
    this.#loop.start();
    for (const r of this.#resyncs) this.#startResync(r);
  }

  async #stopLoop(): Promise<void> {
    const loop = this.#loop;
    this.#loop = undefined;
    for (const r of this.#resyncs) {
      r.stop.abort();
      r.stop = new AbortController();
    }
    await loop?.stop({ drain: true });
  }

  #startResync(r: Resync): void {
    if (!this.#leadership.leader || r.stop.signal.aborted) return;
    void every(this.clock, r.everyMs, r.stop.signal, async () => {
      if (!this.#leadership.leader) return;
      try {
        for (const key of await r.list()) await this.enqueue(key, { source: r.source });
      } catch (error) {
        this.logger.warn('resync failed', { error: messageOf(error) });
      }
    });
  }

  async #process(key: string, pctx: ProcessContext): Promise<Outcome> {
    const stamp = this.#stamps.get(key);
    const source = stamp?.source ?? defaultSource;
    const stamped = stamp?.term;
    if (stamped !== undefined && stamped < this.#leadership.term) {
      this.logger.info('discarding work queued under an older leadership term', {
        key,
        term: stamped,
        current: this.#leadership.term,
      });
      this.#attempts.set(pctx.owned, {
        outcome: { kind: 'success' },
        source,
        discarded: true,
        stampSeq: stamp?.seq,
      });
      return { kind: 'success' };
    }
    let record: AttemptRecord;
    try {
      await this.#bucket?.take(pctx.signal);
      this.#hooks.emit('onAttemptStart', { key, attempt: pctx.attempt });
      const ctx = createContext({
        key,
        signal: pctx.signal,
        attempt: pctx.attempt,
        maxAttempts: this.#policies.of(source).maxAttempts,
        priority: pctx.priority,
        deadline: pctx.deadline,
        logger: this.logger,
        clock: this.clock,
        limiter: this.#limiter,
        emit: async (event) => void (await this.events.publish(event)),
      });
      const attempt = await runAttempt(this.#router.route(key), ctx, { random: this.#random });
      record = { outcome: attempt.outcome, thrown: attempt.thrown, source, stampSeq: stamp?.seq };
    } catch (thrown) {
      // Only the router (no reconciler for the kind: permanent) or an aborted rate-limit wait.
      const outcome: Outcome = UnknownKindError.is(thrown)
        ? { kind: 'non-retriable', message: thrown.message }
        : toOutcome(thrown, { thrown: true });
      record = { outcome, thrown, source, stampSeq: stamp?.seq };
    }
    if (record.outcome.kind === 'success' && this.#dependents.size > 0) {
      record.outcome = {
        kind: 'success',
        followUps: [...(record.outcome.followUps ?? []), ...(await this.#dependentsOf(key))],
      };
    }
    this.#attempts.set(pctx.owned, record);
    return record.outcome;
  }

  async #dependentsOf(key: string): Promise<{ key: string }[]> {
    const keys: { key: string }[] = [];
    for (const fn of this.#dependents) {
      try {
        for (const k of keysOf(await fn(key))) keys.push({ key: k });
      } catch (error) {
        this.logger.warn('dependents lookup failed', { key, error: messageOf(error) });
      }
    }
    return keys;
  }

  #decideFailure(owned: OwnedKey): FailureDecision {
    const policy = this.#policies.of(this.#sourceFor(owned));
    return {
      deadLetter: isExhausted(owned.attempts, policy),
      delayMs: retryDelayMs(owned.attempts, policy, this.#random),
    };
  }

  #written(owned: OwnedKey, write: OwnedWrite): void {
    const record = this.#attempts.get(owned);
    const report = { key: owned.key, attempt: owned.attempts, source: this.#sourceFor(owned) };
    if (reportWrite(this.#hooks, { ...report, record, write }))
      this.#recentlyDone.record(owned.key);
  }

  #sourceFor(owned: OwnedKey): string {
    return (
      this.#attempts.get(owned)?.source ?? this.#stamps.get(owned.key)?.source ?? defaultSource
    );
  }
}
