/**
 * serve() over real sockets, called by a client built only from the proto package (the generated
 * grpc-js stub and the status-detail codec): what any dispatcher, ours or Go's, would see.
 */
import { credentials, Metadata, type ServiceError, status as GrpcCode } from '@grpc/grpc-js';
import {
  findStatusDetail,
  messageNames,
  NoRetryDetails,
  ProcessRequest,
  type ProcessResponse,
  WorkqueueServiceClient,
} from '@recon/proto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ReconcileContext,
  type ReconcileFn,
  done,
  nonRetriable,
  queueKeys,
  requeueAfter,
  serve,
  silentLogger,
  type Served,
} from '../src/index.ts';

const opened: { served: Served; client: InstanceType<typeof WorkqueueServiceClient> }[] = [];

afterEach(async () => {
  for (const o of opened.splice(0)) {
    o.client.close();
    await o.served.close();
  }
});

async function start(
  fn: ReconcileFn,
  options: { metricsPort?: number; drainTimeoutMs?: number } = {},
) {
  const served = await serve(fn, {
    port: 0,
    host: '127.0.0.1',
    handleSignals: false,
    logger: silentLogger,
    ...options,
  });
  const client = new WorkqueueServiceClient(
    `127.0.0.1:${served.port}`,
    credentials.createInsecure(),
  );
  opened.push({ served, client });
  const call = (request: Partial<ProcessRequest> & { key: string }, deadline?: Date) =>
    new Promise<{ response?: ProcessResponse; error?: ServiceError }>((resolve) => {
      client.process(
        { ...ProcessRequest.create(), ...request },
        new Metadata(),
        deadline ? { deadline } : {},
        (error, response) => resolve(error ? { error } : { response }),
      );
    });
  return { served, call };
}

const noRetry = (error: ServiceError | undefined) =>
  findStatusDetail(error?.metadata, messageNames.noRetryDetails, NoRetryDetails);

describe('serve: outcomes on the wire', () => {
  it('answers success as OK with nothing to requeue', async () => {
    const { call } = await start(() => done());
    const { response, error } = await call({ key: 'a' });
    expect(error).toBeUndefined();
    expect(response).toMatchObject({
      requeueAfterSeconds: 0,
      requeueAfterMs: 0,
      queueKeys: [],
      requeueFloor: false,
    });
  });

  it('sends requeue-after in seconds and ms; sub-second rounds the seconds up to 1', async () => {
    const { call } = await start((key) =>
      key === 'fast' ? requeueAfter(250) : requeueAfter('90s'),
    );
    expect((await call({ key: 'fast' })).response).toMatchObject({
      requeueAfterMs: 250,
      requeueAfterSeconds: 1,
    });
    expect((await call({ key: 'slow' })).response).toMatchObject({
      requeueAfterMs: 90_000,
      requeueAfterSeconds: 90,
    });
  });

  it('carries the floor flag', async () => {
    const { call } = await start(() => requeueAfter('10s', { floor: true }));
    expect((await call({ key: 'a' })).response).toMatchObject({
      requeueAfterSeconds: 10,
      requeueFloor: true,
    });
  });

  it('sends follow-up keys, delays rounded up to whole seconds', async () => {
    const { call } = await start(() =>
      queueKeys([
        { key: 'b', priority: 7 },
        { key: 'c', delay: 1500 },
      ]),
    );
    expect((await call({ key: 'a' })).response?.queueKeys).toEqual([
      { key: 'b', priority: 7, delaySeconds: 0 },
      { key: 'c', priority: 0, delaySeconds: 2 },
    ]);
  });

  it('answers non-retriable with a NoRetryDetails status detail, returned or thrown', async () => {
    const { call } = await start((key) => {
      if (key === 'thrown') throw nonRetriable(new Error('repo archived'), 'archived');
      return nonRetriable(new Error('no such repo'), 'not-found');
    });
    const returned = await call({ key: 'returned' });
    expect(returned.error?.code).toBe(GrpcCode.UNKNOWN);
    expect(noRetry(returned.error)).toEqual({ message: 'not-found: no such repo' });
    expect(noRetry((await call({ key: 'thrown' })).error)).toEqual({
      message: 'archived: repo archived',
    });
  });

  it('answers a thrown plain error with a retryable status (no NoRetryDetails)', async () => {
    const { call } = await start(() => {
      throw new Error('database is down');
    });
    const { error } = await call({ key: 'a' });
    expect(error?.code).toBe(GrpcCode.UNKNOWN);
    expect(error?.details).toContain('database is down');
    expect(noRetry(error)).toBeUndefined();
  });

  it('isolates crashing calls: sync throws, non-Error throws and rejections; the server keeps serving', async () => {
    const { call } = await start((key) => {
      if (key === 'sync') throw 'a bare string';
      if (key === 'null') throw null;
      if (key === 'reject') return Promise.reject(Object.assign(new Error('async'), { extra: 1 }));
      return done();
    });
    const results = await Promise.all(
      ['sync', 'null', 'reject', 'fine'].map((key) => call({ key })),
    );
    expect(results.map((r) => r.error?.code ?? 'OK')).toEqual([
      GrpcCode.UNKNOWN,
      GrpcCode.UNKNOWN,
      GrpcCode.UNKNOWN,
      'OK',
    ]);
    expect(results[0]?.error?.details).toContain('a bare string');
    expect(results.slice(0, 3).map((r) => noRetry(r.error))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect((await call({ key: 'fine' })).error).toBeUndefined();
  });

  it('treats an empty key as non-retriable', async () => {
    const { call } = await start(() => done());
    expect(noRetry((await call({ key: '' })).error)?.message).toMatch(/key/);
  });
});

describe('serve: context from the request', () => {
  it('passes attempt, max_attempts, priority and deadline (ext fields) into ctx', async () => {
    const seen: Partial<ReconcileContext>[] = [];
    const { call } = await start((_key, ctx) => {
      seen.push({
        key: ctx.key,
        attempt: ctx.attempt,
        maxAttempts: ctx.maxAttempts,
        priority: ctx.priority,
        deadline: ctx.deadline,
      });
    });
    const deadline = Date.now() + 60_000;
    await call({
      key: 'ext',
      attempt: 97,
      maxAttempts: 100,
      priority: 5,
      deadlineUnixMs: deadline,
    });
    await call({ key: 'go' }); // a Go dispatcher sends key and priority only
    expect(seen).toEqual([
      { key: 'ext', attempt: 97, maxAttempts: 100, priority: 5, deadline },
      { key: 'go', attempt: 1, maxAttempts: 0, priority: 0, deadline: undefined },
    ]);
  });

  it('aborts ctx.signal when deadline_unix_ms passes; the answer is retryable', async () => {
    let abortedAfterMs: number | undefined;
    const began = Date.now();
    const { call } = await start(
      (_key, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            abortedAfterMs = Date.now() - began;
            reject(ctx.signal.reason as Error);
          });
        }),
    );
    const { error } = await call({ key: 'slow', deadlineUnixMs: began + 300 });
    expect(abortedAfterMs).toBeGreaterThanOrEqual(250);
    expect(abortedAfterMs).toBeLessThan(2000);
    expect(error).toBeDefined();
    expect(noRetry(error)).toBeUndefined();
  });

  it('aborts ctx.signal at the gRPC call deadline too', async () => {
    let aborted!: () => void;
    const abortSeen = new Promise<void>((r) => (aborted = r));
    const { call } = await start(
      (_key, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            aborted();
            resolve(done());
          });
        }),
    );
    const { error } = await call({ key: 'a' }, new Date(Date.now() + 300));
    expect(error?.code).toBe(GrpcCode.DEADLINE_EXCEEDED);
    await abortSeen;
  });

  it('abandons a handler that ignores its deadline after the grace period', async () => {
    const { call } = await start(() => new Promise(() => {}), { drainTimeoutMs: 200 });
    const began = Date.now();
    const { error } = await call({ key: 'stuck', deadlineUnixMs: began + 100 });
    expect(error?.code).toBe(GrpcCode.DEADLINE_EXCEEDED);
    expect(Date.now() - began).toBeLessThan(2000);
  });
});

