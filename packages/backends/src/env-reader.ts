import { ConfigError, parseDuration } from '@recon/core';

export type Env = Record<string, string | undefined>;

/**
 * Reads environment variables into typed values, collecting every problem instead of stopping at
 * the first, so a misconfigured service says everything that is wrong in one start.
 */
export class EnvReader {
  readonly problems: string[] = [];
  readonly #env: Env;

  constructor(env: Env) {
    this.#env = env;
  }

  string(name: string, fallback?: string): string | undefined {
    const v = this.#env[name]?.trim();
    return v === undefined || v === '' ? fallback : v;
  }

  required(name: string, why: string): string {
    const v = this.string(name);
    if (v === undefined) this.problems.push(`${name} is required ${why}`);
    return v ?? '';
  }

  int(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n)) {
      this.problems.push(`${name} must be an integer, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    if (range.min !== undefined && n < range.min)
      this.problems.push(`${name} must be >= ${range.min}, got ${n}`);
    if (range.max !== undefined && n > range.max)
      this.problems.push(`${name} must be <= ${range.max}, got ${n}`);
    return n;
  }

  /** A duration like `300s`, `5m`, `500ms` (a bare number is seconds). */
  durationMs(name: string, fallbackMs: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallbackMs;
    try {
      const ms = parseDuration(raw, name);
      if (ms <= 0) this.problems.push(`${name} must be > 0, got ${JSON.stringify(raw)}`);
      return ms;
    } catch {
      this.problems.push(
        `${name} must be a duration such as 500ms, 30s, 5m or 2h, got ${JSON.stringify(raw)}`,
      );
      return fallbackMs;
    }
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}`);
    return fallback;
  }

  /** An http(s) URL. */
  url(name: string, options: { required?: string } = {}): string | undefined {
    const raw = options.required ? this.required(name, options.required) : this.string(name);
    if (!raw) return undefined;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      return raw.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be an http:// or https:// URL, got ${JSON.stringify(raw)}`);
      return undefined;
    }
  }

  /** Throws one ConfigError listing every problem, if there are any. */
  done(): void {
    if (this.problems.length) throw new ConfigError(this.problems);
  }
}
