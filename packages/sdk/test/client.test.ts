/** WorkqueueClient against a receiver stand-in: a real grpc-js server on a loopback port. */
import { Server, ServerCredentials, status as GrpcCode } from '@grpc/grpc-js';
import { ReconError, UnavailableError } from '@recon/core';
import {
  grpcError,
  KeyState,
  KeyState_Status,
  type ProcessRequest,
  WorkqueueServiceService,
  type WorkqueueServiceServer,
} from '@recon/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkqueueClient } from '../src/index.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Receiver {
  requests: ProcessRequest[];
  maxInFlight: number;
  failNext: number;
}

async function startReceiver(): Promise<{ target: string; receiver: Receiver }> {
  const receiver: Receiver = { requests: [], maxInFlight: 0, failNext: 0 };
  let inFlight = 0;
  const server = new Server();
  const impl: WorkqueueServiceServer = {
    process: (call, callback) => {
      if (receiver.failNext > 0) {
        receiver.failNext--;
        return callback(grpcError(GrpcCode.UNAVAILABLE, 'overloaded'));
      }
      if (call.request.key === 'reject-me')
        return callback(grpcError(GrpcCode.INVALID_ARGUMENT, 'key: refused'));
      inFlight++;
      receiver.maxInFlight = Math.max(receiver.maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        receiver.requests.push(call.request);
        callback(null, {
          requeueAfterSeconds: 0,
          queueKeys: [],
          requeueFloor: false,
          requeueAfterMs: 0,
        });
      }, 5);
    },
    getKeyState: (call, callback) => {
      if (receiver.failNext > 0) {
        receiver.failNext--;
        return callback(grpcError(GrpcCode.UNAVAILABLE, 'overloaded'));
      }
      if (call.request.key !== 'known')
        return callback(grpcError(GrpcCode.NOT_FOUND, 'no such key'));
      callback(null, {
        ...KeyState.create(),
        key: 'known',
        status: KeyState_Status.DEAD_LETTER,
        priority: 3,
        attempts: 100,
        queuedTime: 1_700_000_000,
        notBeforeTime: 0,
      });
    },
  };
  server.addService(WorkqueueServiceService, impl);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  cleanups.push(() => new Promise<void>((r) => server.tryShutdown(() => r())));
  return { target: `http://127.0.0.1:${port}`, receiver };
}

function client(target: string) {
  const c = new WorkqueueClient(target, { retryBaseMs: 1, retryCapMs: 5 });
  cleanups.push(() => c.close());
  return c;
}

describe('WorkqueueClient', () => {
  it('enqueues with priority and a delay sent in whole seconds, rounded up', async () => {
    const { target, receiver } = await startReceiver();
    await client(target).enqueue('tenant/db-1', { priority: 10, delay: '1500ms' });
    expect(receiver.requests).toMatchObject([
      { key: 'tenant/db-1', priority: 10, delaySeconds: 2 },
    ]);
  });

  it('retries UNAVAILABLE, then gives up with UnavailableError', async () => {
    const { target, receiver } = await startReceiver();
    const c = client(target);
    receiver.failNext = 2;
    await c.enqueue('a');
    expect(receiver.requests.map((r) => r.key)).toEqual(['a']);
    receiver.failNext = 10;
    const err = await c.enqueue('b').catch((e: unknown) => e);
    expect(UnavailableError.is(err)).toBe(true);
  });

  it('enqueueMany keeps at most `concurrency` calls in flight and reports failures', async () => {
    const { target, receiver } = await startReceiver();
    const keys = [...Array.from({ length: 30 }, (_, i) => `k${i}`), 'reject-me'];
    const result = await client(target).enqueueMany(keys, { concurrency: 3 });
    expect(result.enqueued).toBe(30);
    expect(result.failed.map((f) => f.key)).toEqual(['reject-me']);
    const failure = result.failed[0]?.error;
    expect(ReconError.is(failure) && failure.code).toBe('INVALID_ARGUMENT'); // a receiver refusal, not retried
    expect(receiver.maxInFlight).toBeLessThanOrEqual(3);
    expect(receiver.maxInFlight).toBeGreaterThan(1);
  });

  it('refuses bad input locally, naming the field', async () => {
    const { target, receiver } = await startReceiver();
    const c = client(target);
    await expect(c.enqueue('')).rejects.toThrow(/key/);
    await expect(c.enqueue('a', { priority: 2 ** 31 })).rejects.toThrow(/priority/);
    await expect(c.enqueueMany(['ok', { key: 'x', delay: -5 }])).rejects.toThrow(
      /items\[1\]\.delay/,
    );
    expect(receiver.requests).toEqual([]);
  });

  it('reads key state (ms times), undefined for unknown keys, retrying UNAVAILABLE', async () => {
    const { target, receiver } = await startReceiver();
    const c = client(target);
    receiver.failNext = 1;
    expect(await c.getKeyState('known')).toEqual({
      key: 'known',
      status: 'DEAD_LETTER',
      priority: 3,
      attempts: 100,
      queuedAt: 1_700_000_000_000,
      notBefore: 0,
    });
    expect(await c.getKeyState('unknown')).toBeUndefined();
  });
});
