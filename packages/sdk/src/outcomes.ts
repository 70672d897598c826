/**
 * What a reconcile returns. Level-based: the result says what to do with the KEY next, never
 * what happened to one event.
 *
 * - `done()` (or returning nothing): the world matches the spec; forget the key until it changes.
 * - `requeueAfter(d)`: look again after `d` (polling); attempts reset, so it never dead-letters.
 * - `queueKeys([...])`: done, and enqueue these related keys first.
 * - `nonRetriable(err, reason)`: retrying cannot help; drop the key (recorded as `dropped`).
 * - any thrown error: retry with backoff, until the dead-letter queue.
 *
 * Every result may also be thrown (`throw requeueAfter('1m')`), as may the error classes
 * `RequeueAfter`, `QueueKeys` and `NonRetriableError`.
 */
import { InvalidArgumentError, validateKey, validatePriority } from '@recon/core';
import { type Delay, delayToMs } from './delay.ts';
import { NonRetriableError, type QueueKeyRequest } from './errors.ts';

const resultBrand = Symbol.for('recon.sdk.result');

export interface DoneResult {
  readonly kind: 'done';
}

export interface RequeueAfterResult {
  readonly kind: 'requeue-after';
  readonly delayMs: number;
  /** A floor: a plain enqueue cannot pull the key earlier (clamped to 1 h by the queue). */
  readonly floor: boolean;
  /** Fraction of `delayMs` added at random when the outcome is built (0 = none). */
  readonly jitter: number;
}

export interface FollowUp {
  readonly key: string;
  readonly priority: number;
  readonly delayMs: number;
}

export interface QueueKeysResult {
  readonly kind: 'queue-keys';
  readonly keys: readonly FollowUp[];
}

/** Everything a reconciler may return (or throw). Returning `undefined` means `done()`. */
export type Result = DoneResult | RequeueAfterResult | QueueKeysResult | NonRetriableError;

function brand<T extends object>(value: T): T {
  Object.defineProperty(value, resultBrand, { value: true, enumerable: false });
  return Object.freeze(value);
}

/** True for a value made by `done()`, `requeueAfter()` or `queueKeys()`. */
export function isResultValue(
  value: unknown,
): value is DoneResult | RequeueAfterResult | QueueKeysResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[resultBrand] === true
  );
}

export function done(): DoneResult {
  return brand({ kind: 'done' as const });
}

export interface RequeueAfterOptions {
  /** The delay is a floor that a plain enqueue cannot undercut. Default false. */
  floor?: boolean;
  /** Adds `random() × jitter × delay` (e.g. 0.1 = up to 10 % later) so revisits spread. Default 0. */
  jitter?: number;
}

/** Success; run the key again after `delay` (ms or `'5m'`). A delay below 1 s is still a requeue. */
export function requeueAfter(delay: Delay, options: RequeueAfterOptions = {}): RequeueAfterResult {
  const jitter = options.jitter ?? 0;
  if (!(Number.isFinite(jitter) && jitter >= 0)) {
    throw new InvalidArgumentError('jitter', `must be a number >= 0, got ${String(jitter)}`);
  }
  return brand({
    kind: 'requeue-after' as const,
    delayMs: delayToMs(delay),
    floor: options.floor === true,
    jitter,
  });
}

/** Validates follow-up requests into FollowUps (InvalidArgumentError naming the bad field). */
export function toFollowUps(keys: readonly QueueKeyRequest[]): FollowUp[] {
  return keys.map((k, i) => ({
    key: validateKey(k.key, `keys[${i}].key`),
    priority: validatePriority(k.priority ?? 0, `keys[${i}].priority`),
    delayMs: k.delay === undefined ? 0 : delayToMs(k.delay, `keys[${i}].delay`),
  }));
}

/** Success; enqueue these keys before this one completes (if one fails, this key is retried). */
export function queueKeys(keys: readonly QueueKeyRequest[]): QueueKeysResult {
  return brand({ kind: 'queue-keys' as const, keys: Object.freeze(toFollowUps(keys)) });
}

/** Give up on this key: retrying cannot help. `err` is kept as the cause. */
export function nonRetriable(err: unknown, reason = ''): NonRetriableError {
  if (NonRetriableError.is(err) && reason === '') return err;
  return new NonRetriableError(messageOf(err), { reason, cause: err });
}

/** A message for any thrown value: an Error's message, a string as is, anything else as JSON. */
export function messageOf(value: unknown): string {
  if (value instanceof Error) return value.message || value.name;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  ) {
    return (value as { message: string }).message;
  }
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
