// The only module of the suite that touches @recon/dispatch. Nx sees a project cycle here that
// runs through test files alone (dispatch/test uses the memory backend, memory/test runs this
// suite); no runtime module cycle exists, so the check is waived for these two imports.
// eslint-disable-next-line @nx/enforce-module-boundaries -- test-only project cycle, see above
import type { DispatchLoopHandle, DispatchLoopOptions } from '@recon/dispatch';
import type { Harness } from './harness.ts';

export type { DispatchLoopHandle };

/**
 * The dispatch loop, loaded when a scenario needs it: a broken dispatch package then fails the
 * three scenarios that drive it (22, 23, 26), not the port scenarios.
 */
export async function createLoop(options: DispatchLoopOptions): Promise<DispatchLoopHandle> {
  // eslint-disable-next-line @nx/enforce-module-boundaries -- test-only project cycle, see top
  const { createDispatchLoop } = await import('@recon/dispatch');
  return createDispatchLoop(options);
}

/** Loop timings for the fake clock: short periods so a drive takes few steps. */
export const loopTimings = {
  dispatchPeriodMs: 10,
  pollIntervalMs: 100,
  orphanSweepPeriodMs: 60_000,
  callTimeoutMs: 60_000,
} as const satisfies Partial<DispatchLoopOptions>;

/**
 * A log of what the reconciler saw, across every dispatcher of a scenario, on one sequence
 * counter: enqueues and the starts of process calls. It checks the invariants as it goes:
 * per-dispatcher in-flight never above its concurrency, and no key processed twice at once.
 */
export class ProcessLog {
  #seq = 0;
  readonly #lastEnqueue = new Map<string, number>();
  readonly #lastProcess = new Map<string, number>();
  readonly #active = new Set<string>();
  readonly #inFlight = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();
  /** Keys that were processed while another call for the same key was running. */
  readonly overlaps: string[] = [];
  processes = 0;

  /** Enqueues that found their key being processed: the twins a scenario exercised. */
  enqueuedWhileProcessing = 0;

  /** Call BEFORE the enqueue: a process call logged after this one started after the enqueue. */
  enqueued(key: string): void {
    this.#lastEnqueue.set(key, this.#seq++);
    if (this.#active.has(key)) this.enqueuedWhileProcessing++;
  }

  /** Wraps one process call of `dispatcher`. */
  async process(dispatcher: string, key: string, work: () => Promise<void>): Promise<void> {
    this.processes++;
    this.#lastProcess.set(key, this.#seq++);
    if (this.#active.has(key)) this.overlaps.push(key);
    this.#active.add(key);
    const inFlight = (this.#inFlight.get(dispatcher) ?? 0) + 1;
    this.#inFlight.set(dispatcher, inFlight);
    this.maxInFlight.set(dispatcher, Math.max(inFlight, this.maxInFlight.get(dispatcher) ?? 0));
    try {
      await work();
    } finally {
      this.#active.delete(key);
      this.#inFlight.set(dispatcher, (this.#inFlight.get(dispatcher) ?? 1) - 1);
    }
  }

  /** Keys whose last enqueue was not followed by the start of a process call. */
  notProcessedAfterLastEnqueue(): string[] {
    return [...this.#lastEnqueue]
      .filter(([key, e]) => !((this.#lastProcess.get(key) ?? -1) > e))
      .map(([key]) => key);
  }

  get keysProcessed(): number {
    return this.#lastProcess.size;
  }
}

/** A seeded PRNG (mulberry32), so a scenario's key order and work times repeat run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Advances the fake clock in `stepMs` steps until nothing is queued or owned and every loop is
 * idle. Fails after `maxSteps`: a queue that does not drain is a finding, not a hang.
 */
export async function driveUntilDrained(
  h: Harness,
  loops: readonly DispatchLoopHandle[],
  { stepMs = 5, maxSteps = 5000 }: { stepMs?: number; maxSteps?: number } = {},
): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    const stats = await h.queue.stats();
    if (stats.queued === 0 && stats.inProgress === 0 && loops.every((l) => l.inFlight === 0))
      return;
    await h.clock.advance(stepMs);
    await h.letIoRun();
  }
  const stats = await h.queue.stats();
  throw new Error(
    `the queue did not drain in ${maxSteps} steps of ${stepMs} ms: ${stats.queued} queued, ` +
      `${stats.inProgress} in progress, in flight ${loops.map((l) => l.inFlight).join('/')}`,
  );
}

/** Advances the fake clock until `done()` holds; fails after `maxSteps`. */
export async function driveUntil(
  h: Harness,
  done: () => boolean,
  { stepMs, maxSteps, what }: { stepMs: number; maxSteps: number; what: string },
): Promise<void> {
  for (let step = 0; step < maxSteps && !done(); step++) {
    await h.clock.advance(stepMs);
    await h.letIoRun();
  }
  if (!done()) throw new Error(`${what} did not happen within ${maxSteps} steps of ${stepMs} ms`);
}

/** Stops every loop (crash-stopping is the scenario's business), whatever happened in the test. */
export async function stopAll(loops: readonly DispatchLoopHandle[]): Promise<void> {
  await Promise.all(loops.map((loop) => loop.stop({ drain: false })));
}
