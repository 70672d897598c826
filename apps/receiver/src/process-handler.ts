/**
 * `Process` on the receiver: a validated enqueue. Bad input is rejected before the queue is
 * touched (nothing stored); the queue either stores the key or throws (nothing half-written: a
 * backend's enqueue is one create-or-merge), and only a stored key is counted.
 */
import type { EnqueuePort, EnqueueResult } from '@recon/core';
import type { Logger } from '@recon/observability';
import {
  ProcessResponse,
  type Checked,
  type ProcessRequest,
  type UnaryContext,
} from '@recon/proto';
import { toEnqueue } from './enqueue-request.ts';
import type { ReceiverMetrics } from './receiver-metrics.ts';

export interface ProcessHandlerDeps {
  queue: EnqueuePort;
  metrics: ReceiverMetrics;
  logger: Logger;
  onEnqueue?: (event: { key: string; result: EnqueueResult }) => void;
}

export function createProcessHandler(deps: ProcessHandlerDeps) {
  return async (
    request: Checked<ProcessRequest>,
    context: UnaryContext,
  ): Promise<ProcessResponse> => {
    if (!request.ok) throw request.error;
    const enqueue = toEnqueue(request.message);
    let result: EnqueueResult;
    try {
      result = await deps.queue.enqueue(enqueue, context.signal);
    } catch (err) {
      deps.logger.warn('enqueue failed', { key: enqueue.key, error: err });
      throw err;
    }
    deps.metrics.recordEnqueue(result);
    deps.onEnqueue?.({ key: enqueue.key, result });
    return ProcessResponse.create();
  };
}
