/**
 * Branded errors: matched with `X.is(err)`, which survives duplicate copies of this package
 * (the brand is a global symbol and a code string, not class identity) and never reads messages.
 */
const codeKey = Symbol.for('recon.error.code');

export class ReconError extends Error {
  static readonly code: string = 'RECON_ERROR';
  readonly [codeKey]: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this[codeKey] = (new.target as typeof ReconError).code;
  }

  get code(): string {
    return this[codeKey];
  }

  /** True when `err` is this class of error (or a subclass with the same code). */
  static is<T>(this: abstract new (...args: never[]) => T, err: unknown): err is T {
    if (typeof err !== 'object' || err === null) return false;
    const code = (err as Record<symbol, unknown>)[codeKey];
    const own = (this as unknown as { code: string }).code;
    return own === ReconError.code ? typeof code === 'string' : code === own;
  }
}

/** Bad input: names the field that is wrong. Nothing was changed. */
export class InvalidArgumentError extends ReconError {
  static override readonly code = 'INVALID_ARGUMENT';
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

export class NotFoundError extends ReconError {
  static override readonly code = 'NOT_FOUND';
}

/**
 * The owner no longer holds the key: its in-progress copy changed or vanished (another owner took
 * it after the lease expired). The owner must stop and touch nothing.
 */
export class LeaseLostError extends ReconError {
  static override readonly code = 'LEASE_LOST';
  readonly key: string;
  constructor(key: string, options?: ErrorOptions) {
    super(`lease on key ${JSON.stringify(key)} was lost`, options);
    this.key = key;
  }
}

/** Storage is unreachable or overloaded; the operation may be retried. */
export class UnavailableError extends ReconError {
  static override readonly code = 'UNAVAILABLE';
}

/** A configuration with problems; lists every one of them. */
export class ConfigError extends ReconError {
  static override readonly code = 'CONFIG';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}
