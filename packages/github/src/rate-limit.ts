/**
 * GitHub's rate limits, as a delay to requeue after. A reconciler that hits a limit should not
 * burn retries (and backoff) on it: it asks to be run again once the limit resets.
 *
 * - Primary limit: 403 or 429 with `x-ratelimit-remaining: 0`; wait until `x-ratelimit-reset`
 *   (Unix seconds).
 * - Secondary ("abuse") limit: 403 or 429 with `retry-after` (seconds, or an HTTP date).
 * - A 429, or a 403 whose body says "secondary rate limit" or "abuse", without either header:
 *   GitHub's documentation says to wait at least a minute.
 * Errors are read by shape (Octokit's RequestError: `status`, `response.headers`,
 * `response.data.message`), so any copy of Octokit works.
 */
import type { Clock } from '@recon/core';
import { requeueAfter, type RequeueAfterResult } from '@recon/sdk';

export interface GithubRetryDelayOptions {
  /** Random extra delay in [0, maxJitterMs), so many keys do not return at one instant. Default 5 s. */
  maxJitterMs?: number;
  /** The smallest delay returned (covers clock skew against GitHub's reset time). Default 1 s. */
  minDelayMs?: number;
  /** Delay for a secondary limit that names no time. Default 60 s. */
  fallbackMs?: number;
  /** Jitter source. Default Math.random. */
  random?: () => number;
}

interface ErrorShape {
  status?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

/**
 * Milliseconds to wait before trying again when `err` is a GitHub rate-limit or abuse error
 * (reset − now + jitter); `undefined` for any other error.
 */
export function githubRetryDelay(
  err: unknown,
  clock: Clock,
  options: GithubRetryDelayOptions = {},
): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, response } = err as ErrorShape;
  if (status !== 403 && status !== 429) return undefined;
  const headers = lowerCaseKeys(response?.headers ?? {});
  const now = clock.now();
  const base =
    primaryLimitWait(headers, now) ??
    retryAfterWait(headers, now) ??
    (status === 429 || mentionsSecondaryLimit(response?.data)
      ? (options.fallbackMs ?? 60_000)
      : undefined);
  if (base === undefined) return undefined;
  const jitter = Math.floor((options.random ?? Math.random)() * (options.maxJitterMs ?? 5000));
  return Math.max(options.minDelayMs ?? 1000, base) + jitter;
}

/** `requeueAfter(githubRetryDelay(...))` for a rate-limit error; `undefined` for any other. */
export function rateLimitRequeue(
  err: unknown,
  clock: Clock,
  options?: GithubRetryDelayOptions,
): RequeueAfterResult | undefined {
  const ms = githubRetryDelay(err, clock, options);
  return ms === undefined ? undefined : requeueAfter(ms);
}

function primaryLimitWait(headers: Record<string, string>, now: number): number | undefined {
  if (headers['x-ratelimit-remaining'] !== '0') return undefined;
  const reset = Number(headers['x-ratelimit-reset']);
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return reset * 1000 - now;
}

function retryAfterWait(headers: Record<string, string>, now: number): number | undefined {
  const raw = headers['retry-after'];
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : at - now;
}

function mentionsSecondaryLimit(data: unknown): boolean {
  const message =
    typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : data;
  return typeof message === 'string' && /secondary rate limit|abuse/i.test(message);
}

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  }
  return out;
}
