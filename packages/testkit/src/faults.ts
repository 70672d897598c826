/**
 * Fault wrappers: make a real reconciler fail on purpose, without mocking modules. The injected
 * failure is thrown before the wrapped reconciler runs, so that call has no side effects.
 */
import { ReconError } from '@recon/core';
import { type ReconcileFn, type Reconciler, reconciler, toReconciler } from '@recon/sdk';

/** The error the wrappers throw when none is given (a plain, retryable failure). */
export class InjectedFault extends ReconError {
  static override readonly code = 'INJECTED_FAULT';
  /** Which call (1-based) failed. */
  readonly call: number;
  constructor(message: string, options: ErrorOptions & { call: number }) {
    super(message, options);
    this.call = options.call;
  }
}

const fault = (call: number) => new InjectedFault(`injected fault on call ${call}`, { call });

/** Fails the `n`th call (1-based, counted over all keys) with `error`; every other call runs. */
export function failNth(
  r: Reconciler | ReconcileFn,
  n: number | readonly number[],
  error?: unknown,
): Reconciler {
  const inner = toReconciler(r);
  const targets = new Set(typeof n === 'number' ? [n] : n);
  let calls = 0;
  return reconciler(
    async (key, ctx) => {
      const call = ++calls;
      if (targets.has(call)) throw error ?? fault(call);
      return inner.reconcile(key, ctx);
    },
    { name: `failNth(${inner.name})` },
  );
}

/** Fails every `every`th call (the `every`th, the 2×`every`th, ...); the rest run. */
export function flaky(
  r: Reconciler | ReconcileFn,
  options: { every: number; error?: unknown },
): Reconciler {
  const inner = toReconciler(r);
  if (!(Number.isInteger(options.every) && options.every >= 1))
    throw new RangeError('every must be an integer >= 1');
  let calls = 0;
  return reconciler(
    async (key, ctx) => {
      const call = ++calls;
      if (call % options.every === 0) throw options.error ?? fault(call);
      return inner.reconcile(key, ctx);
    },
    { name: `flaky(${inner.name})` },
  );
}
