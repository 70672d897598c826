import type { FakeClock, WorkqueueBackend, WorkqueueOptions } from '@recon/core';

/** What every factory call gets: the test's fake clock and the options under test. */
export interface ConformanceContext {
  clock: FakeClock;
  options: WorkqueueOptions;
}

/** How the suite gets backends to test. */
export interface ConformanceFactory {
  /** A fresh, empty backend on the given fake clock; `options` are the WorkqueueOptions under test. */
  create(ctx: ConformanceContext): Promise<WorkqueueBackend>;
  /** A second handle on the SAME store (durability/multi-instance), if the backend is durable. */
  reopen?(ctx: ConformanceContext): Promise<WorkqueueBackend>;
  /** Tear down (delete the bucket / temp dir). Called after every test, once its handles are closed. */
  destroy?(): Promise<void>;
  /**
   * Real-time backends (GCS over an emulator) may need a small real delay for ordering ties:
   * when true, `tick()` also lets 2 ms of real time pass, so copies created one after the other
   * get distinct creation times from the store, and dispatch drivers give I/O real time to run.
   */
  durable?: boolean;
}

/**
 * The options every scenario runs under: short enough that a lease, a backoff or maxRetry is
 * reached in a few fake-clock steps, and consistent (heartbeat < lease, cap >= base).
 */
export const conformanceOptions: Readonly<WorkqueueOptions> = Object.freeze({
  leaseMs: 60_000,
  heartbeatMs: 20_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 60_000,
  maxRetry: 5,
  floorClampMs: 60 * 60_000,
});

/** Every listing for dispatch in the suite asks for this many keys. */
export const listLimit = 5;
