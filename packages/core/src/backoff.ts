export interface BackoffPolicy {
  /** Delay after the first failed attempt. */
  baseMs: number;
  /** Upper bound before jitter. */
  capMs: number;
}

/**
 * The retry delay after `attempts` failed attempts: base × 2^(attempts−1), capped, plus random
 * jitter in [0, delay/2) so a burst of failures does not come back as a burst.
 */
export function backoffDelayMs(
  attempts: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^exponent overflows to Infinity for large exponents; min() still caps it.
  const delay = Math.min(policy.baseMs * 2 ** exponent, policy.capMs);
  return Math.floor(delay + random() * (delay / 2));
}
