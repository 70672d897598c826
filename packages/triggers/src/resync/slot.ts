import { createHash } from 'node:crypto';

export const minuteMs = 60_000;

/** The period that contains `at`, aligned to the Unix epoch: `[start, start + periodMs)`. */
export function periodStartOf(at: number, periodMs: number): number {
  return Math.floor(at / periodMs) * periodMs;
}

/**
 * A key's minute within its period: sha256(`${periodStart}:${key}`) mod the period's minutes.
 * Stable within a period (every replica and every run agrees), reshuffled each period so two
 * keys that collide once do not collide forever.
 */
export function minuteOfPeriod(key: string, periodStart: number, periodMs: number): number {
  const minutes = BigInt(Math.max(1, Math.floor(periodMs / minuteMs)));
  const digest = createHash('sha256').update(`${periodStart}:${key}`).digest();
  return Number(digest.readBigUInt64BE(0) % minutes);
}