describe('serve: drain', () => {
  it('answers an uncooperative handler requeue_after 15–45 s within 3 s of the drain', async () => {
    let signal: AbortSignal | undefined;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const { served, call } = await start((_key, ctx) => {
      signal = ctx.signal;
      started();
      return new Promise(() => {}); // ignores its signal forever
    });
    const pending = call({ key: 'stubborn' });
    await running;
    const began = Date.now();
    const drained = served.drain();
    const { response, error } = await pending;
    const tookMs = Date.now() - began;
    await drained;
    expect(error).toBeUndefined();
    expect(signal?.aborted).toBe(true);
    expect(response?.requeueAfterSeconds).toBeGreaterThanOrEqual(15);
    expect(response?.requeueAfterSeconds).toBeLessThanOrEqual(45);
    expect(tookMs).toBeGreaterThanOrEqual(2900);
    expect(tookMs).toBeLessThan(3500);
  });

  it('answers a cooperative handler at once, and new calls during the drain with the requeue too', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const { served, call } = await start(
      (_key, ctx) =>
        new Promise((_resolve, reject) => {
          started();
          ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
      { metricsPort: 0 },
    );
    const pending = call({ key: 'polite' });
    await running;
    const began = Date.now();
    await served.drain();
    const { response } = await pending;
    expect(Date.now() - began).toBeLessThan(1000);
    expect(response?.requeueAfterMs).toBeGreaterThanOrEqual(15_000);
    expect(response?.requeueAfterMs).toBeLessThanOrEqual(45_000);
    const late = await call({ key: 'late' });
    expect(late.response?.requeueAfterSeconds).toBeGreaterThanOrEqual(15);
    const health = await fetch(`http://127.0.0.1:${served.metricsPort}/healthz`);
    expect(health.status).toBe(503);
  });
});

describe('serve: health and metrics', () => {
  it('exposes /healthz and reconcile_total / reconcile_duration_seconds on the metrics port', async () => {
    const { served, call } = await start(
      (key) => (key === 'bad' ? Promise.reject(new Error('x')) : done()),
      {
        metricsPort: 0,
      },
    );
    await call({ key: 'ok' });
    await call({ key: 'bad' });
    const base = `http://127.0.0.1:${served.metricsPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('reconcile_total{outcome="success"} 1');
    expect(text).toContain('reconcile_total{outcome="error"} 1');
    expect(text).toMatch(/reconcile_duration_seconds_count\{outcome="success"\} 1/);
  });
});
