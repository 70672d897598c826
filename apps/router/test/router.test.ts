import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { credentials, Client, status as GrpcCode, type ServiceError } from '@grpc/grpc-js';
import { silentLogger } from '@recon/observability';
import {
  BadRequest,
  createWorkqueueClient,
  findStatusDetail,
  KeyState_Status,
  messageNames,
  WorkqueueServiceService,
  type WorkqueueClient,
} from '@recon/proto';
import { startReceiver, type Receiver } from '@recon/receiver';
import { MemoryBackend } from '@recon/workqueue-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fnv1a32, startRouter, type Router } from '../src/index.ts';

/** The rejection of `promise` as a gRPC error. */
async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (err) {
    return err as ServiceError;
  }
  throw new Error('expected the call to fail');
}

describe('router in front of two real receivers', () => {
  const backends = [new MemoryBackend(), new MemoryBackend()];
  let receivers: Receiver[];
  let router: Router;
  let client: WorkqueueClient;

  beforeAll(async () => {
    receivers = await Promise.all(
      backends.map((queue) =>
        startReceiver({ queue, port: 0, host: '127.0.0.1', logger: silentLogger }),
      ),
    );
    router = await startRouter({
      shards: receivers.map((r) => `http://127.0.0.1:${r.port}`),
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
    });
    client = createWorkqueueClient(`http://127.0.0.1:${router.port}`);
  });
  afterAll(async () => {
    client.close();
    await router.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('puts each key on shard fnv1a32(key) mod 2, and only there', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `https://github.com/o/r/pull/${i}`);
    for (const key of keys) await client.process({ key, priority: 1 });
    const perShard = [0, 0];
    for (const key of keys) {
      const shard = fnv1a32(key) % 2;
      perShard[shard]!++;
      expect((await backends[shard]!.getKeyState(key))?.status).toBe('QUEUED');
      expect(await backends[1 - shard]!.getKeyState(key)).toBeUndefined();
      expect(router.shardFor(key)).toBe(`http://127.0.0.1:${receivers[shard]!.port}`);
    }
    // Both shards are in use (40 keys over 2 shards).
    expect(perShard[0]).toBeGreaterThan(0);
    expect(perShard[1]).toBeGreaterThan(0);
  });

  it('routes GetKeyState to the same shard', async () => {
    await client.process({ key: 'foobar', priority: 7, delaySeconds: 30 });
    expect(await client.getKeyState({ key: 'foobar' })).toMatchObject({
      key: 'foobar',
      status: KeyState_Status.QUEUED,
      priority: 7,
    });
    expect((await backends[0xbf9cf968 % 2]!.getKeyState('foobar'))?.priority).toBe(7);
  });

  it("passes a shard's INVALID_ARGUMENT through unchanged, details included", async () => {
    const error = await failure(client.process({ key: 'k', delaySeconds: -5 }));
    expect(error.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(error.details).toBe('delay_seconds: must not be negative, got -5');
    expect(
      findStatusDetail(error.metadata, messageNames.badRequest, BadRequest)?.fieldViolations,
    ).toEqual([{ field: 'delay_seconds', description: 'must not be negative, got -5' }]);
  });

  it("passes a shard's NOT_FOUND through", async () => {
    expect((await failure(client.getKeyState({ key: 'never-queued' }))).code).toBe(
      GrpcCode.NOT_FOUND,
    );
  });

  it('answers INVALID_ARGUMENT itself for an invalid UTF-8 key', async () => {
    const raw = new Client(`127.0.0.1:${router.port}`, credentials.createInsecure());
    const body = new BinaryWriter()
      .uint32(10)
      .bytes(Uint8Array.from([0xff]))
      .finish();
    const error = await failure(
      new Promise((resolve, reject) =>
        raw.makeUnaryRequest(
          WorkqueueServiceService.process.path,
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from(body),
          (err: ServiceError | null, value?: Buffer) => (err ? reject(err) : resolve(value)),
        ),
      ),
    );
    raw.close();
    expect(error.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(error.details).toBe('key: is not valid UTF-8');
  });
});

describe('router with a shard down', () => {
  it('propagates UNAVAILABLE for keys on the dead shard and serves the others', async () => {
    const live = await startReceiver({
      queue: new MemoryBackend(),
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
    });
    const dead = await startReceiver({
      queue: new MemoryBackend(),
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
    });
    const deadUrl = `http://127.0.0.1:${dead.port}`;
    await dead.close();
    const router = await startRouter({
      shards: [`http://127.0.0.1:${live.port}`, deadUrl],
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
    });
    const client = createWorkqueueClient(`http://127.0.0.1:${router.port}`);
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    const onDead = keys.find((k) => router.shardFor(k) === deadUrl)!;
    const onLive = keys.find((k) => router.shardFor(k) !== deadUrl)!;
    expect(
      (await failure(client.process({ key: onDead }, { deadline: Date.now() + 5000 }))).code,
    ).toBe(GrpcCode.UNAVAILABLE);
    await client.process({ key: onLive });
    client.close();
    await router.close();
    await live.close();
  });

  it('refuses an empty shard list', async () => {
    await expect(startRouter({ shards: [], port: 0 })).rejects.toThrow(/shards: /);
  });

  it('serves /healthz on the optional health port', async () => {
    const router = await startRouter({
      shards: ['http://127.0.0.1:1'],
      port: 0,
      host: '127.0.0.1',
      healthPort: 0,
      logger: silentLogger,
    });
    expect((await fetch(`http://127.0.0.1:${router.healthPort}/healthz`)).status).toBe(200);
    await router.close();
  });
});
