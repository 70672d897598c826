/**
 * The wire types, re-exported from the generated code so nothing imports `gen/` by path. The
 * google.rpc Status is renamed RpcStatus: "Status" alone reads as the gRPC status code enum.
 */
export {
  GetKeyStateRequest,
  KeyState,
  KeyState_Status,
  NoRetryDetails,
  ProcessRequest,
  ProcessResponse,
  QueueKeyRequest,
  WorkqueueServiceClient,
  WorkqueueServiceService,
} from './gen/chainguard/workqueue/workqueue.ts';
export type { WorkqueueServiceServer } from './gen/chainguard/workqueue/workqueue.ts';
export { Any } from './gen/google/protobuf/any.ts';
export { BadRequest, BadRequest_FieldViolation } from './gen/google/rpc/error_details.ts';
export { Status as RpcStatus } from './gen/google/rpc/status.ts';

/** Fully qualified protobuf names of the messages carried as status details. */
export const messageNames = {
  noRetryDetails: 'chainguard.workqueue.NoRetryDetails',
  badRequest: 'google.rpc.BadRequest',
} as const;
