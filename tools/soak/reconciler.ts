/**
 * The soak's reconciler, served over gRPC with the SDK. It records every call (key, start, end,
 * the key's world version when it started, attempt, outcome) and behaves by key class; a small
 * share of calls of converging keys also fail at random, as real reconcilers do.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { done, nonRetriable, requeueAfter, type ReconcileFn } from '@recon/sdk';
import type { CallOutcome, CallRecord } from './audit.ts';
import { classOf } from './keys.ts';
import { between, type Random } from './random.ts';

export interface SoakReconcilerOptions {
  /** key → world version, bumped by the load generator before each enqueue. */
  world: ReadonlyMap<string, number>;
  record: (call: CallRecord) => void;
  random: Random;
  /** Share of calls of ok/poll keys that fail at random. */
  transientErrorRate: number;
  now?: () => number;
}

export interface SoakReconciler {
  reconcile: ReconcileFn;
  /** Calls running now. */
  readonly inFlight: number;
}

export function createSoakReconciler(options: SoakReconcilerOptions): SoakReconciler {
  const now = options.now ?? (() => performance.now());
  const polled = new Map<string, number>();
  let inFlight = 0;

  const reconcile: ReconcileFn = async (key, ctx) => {
    const start = now();
    const sawVersion = options.world.get(key) ?? 0;
    inFlight++;
    let outcome: CallOutcome = 'error';
    try {
      try {
        await sleep(between(options.random, 5, 150), undefined, { signal: ctx.signal });
      } catch {
        outcome = 'aborted';
        throw new Error('aborted');
      }
      const cls = classOf(key);
      const transient = options.random() < options.transientErrorRate;
      if (cls === 'fail') throw new Error('soak: this key always fails');
      if (cls === 'flaky' && ctx.attempt === 1) throw new Error('soak: first attempt fails');
      if (cls === 'drop') {
        outcome = 'dropped';
        return nonRetriable(new Error('soak: not ours'), 'soak-drop');
      }
      if ((cls === 'ok' || cls === 'poll') && transient) throw new Error('soak: transient failure');
      if (cls === 'poll' && polled.get(key) !== sawVersion) {
        polled.set(key, sawVersion);
        outcome = 'requeue';
        return requeueAfter(Math.round(between(options.random, 300, 800)));
      }
      outcome = 'success';
      return done();
    } finally {
      inFlight--;
      // An outcome decided after the dispatcher gave up on the call is not one it applied.
      if (ctx.signal.aborted) outcome = 'aborted';
      options.record({ key, start, end: now(), sawVersion, attempt: ctx.attempt, outcome });
    }
  };
  return {
    reconcile,
    get inFlight() {
      return inFlight;
    },
  };
}
