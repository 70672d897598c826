/**
 * Dispatcher side: what a reconciler's gRPC reply means for the key. This is the only place that
 * reads a reconciler's status codes and details, and it follows the Go dispatcher:
 *
 * - OK with `requeue_after_ms` > 0 (ext) → requeue-after that many ms; otherwise OK with
 *   `requeue_after_seconds` > 0 → requeue-after; `queue_keys` is ignored when requeueing.
 * - OK otherwise → success, with `queue_keys` as follow-ups.
 * - A failure whose status details hold NoRetryDetails → non-retriable, with its message.
 * - Any other failure — INVALID_ARGUMENT included, UNAVAILABLE, DEADLINE_EXCEEDED — → error
 *   (retried with backoff).
 */
import type { ServiceError } from '@grpc/grpc-js';
import type { FollowUpKey, Outcome } from '@recon/core';
import { codeName } from './grpc-error.ts';
import { findStatusDetail } from './status-details.ts';
import {
  messageNames,
  NoRetryDetails,
  type ProcessResponse,
  type QueueKeyRequest,
} from './wire.ts';

export interface ProcessResult {
  response?: ProcessResponse | null;
  error?: ServiceError | null;
}

export function grpcResultToOutcome(result: ProcessResult): Outcome {
  const { error, response } = result;
  if (error) return errorToOutcome(error);
  if (!response)
    return { kind: 'error', message: 'reconciler returned neither a response nor an error' };
  if (response.requeueAfterMs > 0) {
    return {
      kind: 'requeue-after',
      delayMs: response.requeueAfterMs,
      floor: response.requeueFloor,
    };
  }
  if (response.requeueAfterSeconds > 0) {
    return {
      kind: 'requeue-after',
      delayMs: response.requeueAfterSeconds * 1000,
      floor: response.requeueFloor,
    };
  }
  if (response.queueKeys.length === 0) return { kind: 'success' };
  return { kind: 'success', followUps: response.queueKeys.map(toFollowUp) };
}

function errorToOutcome(error: ServiceError): Outcome {
  const noRetry = findStatusDetail(error.metadata, messageNames.noRetryDetails, NoRetryDetails);
  if (noRetry) return { kind: 'non-retriable', message: noRetry.message || error.details };
  return { kind: 'error', message: `${codeName(error.code)}: ${error.details}` };
}

function toFollowUp(queueKey: QueueKeyRequest): FollowUpKey {
  const followUp: FollowUpKey = { key: queueKey.key, priority: queueKey.priority };
  if (queueKey.delaySeconds > 0) followUp.delayMs = queueKey.delaySeconds * 1000;
  return followUp;
}
