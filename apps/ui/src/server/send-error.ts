/** One mapping from thrown errors to HTTP answers: `{ error: { code, message, field? } }`. */
import type { ServerResponse } from 'node:http';
import { InvalidArgumentError, NotFoundError, UnavailableError } from '@recon/core';
import {
  BadBodyError,
  FailedPreconditionError,
  ForbiddenError,
  MethodNotAllowedError,
} from './http-errors.ts';
import { sendJson } from './http-io.ts';

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export function sendError(res: ServerResponse, err: unknown): void {
  const [status, body] = describe(err);
  if (res.headersSent) {
    res.end();
    return;
  }
  if (MethodNotAllowedError.is(err)) res.setHeader('allow', err.allow);
  sendJson(res, status, body);
}

function describe(err: unknown): [number, ErrorBody] {
  const message = err instanceof Error ? err.message : String(err);
  if (InvalidArgumentError.is(err)) {
    return [400, { error: { code: 'INVALID_ARGUMENT', message, field: err.field } }];
  }
  if (ForbiddenError.is(err)) return [403, { error: { code: err.reason, message } }];
  if (FailedPreconditionError.is(err)) {
    return [409, { error: { code: 'FAILED_PRECONDITION', message } }];
  }
  if (NotFoundError.is(err)) return [404, { error: { code: 'NOT_FOUND', message } }];
  if (BadBodyError.is(err)) {
    const code = err.status === 413 ? 'TOO_LARGE' : 'UNSUPPORTED_MEDIA_TYPE';
    return [err.status, { error: { code, message } }];
  }
  if (MethodNotAllowedError.is(err)) {
    return [405, { error: { code: 'METHOD_NOT_ALLOWED', message } }];
  }
  if (UnavailableError.is(err)) return [503, { error: { code: 'UNAVAILABLE', message } }];
  return [500, { error: { code: 'INTERNAL', message } }];
}
