// Errors of this package. Classes carry a brand so `X.is(err)` works across duplicate copies of
// the module, and callers never match on message text.

const HTTP_ERROR = Symbol.for('@recon/gcs-emulator/HttpError');
const INVALID_OPTION = Symbol.for('@recon/gcs-emulator/InvalidOptionError');

/** The `reason` GCS puts in `error.errors[0].reason`. */
export type GcsReason =
  | 'invalid'
  | 'required'
  | 'badRequest'
  | 'notFound'
  | 'conflict'
  | 'conditionNotMet'
  | 'notModified'
  | 'methodNotAllowed'
  | 'rateLimitExceeded'
  | 'backendError'
  | 'internalError';

/** A request the emulator answers with a GCS-shaped JSON error. */
export class HttpError extends Error {
  readonly [HTTP_ERROR] = true;
  readonly status: number;
  readonly reason: GcsReason;

  constructor(status: number, reason: GcsReason, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.reason = reason;
  }

  static is(err: unknown): err is HttpError {
    return typeof err === 'object' && err !== null && HTTP_ERROR in err;
  }

  /** The body GCS sends: `{"error":{"code","message","errors":[{domain,reason,message}]}}`. */
  toBody(): object {
    return errorBody(this.status, this.reason, this.message);
  }
}

export function errorBody(status: number, reason: GcsReason, message: string): object {
  return { error: { code: status, message, errors: [{ domain: 'global', reason, message }] } };
}

export const badRequest = (message: string): HttpError => new HttpError(400, 'invalid', message);
export const notFound = (message: string): HttpError => new HttpError(404, 'notFound', message);
export const conditionNotMet = (message: string): HttpError =>
  new HttpError(412, 'conditionNotMet', message);

/** An option passed to the emulator (library or CLI) is out of range; `field` names it. */
export class InvalidOptionError extends Error {
  readonly [INVALID_OPTION] = true;
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'InvalidOptionError';
    this.field = field;
  }

  static is(err: unknown): err is InvalidOptionError {
    return typeof err === 'object' && err !== null && INVALID_OPTION in err;
  }
}

const CLI_USAGE = Symbol.for('@recon/gcs-emulator/CliUsageError');

/** Bad command-line arguments or environment; `problems` lists every one found. */
export class CliUsageError extends Error {
  readonly [CLI_USAGE] = true;
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid arguments:\n  ${problems.join('\n  ')}`);
    this.name = 'CliUsageError';
    this.problems = problems;
  }

  static is(err: unknown): err is CliUsageError {
    return typeof err === 'object' && err !== null && CLI_USAGE in err;
  }
}
