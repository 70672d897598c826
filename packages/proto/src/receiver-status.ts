/**
 * Receiver side (also the router's own rejections): our branded errors become gRPC statuses. The
 * only place that decides them.
 *
 * - InvalidArgumentError → INVALID_ARGUMENT; the message names the field, and a
 *   google.rpc.BadRequest detail names it again as data, so clients never parse text.
 * - NotFoundError → NOT_FOUND.
 * - An aborted call → CANCELLED (the caller went away; nothing to retry for it).
 * - An error that already is a gRPC status → unchanged (the router forwards shards' answers).
 * - UnavailableError and every other failure (storage unreachable, throttled, a bug) →
 *   UNAVAILABLE: enqueue is idempotent, so the caller's retry is always safe and never loses a key.
 */
import { status as GrpcCode, type ServiceError } from '@grpc/grpc-js';
import { InvalidArgumentError, NotFoundError, UnavailableError } from '@recon/core';
import { grpcError, isServiceError } from './grpc-error.ts';
import { packAny, statusDetailsMetadata } from './status-details.ts';
import { BadRequest, messageNames } from './wire.ts';

export function toReceiverStatus(err: unknown): ServiceError {
  // Already a status (a shard's answer the router forwards): unchanged, details and all.
  if (isServiceError(err)) return err;
  if (InvalidArgumentError.is(err)) return invalidArgument(err);
  if (NotFoundError.is(err)) return grpcError(GrpcCode.NOT_FOUND, err.message);
  if (isAbort(err)) return grpcError(GrpcCode.CANCELLED, 'the call was cancelled');
  if (UnavailableError.is(err)) return grpcError(GrpcCode.UNAVAILABLE, err.message);
  const message = err instanceof Error ? err.message : String(err);
  return grpcError(GrpcCode.UNAVAILABLE, `storage failed: ${message}`);
}

function invalidArgument(err: InvalidArgumentError): ServiceError {
  const code = GrpcCode.INVALID_ARGUMENT;
  const prefix = `${err.field}: `;
  const description = err.message.startsWith(prefix)
    ? err.message.slice(prefix.length)
    : err.message;
  const badRequest = { fieldViolations: [{ field: err.field, description }] };
  const details = [packAny(messageNames.badRequest, BadRequest, badRequest)];
  return grpcError(
    code,
    err.message,
    statusDetailsMetadata({ code, message: err.message, details }),
  );
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}
