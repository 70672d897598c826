import { InvalidArgumentError, parseDuration } from '@recon/core';

/** A delay as a reconciler writes it: milliseconds, or a duration string such as `'5m'`. */
export type Delay = number | string;

/** Milliseconds from a number or a duration string; InvalidArgumentError naming `field` otherwise. */
export function delayToMs(delay: Delay, field = 'delay'): number {
  const ms = typeof delay === 'string' ? parseDuration(delay, field) : delay;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new InvalidArgumentError(
      field,
      `must be a finite number of ms or a duration, got ${String(delay)}`,
    );
  }
  if (ms < 0) throw new InvalidArgumentError(field, `must not be negative, got ${String(delay)}`);
  return ms;
}
