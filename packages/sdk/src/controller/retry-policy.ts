import { ConfigError } from '@recon/core';

/** How a failing key is retried. Every field says its default. */
export interface RetryPolicy {
  /** Delay after the first failure. Default 1 s. */
  baseMs: number;
  /** Delay cap, before jitter. Default 5 min. */
  capMs: number;
  /** Failed attempts before dead-lettering; 0 = unlimited. Default 10. */
  maxAttempts: number;
  /** Random extra delay, as a fraction of the delay: [0, delay × fraction). Default 0.5. */
  jitterFraction: number;
}

export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  baseMs: 1000,
  capMs: 5 * 60_000,
  maxAttempts: 10,
  jitterFraction: 0.5,
});

/** Fills defaults over `base`, listing every problem (ConfigError) under `field`. */
export function resolveRetryPolicy(
  partial: Partial<RetryPolicy> | undefined,
  field = 'retry',
  base: RetryPolicy = defaultRetryPolicy,
): RetryPolicy {
  const p: RetryPolicy = { ...base };
  for (const [k, v] of Object.entries(partial ?? {})) {
    if (v !== undefined) (p as unknown as Record<string, number>)[k] = v;
  }
  const problems: string[] = [];
  if (!(Number.isFinite(p.baseMs) && p.baseMs > 0))
    problems.push(`${field}.baseMs must be > 0, got ${p.baseMs}`);
  if (!(Number.isFinite(p.capMs) && p.capMs >= p.baseMs))
    problems.push(`${field}.capMs must be >= baseMs, got ${p.capMs}`);
  if (!(Number.isInteger(p.maxAttempts) && p.maxAttempts >= 0)) {
    problems.push(`${field}.maxAttempts must be an integer >= 0, got ${p.maxAttempts}`);
  }
  if (!(Number.isFinite(p.jitterFraction) && p.jitterFraction >= 0)) {
    problems.push(`${field}.jitterFraction must be >= 0, got ${p.jitterFraction}`);
  }
  if (problems.length) throw new ConfigError(problems);
  return p;
}

/** base × 2^(failures−1), capped, plus jitter in [0, delay × jitterFraction). */
export function retryDelayMs(
  failures: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const delay = Math.min(policy.baseMs * 2 ** Math.max(0, failures - 1), policy.capMs);
  return Math.floor(delay + random() * policy.jitterFraction * delay);
}

/** True when a failure on attempt `attempt` (1-based) exhausts the policy. */
export function isExhausted(attempt: number, policy: RetryPolicy): boolean {
  return policy.maxAttempts > 0 && attempt >= policy.maxAttempts;
}

/** The default policy and the per-source ones, resolved once. */
export class RetryPolicies {
  readonly #default: RetryPolicy;
  readonly #bySource = new Map<string, RetryPolicy>();

  constructor(
    base: Partial<RetryPolicy> | undefined,
    sources: Record<string, Partial<RetryPolicy>> = {},
  ) {
    this.#default = resolveRetryPolicy(base);
    for (const [name, partial] of Object.entries(sources)) {
      this.#bySource.set(name, resolveRetryPolicy(partial, `sources.${name}`, this.#default));
    }
  }

  /** The policy of `source`; the default one for unknown sources. */
  of(source: string): RetryPolicy {
    return this.#bySource.get(source) ?? this.#default;
  }
}
