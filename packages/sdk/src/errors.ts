/**
 * The SDK's branded errors. Match them with `X.is(err)` (a global symbol and a code string, so
 * the check survives duplicate copies of the package); never by message text.
 *
 * Two of them are outcomes in error form: a reconciler may `throw` them from deep inside its
 * call stack instead of returning the matching result (`throw requeueAfter('1m')` and
 * `throw queueKeys([...])` work too).
 *
 * Constructors keep core's `(message-like, options)` shape so the inherited `X.is` typechecks.
 */
import { ReconError } from '@recon/core';
import type { Delay } from './delay.ts';

/** Do not retry this key: the attempt is recorded as `dropped` (gRPC: `NoRetryDetails`). */
export class NonRetriableError extends ReconError {
  static override readonly code = 'NON_RETRIABLE';
  /** Short machine-readable reason, e.g. `invalid-key`, `not-found`; `''` when none was given. */
  readonly reason: string;

  constructor(message: string, options: ErrorOptions & { reason?: string } = {}) {
    super(message, options);
    this.reason = options.reason ?? '';
  }
}

/**
 * Thrown form of `requeueAfter(d)`: a success that asks to run the key again after `delay`
 * (ms or a duration string). Validated when it is turned into an outcome.
 */
export class RequeueAfter extends ReconError {
  static override readonly code = 'REQUEUE_AFTER';
  readonly delay: Delay;
  readonly floor: boolean;
  /** Fraction of the delay added at random (0 = none). */
  readonly jitter: number;

  constructor(delay: Delay, options: ErrorOptions & { floor?: boolean; jitter?: number } = {}) {
    super(`requeue after ${String(delay)}`, options);
    this.delay = delay;
    this.floor = options.floor === true;
    this.jitter = options.jitter ?? 0;
  }
}

/** A follow-up key, as a reconciler asks for it. `delay` is ms or a duration string (`'5m'`). */
export interface QueueKeyRequest {
  key: string;
  priority?: number;
  delay?: Delay;
}

/** A bounded queue is full: the key was NOT enqueued. Retry later or shed load upstream. */
export class BackPressureError extends ReconError {
  static override readonly code = 'BACK_PRESSURE';
  readonly key: string;
  readonly limit: number;

  constructor(key: string, options: ErrorOptions & { limit: number }) {
    super(
      `queue is full (${options.limit} keys queued); ${JSON.stringify(key)} was not enqueued`,
      options,
    );
    this.key = key;
    this.limit = options.limit;
  }
}

/** A compare-and-swap lost: the stored version is not the one the caller read. Re-read, retry. */
export class ConflictError extends ReconError {
  static override readonly code = 'CONFLICT';
  readonly expected: number;
  readonly actual: number;

  constructor(what: string, options: ErrorOptions & { expected: number; actual: number }) {
    super(`${what}: expected version ${options.expected}, found ${options.actual}`, options);
    this.expected = options.expected;
    this.actual = options.actual;
  }
}

/** No reconciler is registered for the kind a key names (keys are `kind/uid`). */
export class UnknownKindError extends ReconError {
  static override readonly code = 'UNKNOWN_KIND';
  readonly kind: string;

  constructor(kind: string, options?: ErrorOptions) {
    super(`no reconciler registered for kind ${JSON.stringify(kind)}`, options);
    this.kind = kind;
  }
}
