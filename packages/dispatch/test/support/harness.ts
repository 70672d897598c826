/**
 * Test harness: a FakeClock, the in-memory backend behind the fault wrapper, a loop with every
 * event recorded, and helpers that move fake time until something happens. No real sleeps.
 */
import { FakeClock } from '@recon/core';
import type { Clock, Outcome, WorkqueueOptions } from '@recon/core';
import { createDispatchLoop, faultyQueue } from '../../src/index.ts';
import type {
  DispatchEvents,
  DispatchLoopHandle,
  DispatchLoopOptions,
  FaultyQueue,
  ProcessFn,
} from '../../src/index.ts';
import { createBackend } from './backend.ts';

type Info<K extends keyof DispatchEvents> = Parameters<NonNullable<DispatchEvents[K]>>[0];
/** An event as recorded: its payload plus the fake time it happened at. */
type At<T> = T & { at: number };

export interface EventLog {
  triggers: At<Info<'onTrigger'>>[];
  passes: At<Info<'onPass'>>[];
  starts: At<Info<'onAttemptStart'>>[];
  outcomes: At<Info<'onOutcome'>>[];
  leaseLost: At<Info<'onLeaseLost'>>[];
  sweeps: At<Info<'onSweep'>>[];
  counts: At<Info<'onCounts'>>[];
  errors: At<Info<'onError'>>[];
}

export function recordEvents(clock: Clock): { log: EventLog; events: Required<DispatchEvents> } {
  const log: EventLog = {
    triggers: [],
    passes: [],
    starts: [],
    outcomes: [],
    leaseLost: [],
    sweeps: [],
    counts: [],
    errors: [],
  };
  const at = <T extends object>(i: T): At<T> => ({ ...i, at: clock.now() });
  const events: Required<DispatchEvents> = {
    onTrigger: (i) => log.triggers.push(at(i)),
    onPass: (i) => log.passes.push(at(i)),
    onAttemptStart: (i) => log.starts.push(at(i)),
    onOutcome: (i) => log.outcomes.push(at(i)),
    onLeaseLost: (i) => log.leaseLost.push(at(i)),
    onSweep: (i) => log.sweeps.push(at(i)),
    onCounts: (i) => log.counts.push(at(i)),
    onError: (i) => log.errors.push(at(i)),
  };
  return { log, events };
}

/** Short lease and heartbeat so lease tests need little fake time. Backoff keeps its defaults. */
export const testWorkqueue: Partial<WorkqueueOptions> = { leaseMs: 60_000, heartbeatMs: 20_000 };

export interface HarnessOptions extends Partial<Omit<DispatchLoopOptions, 'queue' | 'clock'>> {
  clock?: FakeClock;
  queue?: FaultyQueue;
}

export interface Harness {
  clock: FakeClock;
  queue: FaultyQueue;
  loop: DispatchLoopHandle;
  log: EventLog;
  /** Fake ms since the harness was made. */
  elapsed(): number;
}

/** A loop over a fresh memory backend (or `queue`), not yet started. */
export function harness(options: HarnessOptions = {}): Harness {
  const clock = options.clock ?? new FakeClock();
  const workqueue = { ...testWorkqueue, ...options.workqueue };
  const queue = options.queue ?? faultyQueue(createBackend(clock, workqueue));
  const { log, events } = recordEvents(clock);
  const t0 = clock.now();
  const process: ProcessFn = options.process ?? (() => Promise.resolve({ kind: 'success' }));
  const loop = createDispatchLoop({
    owner: 'test-owner',
    ...options,
    clock,
    queue,
    process,
    workqueue,
    events: options.events ?? events,
  });
  return { clock, queue, loop, log, elapsed: () => clock.now() - t0 };
}

/**
 * Advances fake time, timer by timer, until `promise` settles; throws if it is still pending after
 * `maxMs` of fake time (a hang shows up as a failure, not a timeout).
 */
export async function drive<T>(
  clock: FakeClock,
  promise: Promise<T>,
  maxMs = 30 * 60_000,
): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  watched.catch(() => undefined);
  const limit = clock.now() + maxMs;
  await clock.advance(0);
  while (!settled) {
    const next = clock.nextTimerAt();
    if (next === undefined || next > limit) {
      throw new Error(`still pending after ${maxMs} ms of fake time (next timer: ${next})`);
    }
    await clock.advance(Math.max(0, next - clock.now()));
  }
  return watched;
}

/** Starts the loop and drives fake time until it is idle. */
export async function runUntilIdle(h: Harness, maxMs?: number): Promise<void> {
  h.loop.start();
  await drive(h.clock, h.loop.idle(), maxMs);
}

/** A promise with its resolver outside: lets a test hold a process call open. */
export interface Gate<T = void> {
  promise: Promise<T>;
  open(value: T): void;
}

export function gate<T = void>(): Gate<T> {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A process function that waits for its signal and rejects with the signal's reason. */
export function waitForAbort(seen: unknown[] = []): ProcessFn {
  return (_key, ctx) =>
    new Promise<Outcome>((_resolve, reject) => {
      ctx.signal.addEventListener('abort', () => {
        seen.push(ctx.signal.reason);
        reject(ctx.signal.reason as Error);
      });
    });
}

/** A process function that never returns and ignores its signal. */
export const ignoreSignal: ProcessFn = () => new Promise<Outcome>(() => {});
