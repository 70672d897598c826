import { InvalidArgumentError } from './errors.ts';

/** Keys are at most this many UTF-8 bytes (GCS object names allow 1024; the prefix needs room). */
export const maxKeyBytes = 1000;
export const minPriority = -2_147_483_648;
export const maxPriority = 2_147_483_647;

// C0 controls, DEL and C1 controls: invisible in logs and UIs, and meaningless in a resource name.
const controlChars = /[\u0000-\u001f\u007f-\u009f]/;

/** Throws InvalidArgumentError (field `key`) unless `key` is a storable key. */
export function validateKey(key: unknown, field = 'key'): string {
  if (typeof key !== 'string') throw new InvalidArgumentError(field, 'must be a string');
  if (key.length === 0) throw new InvalidArgumentError(field, 'must not be empty');
  if (!key.isWellFormed()) throw new InvalidArgumentError(field, 'is not valid UTF-8');
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > maxKeyBytes) {
    throw new InvalidArgumentError(field, `is ${bytes} UTF-8 bytes; the limit is ${maxKeyBytes}`);
  }
  const control = controlChars.exec(key);
  if (control) {
    const code = control[0].codePointAt(0)?.toString(16).padStart(4, '0');
    throw new InvalidArgumentError(
      field,
      `contains control character U+${code} at index ${control.index}`,
    );
  }
  return key;
}

/** Throws InvalidArgumentError (field `priority`) unless a signed 32-bit integer. */
export function validatePriority(priority: unknown, field = 'priority'): number {
  if (typeof priority === 'bigint') priority = Number(priority);
  if (typeof priority !== 'number' || !Number.isInteger(priority)) {
    throw new InvalidArgumentError(field, `must be an integer, got ${String(priority)}`);
  }
  if (priority < minPriority || priority > maxPriority) {
    throw new InvalidArgumentError(
      field,
      `${priority} is outside the signed 32-bit range [${minPriority}, ${maxPriority}]`,
    );
  }
  return priority;
}

/** Throws InvalidArgumentError unless a finite, non-negative number of milliseconds. */
export function validateDelayMs(delayMs: unknown, field = 'delay'): number {
  if (typeof delayMs === 'bigint') delayMs = Number(delayMs);
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs)) {
    throw new InvalidArgumentError(field, `must be a finite number, got ${String(delayMs)}`);
  }
  if (delayMs < 0) throw new InvalidArgumentError(field, `must not be negative, got ${delayMs}`);
  return delayMs;
}
