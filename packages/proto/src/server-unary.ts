/**
 * grpc-js unary handlers from async functions: the call's cancellation becomes an AbortSignal,
 * and a thrown error becomes a status through the caller's one mapping function.
 */
import type { handleUnaryCall, Metadata, ServerUnaryCall, ServiceError } from '@grpc/grpc-js';

export interface UnaryContext {
  /** Aborted when the client cancels or its deadline passes. */
  signal: AbortSignal;
  /** The call's request metadata. */
  metadata: Metadata;
  /** The client's deadline (Unix ms), Infinity when it set none. */
  deadline: number;
}

export function unaryHandler<Req, Res>(
  handle: (request: Req, context: UnaryContext) => Promise<Res>,
  toStatus: (err: unknown) => ServiceError,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const controller = new AbortController();
    call.on('cancelled', () => controller.abort());
    const context: UnaryContext = {
      signal: controller.signal,
      metadata: call.metadata,
      deadline: deadlineMs(call),
    };
    handle(call.request, context).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toStatus(err)),
    );
  };
}

function deadlineMs(call: ServerUnaryCall<unknown, unknown>): number {
  const deadline = call.getDeadline();
  return deadline instanceof Date ? deadline.getTime() : deadline;
}
