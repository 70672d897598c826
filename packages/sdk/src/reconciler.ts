/**
 * A reconciler: one function from a key to a result. It reads the CURRENT state of the world
 * for the key and moves it toward the desired state; it never sees the events that caused the
 * call (level-based), so it must be safe to run any number of times.
 */
import type { Outcome } from '@recon/core';
import type { ReconcileContext } from './context.ts';
import type { Result } from './outcomes.ts';
import { toOutcome } from './to-outcome.ts';

// `void` so a reconciler may simply not return anything when it is done.
export type ReconcileResult = Result | void | undefined;

export type ReconcileFn = (
  key: string,
  ctx: ReconcileContext,
) => Promise<ReconcileResult> | ReconcileResult;

const reconcilerBrand = Symbol.for('recon.sdk.reconciler');

export interface Reconciler {
  /** For logs and metrics. Default: the function's name, or `reconciler`. */
  readonly name: string;
  readonly reconcile: ReconcileFn;
}

export interface ReconcilerOptions {
  name?: string;
}

/** Wraps a reconcile function; serve it with `serve()` or run it under a `Controller`. */
export function reconciler(fn: ReconcileFn, options: ReconcilerOptions = {}): Reconciler {
  const r: Reconciler = { name: options.name ?? (fn.name || 'reconciler'), reconcile: fn };
  Object.defineProperty(r, reconcilerBrand, { value: true, enumerable: false });
  return Object.freeze(r);
}

export function isReconciler(value: unknown): value is Reconciler {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[reconcilerBrand] === true
  );
}

/** Accepts a `reconciler(...)` or a bare function. */
export function toReconciler(value: Reconciler | ReconcileFn): Reconciler {
  return typeof value === 'function' ? reconciler(value) : value;
}

export interface Attempt {
  outcome: Outcome;
  /** What the reconciler threw (or its promise rejected with), if anything. */
  thrown?: unknown;
  /** The value it returned, if it returned. */
  returned?: ReconcileResult;
}

/**
 * Runs one attempt and maps it to an Outcome. Isolates every failure of the call: synchronous
 * throws, rejected promises and thrown non-Errors all become a retryable `error` outcome.
 */
export async function runAttempt(
  r: Reconciler,
  ctx: ReconcileContext,
  options: { random?: () => number } = {},
): Promise<Attempt> {
  try {
    const returned = await r.reconcile(ctx.key, ctx);
    return { outcome: toOutcome(returned, { random: options.random }), returned };
  } catch (thrown) {
    return { outcome: toOutcome(thrown, { thrown: true, random: options.random }), thrown };
  }
}
