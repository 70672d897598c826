/**
 * Failures the UI API answers with a status of their own. Core's InvalidArgumentError (400, the
 * field named) and NotFoundError (404) are mapped beside these in `send-error.ts`.
 */
import { ReconError } from '@recon/core';

/** The request is well formed but the key is not in a state the action needs (409). */
export class FailedPreconditionError extends ReconError {
  static override readonly code = 'FAILED_PRECONDITION';
}

/** Writes refused: read-only mode, or the write guard (CSRF) failed (403). */
export class ForbiddenError extends ReconError {
  static override readonly code = 'FORBIDDEN';
  /** `READ_ONLY` or `CSRF`. */
  readonly reason: 'READ_ONLY' | 'CSRF';
  constructor(reason: 'READ_ONLY' | 'CSRF', message: string) {
    super(message);
    this.reason = reason;
  }
}

/** The body is not JSON (415) or too large (413). */
export class BadBodyError extends ReconError {
  static override readonly code = 'BAD_BODY';
  readonly status: 413 | 415;
  constructor(status: 413 | 415, message: string) {
    super(message);
    this.status = status;
  }
}

/** The path exists but not for this method (405). */
export class MethodNotAllowedError extends ReconError {
  static override readonly code = 'METHOD_NOT_ALLOWED';
  readonly allow: string;
  constructor(allow: string) {
    super(`use ${allow}`);
    this.allow = allow;
  }
}
