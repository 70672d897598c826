/**
 * The real receiver on a GcsBackend, and a gRPC client for it built from the proto package: the
 * tests enqueue through `Process` and observe keys through `GetKeyState`, as a caller would.
 */
import { status as GrpcCode, type ServiceError } from '@grpc/grpc-js';
import type { EnqueuePort } from '@recon/core';
import { silentLogger } from '@recon/observability';
import {
  createWorkqueueClient,
  KeyState_Status,
  type KeyState,
  type WorkqueueClient,
} from '@recon/proto';
import { startReceiver, type Receiver } from '@recon/receiver';

export interface TestReceiver {
  receiver: Receiver;
  client: WorkqueueClient;
  /** Enqueue through the receiver's Process (retrying UNAVAILABLE, as callers do). */
  enqueue(key: string, options?: { priority?: number; delaySeconds?: number }): Promise<void>;
  /** GetKeyState; 'NOT_FOUND' when the receiver answers NOT_FOUND. */
  state(key: string): Promise<KeyState | 'NOT_FOUND'>;
  close(): Promise<void>;
}

export async function startTestReceiver(queue: EnqueuePort): Promise<TestReceiver> {
  const receiver = await startReceiver({ queue, port: 0, host: '127.0.0.1', logger: silentLogger });
  const client = createWorkqueueClient(`http://127.0.0.1:${receiver.port}`, {
    enqueueAttempts: 10,
    retryBaseMs: 20,
  });
  return {
    receiver,
    client,
    enqueue: (key, options = {}) => client.enqueue({ key, ...options }),
    async state(key) {
      try {
        return await client.getKeyState({ key });
      } catch (err) {
        if ((err as ServiceError).code === GrpcCode.NOT_FOUND) return 'NOT_FOUND';
        throw err;
      }
    },
    async close() {
      client.close();
      await receiver.close();
    },
  };
}

export const Status = KeyState_Status;
