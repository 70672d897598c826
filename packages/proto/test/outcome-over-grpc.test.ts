import type { ServiceError } from '@grpc/grpc-js';
import type { Outcome } from '@recon/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkqueueClient,
  grpcResultToOutcome,
  isServiceError,
  KeyState,
  outcomeToGrpc,
  WorkqueueServiceService,
  type ProcessResult,
  type WorkqueueClient,
} from '../src/index.ts';
import { startServer, type TestServer } from './grpc-harness.ts';

/**
 * A reconciler answering with outcomeToGrpc, a dispatcher reading with grpcResultToOutcome, and
 * real grpc-js in between: status details must survive the trailers.
 */
describe('outcomes across a real gRPC call', () => {
  let server: TestServer;
  let client: WorkqueueClient;
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    server = await startServer(WorkqueueServiceService, {
      process: (
        call: { request: { key: string } },
        callback: (e: ServiceError | null, r?: unknown) => void,
      ) => {
        const reply = outcomeToGrpc(outcomes.get(call.request.key) ?? { kind: 'success' });
        if (reply.error) callback(reply.error);
        else callback(null, reply.response);
      },
      getKeyState: (_call: unknown, callback: (e: null, r: KeyState) => void) =>
        callback(null, KeyState.create()),
    });
    client = createWorkqueueClient(`http://${server.address}`);
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  async function roundTrip(outcome: Outcome): Promise<Outcome> {
    const key = `k${outcomes.size}`;
    outcomes.set(key, outcome);
    const result: ProcessResult = await client.process({ key }).then(
      (response) => ({ response }),
      (error: unknown) => {
        if (!isServiceError(error)) throw error;
        return { error };
      },
    );
    return grpcResultToOutcome(result);
  }

  it.each<Outcome>([
    { kind: 'success' },
    { kind: 'success', followUps: [{ key: 'next', priority: 10, delayMs: 5000 }] },
    { kind: 'requeue-after', delayMs: 300, floor: false },
    { kind: 'requeue-after', delayMs: 3_600_000, floor: true },
    { kind: 'non-retriable', message: 'the repository was deleted' },
  ])('%o arrives as sent', async (outcome) => {
    expect(await roundTrip(outcome)).toEqual(outcome);
  });

  it('an error arrives as a retriable error with its message', async () => {
    expect(await roundTrip({ kind: 'error', message: 'rate limited' })).toEqual({
      kind: 'error',
      message: 'UNKNOWN: rate limited',
    });
  });
});
