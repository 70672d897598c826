/**
 * Building and recognising gRPC errors as grpc-js represents them: an Error carrying `code`,
 * `details` and `metadata` (trailers). Servers pass these to the unary callback; clients receive
 * them as call failures.
 */
import { Metadata, status as GrpcCode, type ServiceError } from '@grpc/grpc-js';

/** A gRPC error with `code`, `details` (the status message) and trailers. */
export function grpcError(
  code: GrpcCode,
  details: string,
  metadata = new Metadata(),
): ServiceError {
  return Object.assign(new Error(`${codeName(code)}: ${details}`), { code, details, metadata });
}

/** True for errors that carry a gRPC status (grpc-js call failures and `grpcError`s). */
export function isServiceError(err: unknown): err is ServiceError {
  return (
    err instanceof Error &&
    typeof (err as Partial<ServiceError>).code === 'number' &&
    // Duck-typed, not instanceof: a second copy of grpc-js must not change the answer.
    typeof (err as Partial<ServiceError>).metadata?.get === 'function'
  );
}

/** The canonical name of a status code ("UNAVAILABLE"), or its number when unknown. */
export function codeName(code: number): string {
  return (GrpcCode as unknown as Record<number, string | undefined>)[code] ?? String(code);
}
