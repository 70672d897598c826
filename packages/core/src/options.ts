import { ConfigError } from './errors.ts';

/** Queue semantics every backend and dispatcher shares. Every field says its default. */
export interface WorkqueueOptions {
  /** How long an owner holds a key without renewing. Default 15 min. */
  leaseMs: number;
  /** How often an owner renews its lease. Default 5 min. */
  heartbeatMs: number;
  /** Retry delay after the first failure. Default 30 s. */
  backoffBaseMs: number;
  /** Retry delay cap (before jitter). Default 10 min. */
  backoffCapMs: number;
  /** Failed attempts before dead-lettering; 0 = unlimited. Default 100. */
  maxRetry: number;
  /** A requeue floor is clamped to this. Default 1 h. */
  floorClampMs: number;
}

export const defaultWorkqueueOptions: Readonly<WorkqueueOptions> = Object.freeze({
  leaseMs: 15 * 60_000,
  heartbeatMs: 5 * 60_000,
  backoffBaseMs: 30_000,
  backoffCapMs: 10 * 60_000,
  maxRetry: 100,
  floorClampMs: 60 * 60_000,
});

/** Fills defaults and checks the result, listing every problem at once. */
export function resolveWorkqueueOptions(partial: Partial<WorkqueueOptions> = {}): WorkqueueOptions {
  const o: WorkqueueOptions = { ...defaultWorkqueueOptions };
  for (const [k, v] of Object.entries(partial)) {
    if (v !== undefined) (o as unknown as Record<string, number>)[k] = v;
  }
  const problems: string[] = [];
  const positive = (name: keyof WorkqueueOptions) => {
    if (!(Number.isFinite(o[name]) && o[name] > 0))
      problems.push(`${name} must be > 0, got ${o[name]}`);
  };
  positive('leaseMs');
  positive('heartbeatMs');
  positive('backoffBaseMs');
  positive('backoffCapMs');
  positive('floorClampMs');
  if (!(Number.isInteger(o.maxRetry) && o.maxRetry >= 0)) {
    problems.push(`maxRetry must be an integer >= 0, got ${o.maxRetry}`);
  }
  if (o.heartbeatMs >= o.leaseMs) {
    problems.push(`heartbeatMs (${o.heartbeatMs}) must be shorter than leaseMs (${o.leaseMs})`);
  }
  if (o.backoffCapMs < o.backoffBaseMs) {
    problems.push(`backoffCapMs (${o.backoffCapMs}) must be >= backoffBaseMs (${o.backoffBaseMs})`);
  }
  if (problems.length) throw new ConfigError(problems);
  return o;
}
