import { ReconError } from '@recon/core';

/** gRPC's UNKNOWN, the code when none is given. */
const unknownCode = 2;

/**
 * A gRPC failure with no more specific meaning for a workqueue client (not INVALID_ARGUMENT,
 * NOT_FOUND or UNAVAILABLE). Keeps the status code; the original ServiceError is the `cause`.
 */
export class WorkqueueRpcError extends ReconError {
  static override readonly code = 'WORKQUEUE_RPC';
  /** The gRPC status code. */
  readonly grpcCode: number;
  constructor(message: string, options?: ErrorOptions & { grpcCode?: number }) {
    super(message, options);
    this.grpcCode = options?.grpcCode ?? unknownCode;
  }
}
