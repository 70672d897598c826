/**
 * Reconciler side (the SDK's `serve`): an attempt's Outcome becomes the gRPC reply a dispatcher —
 * ours or Go's — understands. This is the only place that decides that mapping.
 *
 * - success → OK, follow-ups in `queue_keys` (their delays rounded up to whole seconds: the field
 *   has no finer unit, and rounding down could run a key early).
 * - requeue-after → OK with `requeue_after_ms` (exact, ext) AND `requeue_after_seconds` rounded
 *   up to at least 1, so a Go dispatcher still requeues a sub-second delay instead of completing
 *   the key; `requeue_floor` carries the floor flag.
 * - non-retriable → an error whose status details hold NoRetryDetails (what Go's
 *   `NonRetriableError` sends; its code is UNKNOWN there too, as for any plain Go error).
 * - error → UNKNOWN with the message: every status but NoRetryDetails is retried.
 * - shutdown → UNAVAILABLE. A serving SDK should answer a drain with a requeue-after instead
 *   (spec 04); this branch only keeps the mapping total.
 */
import { status as GrpcCode, type ServiceError } from '@grpc/grpc-js';
import type { FollowUpKey, Outcome } from '@recon/core';
import { grpcError } from './grpc-error.ts';
import { packAny, statusDetailsMetadata } from './status-details.ts';
import { messageNames, NoRetryDetails, ProcessResponse, type QueueKeyRequest } from './wire.ts';

export type ReconcilerReply =
  { response: ProcessResponse; error?: undefined } | { error: ServiceError; response?: undefined };

export function outcomeToGrpc(outcome: Outcome): ReconcilerReply {
  switch (outcome.kind) {
    case 'success':
      return {
        response: {
          ...ProcessResponse.create(),
          queueKeys: (outcome.followUps ?? []).map(toQueueKey),
        },
      };
    case 'requeue-after': {
      const delayMs = Number.isFinite(outcome.delayMs) ? Math.max(0, outcome.delayMs) : 0;
      return {
        response: {
          ...ProcessResponse.create(),
          // ≥ 1 so that "at once" still reads as a requeue, never as success.
          requeueAfterMs: Math.max(1, Math.ceil(delayMs)),
          requeueAfterSeconds: Math.max(1, Math.ceil(delayMs / 1000)),
          requeueFloor: outcome.floor,
        },
      };
    }
    case 'non-retriable':
      return { error: nonRetriableError(outcome.message) };
    case 'error':
      return { error: grpcError(GrpcCode.UNKNOWN, outcome.message || 'reconcile failed') };
    case 'shutdown':
      return { error: grpcError(GrpcCode.UNAVAILABLE, 'reconciler is shutting down') };
  }
}

/**
 * An UNKNOWN status whose `grpc-status-details-bin` is a google.rpc.Status with the same code and
 * message and one Any holding NoRetryDetails{message}.
 */
export function nonRetriableError(message: string): ServiceError {
  const code = GrpcCode.UNKNOWN;
  const details = [packAny(messageNames.noRetryDetails, NoRetryDetails, { message })];
  return grpcError(code, message, statusDetailsMetadata({ code, message, details }));
}

function toQueueKey(followUp: FollowUpKey): QueueKeyRequest {
  const delayMs = followUp.delayMs ?? 0;
  return {
    key: followUp.key,
    priority: followUp.priority ?? 0,
    delaySeconds: delayMs > 0 ? Math.ceil(delayMs / 1000) : 0,
  };
}
