/**
 * A ProcessRequest as an enqueue, validated with the field names a caller sees on the wire
 * (`key`, `priority`, `delay_seconds`), so INVALID_ARGUMENT names the proto field.
 */
import {
  InvalidArgumentError,
  validateEnqueue,
  validateKey,
  validatePriority,
  type ValidEnqueue,
} from '@recon/core';
import type { ProcessRequest } from '@recon/proto';

export function toEnqueue(request: ProcessRequest): ValidEnqueue {
  validateKey(request.key, 'key');
  validatePriority(request.priority, 'priority');
  if (request.delaySeconds < 0) {
    throw new InvalidArgumentError(
      'delay_seconds',
      `must not be negative, got ${request.delaySeconds}`,
    );
  }
  return validateEnqueue({
    key: request.key,
    priority: request.priority,
    delayMs: request.delaySeconds * 1000,
  });
}
