/**
 * A real gRPC WorkqueueService receiver on 127.0.0.1:0 in front of any EnqueuePort (a
 * MemoryBackend in these tests), mapping errors with @recon/proto's receiver status mapping, as
 * the deployed receiver does. `down = true` makes every call fail UNAVAILABLE.
 */
import { Server, ServerCredentials, status as GrpcCode } from '@grpc/grpc-js';
import { InvalidArgumentError, validateEnqueue, type EnqueuePort } from '@recon/core';
import {
  grpcError,
  KeyState,
  KeyState_Status,
  ProcessResponse,
  toReceiverStatus,
  unaryHandler,
  WorkqueueServiceService,
  type GetKeyStateRequest,
  type ProcessRequest,
} from '@recon/proto';

export interface TestReceiver {
  url: string;
  down: boolean;
  /** Keys the receiver answers INVALID_ARGUMENT for (as if its validation were stricter). */
  rejectKey: (key: string) => boolean;
  calls: number;
  close(): Promise<void>;
}

export async function startTestReceiver(queue: EnqueuePort): Promise<TestReceiver> {
  const server = new Server();
  const receiver: TestReceiver = {
    url: '',
    down: false,
    rejectKey: () => false,
    calls: 0,
    close: async () => {},
  };
  server.addService(WorkqueueServiceService, {
    process: unaryHandler<ProcessRequest, ProcessResponse>(async (request, context) => {
      receiver.calls++;
      if (receiver.down) throw grpcError(GrpcCode.UNAVAILABLE, 'receiver is down');
      if (receiver.rejectKey(request.key))
        throw new InvalidArgumentError('key', 'rejected by the receiver');
      const valid = validateEnqueue({
        key: request.key,
        priority: request.priority,
        delayMs: request.delaySeconds * 1000,
      });
      await queue.enqueue(valid, context.signal);
      return ProcessResponse.create();
    }, toReceiverStatus),
    getKeyState: unaryHandler<GetKeyStateRequest, KeyState>(async (request, context) => {
      const view = await queue.getKeyState(request.key, context.signal);
      if (!view) throw grpcError(GrpcCode.NOT_FOUND, 'unknown key');
      return {
        ...KeyState.create(),
        key: view.key,
        status: KeyState_Status[view.status],
        priority: view.priority,
        attempts: view.attempts,
        queuedTime: Math.floor(view.queuedAt / 1000),
        notBeforeTime: Math.floor(view.notBefore / 1000),
      };
    }, toReceiverStatus),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  receiver.url = `http://127.0.0.1:${port}`;
  receiver.close = () => new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  return receiver;
}
