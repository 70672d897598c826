// Fault injection: errors, latency and dropped connections, drawn from a seeded generator so a
// failing run can be replayed with the same seed.

import { InvalidOptionError } from './errors.ts';

export interface FaultOptions {
  /** Share of API requests (0..1) answered with an error from `errorStatuses`. Default 0. */
  readonly errorRate?: number;
  /** Statuses injected errors use, picked uniformly. Default [429, 503]. */
  readonly errorStatuses?: readonly number[];
  /** Delay added before every API request is handled, in ms. Default 0. */
  readonly latencyMs?: number;
  /**
   * Share of API requests (0..1) whose connection is destroyed without an answer. Default 0.
   * Half of them are dropped before the operation runs, half after it was applied (the answer is
   * lost, as when a network fails on the way back).
   */
  readonly dropRate?: number;
}

export type ResolvedFaults = Required<FaultOptions>;

export type FaultAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly status: number }
  | { readonly kind: 'drop-before' }
  | { readonly kind: 'drop-after' };

export interface FaultDecision {
  readonly latencyMs: number;
  readonly action: FaultAction;
}

const NONE: FaultAction = { kind: 'none' };

/** Validates fault options (`field` names the bad one, prefixed with `path`) and fills defaults. */
export function resolveFaults(f: FaultOptions | undefined, path = 'faults'): ResolvedFaults {
  const rate = (v: number | undefined, name: string): number => {
    const r = v ?? 0;
    if (typeof r !== 'number' || !(r >= 0 && r <= 1)) {
      throw new InvalidOptionError(`${path}.${name}`, `must be a number in 0..1, got ${String(v)}`);
    }
    return r;
  };
  const latencyMs = f?.latencyMs ?? 0;
  if (typeof latencyMs !== 'number' || !(latencyMs >= 0) || !Number.isFinite(latencyMs)) {
    throw new InvalidOptionError(
      `${path}.latencyMs`,
      `must be a number >= 0, got ${String(f?.latencyMs)}`,
    );
  }
  const errorStatuses = f?.errorStatuses ?? [429, 503];
  if (
    !Array.isArray(errorStatuses) ||
    errorStatuses.length === 0 ||
    !errorStatuses.every((s) => Number.isInteger(s) && s >= 400 && s <= 599)
  ) {
    throw new InvalidOptionError(
      `${path}.errorStatuses`,
      'must be a non-empty list of 4xx/5xx statuses',
    );
  }
  return {
    errorRate: rate(f?.errorRate, 'errorRate'),
    errorStatuses: [...errorStatuses],
    latencyMs,
    dropRate: rate(f?.dropRate, 'dropRate'),
  };
}

/** mulberry32: small, fast, good enough to spread faults; deterministic per seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private faults: ResolvedFaults;
  private readonly random: () => number;

  constructor(seed: number, faults?: FaultOptions) {
    this.random = mulberry32(seed);
    this.faults = resolveFaults(faults);
  }

  current(): ResolvedFaults {
    return { ...this.faults, errorStatuses: [...this.faults.errorStatuses] };
  }

  /** Replaces the fault options (fields left out take their defaults). */
  set(faults: FaultOptions): void {
    this.faults = resolveFaults(faults);
  }

  /** Draws the fate of one request. Consumes no randomness while rates are 0. */
  decide(): FaultDecision {
    const { dropRate, errorRate, errorStatuses, latencyMs } = this.faults;
    let action = NONE;
    if (dropRate > 0 && this.random() < dropRate) {
      action = this.random() < 0.5 ? { kind: 'drop-before' } : { kind: 'drop-after' };
    } else if (errorRate > 0 && this.random() < errorRate) {
      const status = errorStatuses[Math.floor(this.random() * errorStatuses.length)] ?? 503;
      action = { kind: 'error', status };
    }
    return { latencyMs, action };
  }
}
