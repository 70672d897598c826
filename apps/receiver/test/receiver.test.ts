import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { status as GrpcCode } from '@grpc/grpc-js';
import { FakeClock, UnavailableError } from '@recon/core';
import { silentLogger } from '@recon/observability';
import { KeyState_Status, WorkqueueServiceService } from '@recon/proto';
import { MemoryBackend } from '@recon/workqueue-memory';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/index.ts';
import { FaultyQueue } from './faulty-queue.ts';
import { failure, wireClient, type WireClient } from './wire-client.ts';

const start = Date.UTC(2026, 0, 1, 12, 0, 0, 500);

describe('receiver over a real socket', () => {
  let clock: FakeClock;
  let backend: MemoryBackend;
  let queue: FaultyQueue;
  let registry: Registry;
  let receiver: Receiver;
  let client: WireClient;

  beforeEach(async () => {
    clock = new FakeClock(start);
    backend = new MemoryBackend({ clock });
    queue = new FaultyQueue(backend);
    registry = new Registry();
    receiver = await startReceiver({
      queue,
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      metrics: registry,
    });
    client = wireClient(receiver.port);
  });
  afterEach(async () => {
    client.close();
    await receiver.close();
    await backend.close();
  });

  const counter = async (name: string) =>
    (await registry.getSingleMetric(name)?.get())?.values[0]?.value ?? 0;
  const stored = async () => {
    const stats = await backend.stats();
    return stats.queued + stats.inProgress + stats.deadLettered;
  };

  it('Process enqueues and answers an empty ProcessResponse', async () => {
    expect(await client.process({ key: 'https://github.com/o/r/pull/7', priority: 5 })).toEqual({
      requeueAfterSeconds: 0,
      queueKeys: [],
      requeueFloor: false,
      requeueAfterMs: 0,
    });
    expect(await backend.getKeyState('https://github.com/o/r/pull/7')).toMatchObject({
      status: 'QUEUED',
      priority: 5,
      notBefore: 0,
    });
  });

  it('delay_seconds sets notBefore = now + delay', async () => {
    await client.process({ key: 'later', delaySeconds: 90 });
    expect((await backend.getKeyState('later'))?.notBefore).toBe(start + 90_000);
  });

  it('counts every accepted enqueue as added and a merge as deduped', async () => {
    await client.process({ key: 'a' });
    await client.process({ key: 'a', priority: 9 });
    await client.process({ key: 'b' });
    expect(await counter('workqueue_added_keys')).toBe(3);
    expect(await counter('workqueue_deduped_keys')).toBe(1);
    expect(await stored()).toBe(2);
    expect((await backend.getKeyState('a'))?.priority).toBe(9);
  });

  describe('bad input → INVALID_ARGUMENT naming the field, nothing stored', () => {
    it.each([
      ['empty key', { key: '' }, 'key'],
      ['1001-byte key', { key: 'k'.repeat(1001) }, 'key'],
      ['control character', { key: 'tab\there' }, 'key'],
      ['DEL', { key: 'x\u007f' }, 'key'],
      ['negative delay', { key: 'k', delaySeconds: -1 }, 'delay_seconds'],
      ['priority above int32', { key: 'k', priority: 2 ** 31 }, 'priority'],
      ['priority below int32', { key: 'k', priority: -(2 ** 31) - 1 }, 'priority'],
    ])('%s', async (_name, request, field) => {
      const error = await failure(client.process(request));
      expect(error.code).toBe(GrpcCode.INVALID_ARGUMENT);
      expect(error.details.startsWith(`${field}: `)).toBe(true);
      expect(error.field).toBe(field);
      expect(await stored()).toBe(0);
      expect(await counter('workqueue_added_keys')).toBe(0);
    });

    it('a key of exactly 1000 bytes is fine', async () => {
      await client.process({ key: 'é'.repeat(500) });
      expect(await stored()).toBe(1);
    });

    it('invalid UTF-8 bytes in the key (sent raw)', async () => {
      const body = new BinaryWriter()
        .uint32(10)
        .bytes(Uint8Array.from([0x6b, 0xc3, 0x28]))
        .finish();
      for (const path of [
        WorkqueueServiceService.process.path,
        WorkqueueServiceService.getKeyState.path,
      ]) {
        const error = await failure(client.raw(path, body));
        expect(error.code).toBe(GrpcCode.INVALID_ARGUMENT);
        expect(error.details).toBe('key: is not valid UTF-8');
        expect(error.field).toBe('key');
      }
      expect(await stored()).toBe(0);
    });

    it('a priority past 2^53 (sent raw)', async () => {
      const body = new BinaryWriter()
        .uint32(10)
        .string('k')
        .uint32(16)
        .int64(2n ** 62n)
        .finish();
      const error = await failure(client.raw(WorkqueueServiceService.process.path, body));
      expect(error.code).toBe(GrpcCode.INVALID_ARGUMENT);
      expect(error.field).toBe('priority');
      expect(await stored()).toBe(0);
    });
  });

  it('storage failure → UNAVAILABLE, nothing counted; the retry then lands', async () => {
    queue.failing = new UnavailableError('GCS answered 503');
    const error = await failure(client.process({ key: 'k' }));
    expect(error.code).toBe(GrpcCode.UNAVAILABLE);
    queue.failing = new Error('socket hang up');
    expect((await failure(client.process({ key: 'k' }))).code).toBe(GrpcCode.UNAVAILABLE);
    expect((await failure(client.getKeyState({ key: 'k' }))).code).toBe(GrpcCode.UNAVAILABLE);
    expect(await counter('workqueue_added_keys')).toBe(0);
    expect(await stored()).toBe(0);
    queue.failing = undefined;
    await client.process({ key: 'k' });
    expect(await stored()).toBe(1);
  });

  describe('GetKeyState', () => {
    it('unknown key → NOT_FOUND; empty key → INVALID_ARGUMENT', async () => {
      expect((await failure(client.getKeyState({ key: 'nope' }))).code).toBe(GrpcCode.NOT_FOUND);
      const error = await failure(client.getKeyState({ key: '' }));
      expect(error.code).toBe(GrpcCode.INVALID_ARGUMENT);
      expect(error.field).toBe('key');
    });

    it('QUEUED with priority, queued time and notBefore in Unix seconds', async () => {
      await client.process({ key: 'q', priority: 42, delaySeconds: 60 });
      expect(await client.getKeyState({ key: 'q' })).toEqual({
        key: 'q',
        status: KeyState_Status.QUEUED,
        priority: 42,
        attempts: 0,
        queuedTime: Math.floor(start / 1000),
        notBeforeTime: Math.floor(start / 1000) + 60,
      });
    });

    it('IN_PROGRESS wins over a queued twin; DEAD_LETTER after dead-lettering', async () => {
      await client.process({ key: 'k', priority: 3 });
      const [listed] = (await backend.listEligible(1)).keys;
      const owned = await backend.start(listed!, 'test-owner');
      await client.process({ key: 'k', priority: 3 });
      expect(await client.getKeyState({ key: 'k' })).toMatchObject({
        status: KeyState_Status.IN_PROGRESS,
        attempts: 1,
      });
      await owned!.deadLetter('gave up');
      // The queued twin is still there and now wins.
      expect((await client.getKeyState({ key: 'k' })).status).toBe(KeyState_Status.QUEUED);
      const [twin] = (await backend.listEligible(1)).keys;
      await (await backend.start(twin!, 'test-owner'))!.deadLetter('gave up again');
      expect(await client.getKeyState({ key: 'k' })).toMatchObject({
        key: 'k',
        status: KeyState_Status.DEAD_LETTER,
        priority: 3,
      });
    });
  });
});

