/**
 * A harness that drives one reconciler to quiescence on a fake clock, over the real memory
 * queue and the real outcome table (core's `decideAction`), one attempt at a time so runs are
 * deterministic. Time jumps straight to the next requeue-after or backoff deadline; a harness
 * never sleeps for real.
 */
import {
  type Action,
  decideAction,
  FakeClock,
  type KeyStateView,
  type Outcome,
  resolveWorkqueueOptions,
  type WorkqueueOptions,
} from '@recon/core';
import {
  createContext,
  type Delay,
  delayToMs,
  type Logger,
  type ReconEvent,
  type ReconcileFn,
  type Reconciler,
  runAttempt,
  silentLogger,
  toReconciler,
} from '@recon/sdk';
import { MemoryBackend } from '@recon/workqueue-memory';

export interface HarnessOptions {
  /** Default: a new FakeClock at 2026-01-01. */
  clock?: FakeClock;
  /** Failed attempts before dead-lettering; 0 = unlimited. Default 5. */
  maxRetry?: number;
  /** Backoff after the first failure. Default 1 s. */
  backoffBaseMs?: number;
  /** Backoff cap. Default 1 min. */
  backoffCapMs?: number;
  /** `run()` stops after this much simulated time. Default 1 h. */
  maxSimulatedMs?: number;
  /** `run()` stops after this many attempts (a runaway guard). Default 10 000. */
  maxRuns?: number;
  /** Jitter source for backoff and requeue jitter. Default `() => 0`: no jitter, exact times. */
  random?: () => number;
  /** Default: silent. */
  logger?: Logger;
}

export interface RecordedOutcome {
  /** 1-based attempt number (resets after a requeue-after). */
  attempt: number;
  /** What the reconcile came to. */
  kind: Outcome['kind'];
  /** What the queue did: success, requeued, retried, dropped, dead_lettered. */
  action: Action['label'];
  /** Simulated ms since the harness was created. */
  at: number;
  /** requeue-after and retry delays. */
  delayMs?: number;
  message?: string;
  followUps?: string[];
}

export interface RunSummary {
  /** Nothing queued any more (false when a time or run bound stopped the run). */
  quiescent: boolean;
  /** Attempts made by this run. */
  runs: number;
  /** Simulated ms this run covered. */
  elapsedMs: number;
}

export interface Harness {
  readonly clock: FakeClock;
  readonly queue: MemoryBackend;
  /** Events the reconciler published with `ctx.emit`. */
  readonly events: readonly ReconEvent[];
  enqueue(key: string, options?: { priority?: number; delay?: Delay }): Promise<void>;
  /** Attempts due keys one by one, jumping time to each next deadline, until quiescent or bounded. */
  run(options?: { maxSimulatedMs?: number }): Promise<RunSummary>;
  /** Every outcome recorded for `key`, in order. */
  outcomes(key: string): RecordedOutcome[];
  /** How many times `key` was reconciled. */
  runs(key: string): number;
  /** The queue's view of `key` (undefined once it completed). */
  state(key: string): Promise<KeyStateView | undefined>;
}

export function createHarness(r: Reconciler | ReconcileFn, options: HarnessOptions = {}): Harness {
  const rec = toReconciler(r);
  const clock = options.clock ?? new FakeClock();
  const origin = clock.now();
  const random = options.random ?? (() => 0);
  const workqueue: WorkqueueOptions = resolveWorkqueueOptions({
    maxRetry: options.maxRetry ?? 5,
    backoffBaseMs: options.backoffBaseMs ?? 1000,
    backoffCapMs: options.backoffCapMs ?? 60_000,
  });
  const queue = new MemoryBackend({ clock, workqueue });
  const recorded = new Map<string, RecordedOutcome[]>();
  const events: ReconEvent[] = [];
  const logger = options.logger ?? silentLogger;

  /** Attempts the first due key; false when none is due. */
  const attemptOnce = async (): Promise<boolean> => {
    const next = (await queue.listEligible(1)).keys[0];
    if (!next) return false;
    const owned = await queue.start(next, 'harness');
    if (!owned) return false;
    const ctx = createContext({
      key: owned.key,
      signal: owned.signal,
      attempt: owned.attempts,
      maxAttempts: workqueue.maxRetry,
      priority: owned.priority,
      logger,
      clock,
      emit: async (event) => void events.push(event),
    });
    const { outcome } = await runAttempt(rec, ctx, { random });
    const action = decideAction(outcome, { attempts: owned.attempts, options: workqueue, random });
    if (action.kind === 'complete') {
      for (const f of action.followUps)
        await queue.enqueue({ key: f.key, priority: f.priority, delayMs: f.delayMs });
    }
    switch (action.kind) {
      case 'complete':
        await owned.complete();
        break;
      case 'requeue':
        await owned.requeue({
          delayMs: action.delayMs,
          floor: action.floor,
          attempts: action.attempts,
          lastError: action.lastError,
        });
        break;
      case 'dead-letter':
        await owned.deadLetter(action.lastError);
        break;
    }
    const entry: RecordedOutcome = {
      attempt: owned.attempts,
      kind: outcome.kind,
      action: action.label,
      at: clock.now() - origin,
    };
    if (action.kind === 'requeue') entry.delayMs = action.delayMs;
    if (outcome.kind === 'error' || outcome.kind === 'non-retriable')
      entry.message = outcome.message;
    if (outcome.kind === 'success' && outcome.followUps?.length)
      entry.followUps = outcome.followUps.map((f) => f.key);
    const list = recorded.get(owned.key) ?? [];
    list.push(entry);
    recorded.set(owned.key, list);
    return true;
  };

  return {
    clock,
    queue,
    events,
    async enqueue(key, o = {}) {
      await queue.enqueue({
        key,
        priority: o.priority ?? 0,
        delayMs: o.delay === undefined ? 0 : delayToMs(o.delay),
      });
    },
    async run(o = {}) {
      const startedAt = clock.now();
      const limit = startedAt + (o.maxSimulatedMs ?? options.maxSimulatedMs ?? 60 * 60_000);
      const maxRuns = options.maxRuns ?? 10_000;
      let runs = 0;
      for (;;) {
        if (runs >= maxRuns) return { quiescent: false, runs, elapsedMs: clock.now() - startedAt };
        if (await attemptOnce()) {
          runs++;
          continue;
        }
        const { nextNotBefore } = await queue.listEligible(1);
        if (nextNotBefore === undefined)
          return { quiescent: true, runs, elapsedMs: clock.now() - startedAt };
        if (nextNotBefore > limit) {
          await clock.set(limit);
          return { quiescent: false, runs, elapsedMs: clock.now() - startedAt };
        }
        await clock.set(nextNotBefore);
      }
    },
    outcomes: (key) => [...(recorded.get(key) ?? [])],
    runs: (key) => recorded.get(key)?.length ?? 0,
    state: (key) => queue.getKeyState(key),
  };
}

/** Milliseconds helper for assertions: `expect(o.delayMs).toBe(ms('5m'))`. */
export function ms(delay: Delay): number {
  return delayToMs(delay);
}
