/**
 * Client side: a receiver's gRPC status becomes one of our branded errors, the reverse of
 * receiver-status.ts. The only place that decides that mapping.
 *
 * - INVALID_ARGUMENT → InvalidArgumentError, its field read from the google.rpc.BadRequest detail
 *   (`request` when a peer, such as the Go receiver, sent none).
 * - NOT_FOUND → NotFoundError.
 * - UNAVAILABLE → UnavailableError (retriable).
 * - anything else → WorkqueueRpcError with the code.
 * The ServiceError is kept as `cause`. Errors that are not gRPC errors are returned unchanged.
 */
import { status as GrpcCode } from '@grpc/grpc-js';
import { InvalidArgumentError, NotFoundError, UnavailableError } from '@recon/core';
import { WorkqueueRpcError } from './errors.ts';
import { codeName, isServiceError } from './grpc-error.ts';
import { findStatusDetail } from './status-details.ts';
import { BadRequest, messageNames } from './wire.ts';

export function fromGrpcError(err: unknown): unknown {
  if (!isServiceError(err)) return err;
  const options = { cause: err };
  switch (err.code) {
    case GrpcCode.INVALID_ARGUMENT: {
      const badRequest = findStatusDetail(err.metadata, messageNames.badRequest, BadRequest);
      const violation = badRequest?.fieldViolations[0];
      const invalid = violation
        ? new InvalidArgumentError(violation.field, violation.description)
        : new InvalidArgumentError('request', err.details);
      return Object.assign(invalid, options);
    }
    case GrpcCode.NOT_FOUND:
      return new NotFoundError(err.details, options);
    case GrpcCode.UNAVAILABLE:
      return new UnavailableError(err.details, options);
    default:
      return new WorkqueueRpcError(`${codeName(err.code)}: ${err.details}`, {
        ...options,
        grpcCode: err.code,
      });
  }
}

/** True when a failed call may be repeated as is: the server could not be reached or was busy. */
export function isRetriableStatus(err: unknown): boolean {
  return isServiceError(err) && err.code === GrpcCode.UNAVAILABLE;
}