describe('receiver lifecycle', () => {
  it('serves /healthz and /metrics on the optional health port', async () => {
    const backend = new MemoryBackend();
    const receiver = await startReceiver({
      queue: backend,
      port: 0,
      host: '127.0.0.1',
      healthPort: 0,
      logger: silentLogger,
    });
    const client = wireClient(receiver.port);
    await client.process({ key: 'x' });
    const base = `http://127.0.0.1:${receiver.healthPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^workqueue_added_keys 1$/m);
    expect(metrics).toMatch(/^workqueue_deduped_keys 0$/m);
    client.close();
    await receiver.close();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('calls onEnqueue after each stored enqueue (local mode wakes its dispatcher)', async () => {
    const events: unknown[] = [];
    const receiver = await startReceiver({
      queue: new MemoryBackend(),
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      onEnqueue: (event) => events.push(event),
    });
    const client = wireClient(receiver.port);
    await client.process({ key: 'x' });
    await client.process({ key: 'x' });
    await failure(client.process({ key: '' }));
    expect(events).toEqual([
      { key: 'x', result: 'added' },
      { key: 'x', result: 'deduped' },
    ]);
    client.close();
    await receiver.close();
  });

  it('two receivers can share one registry', async () => {
    const registry = new Registry();
    const a = await startReceiver({
      queue: new MemoryBackend(),
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      metrics: registry,
    });
    const b = await startReceiver({
      queue: new MemoryBackend(),
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      metrics: registry,
    });
    await Promise.all([a.close(), b.close()]);
  });
});
