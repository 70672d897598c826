import { UnknownKindError } from '../errors.ts';
import { type ReconcileFn, type Reconciler, toReconciler } from '../reconciler.ts';
import { parseResourceKey } from '../resources/resource-store.ts';

/**
 * Picks the reconciler for a key: `reconcilers[kind]` for a key `kind/uid`, else the default
 * one; UnknownKindError (non-retriable: no retry can register a reconciler) when neither exists.
 */
export class ReconcilerRouter {
  readonly #byKind: ReadonlyMap<string, Reconciler>;
  readonly #fallback: Reconciler | undefined;

  constructor(
    fallback: Reconciler | ReconcileFn | undefined,
    byKind: Record<string, Reconciler | ReconcileFn> = {},
  ) {
    this.#fallback = fallback === undefined ? undefined : toReconciler(fallback);
    this.#byKind = new Map(Object.entries(byKind).map(([kind, r]) => [kind, toReconciler(r)]));
  }

  get empty(): boolean {
    return this.#fallback === undefined && this.#byKind.size === 0;
  }

  get kinds(): string[] {
    return [...this.#byKind.keys()];
  }

  route(key: string): Reconciler {
    const kind = parseResourceKey(key)?.kind;
    const r = (kind === undefined ? undefined : this.#byKind.get(kind)) ?? this.#fallback;
    if (!r) throw new UnknownKindError(kind ?? key);
    return r;
  }
}
