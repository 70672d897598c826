import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerCredentials, status as GrpcCode, type ServiceError } from '@grpc/grpc-js';
import { InvalidArgumentError, UnavailableError, type Clock } from '@recon/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkqueueClient,
  grpcError,
  KeyState,
  KeyState_Status,
  parseTarget,
  ProcessResponse,
  toReceiverStatus,
  unaryHandler,
  WorkqueueServiceService,
  type GetKeyStateRequest,
  type ProcessRequest,
  type UnaryContext,
  type WorkqueueClient,
} from '../src/index.ts';
import { startServer, type TestServer } from './grpc-harness.ts';

/** A clock whose sleeps return at once and are recorded: no test waits out a backoff. */
function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 0, sleep: async (ms) => void slept.push(ms) };
}

type ProcessHandler = (request: ProcessRequest, context: UnaryContext) => Promise<ProcessResponse>;

describe('createWorkqueueClient over h2c', () => {
  let server: TestServer;
  let onProcess: ProcessHandler = async () => ProcessResponse.create();
  const clients: WorkqueueClient[] = [];
  const client = (options?: Parameters<typeof createWorkqueueClient>[1]) => {
    const c = createWorkqueueClient(`http://${server.address}`, options);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startServer(WorkqueueServiceService, {
      process: unaryHandler<ProcessRequest, ProcessResponse>(
        (r, c) => onProcess(r, c),
        toReceiverStatus,
      ),
      getKeyState: unaryHandler<GetKeyStateRequest, KeyState>(
        async (request) => {
          if (request.key === 'missing') throw grpcError(GrpcCode.NOT_FOUND, 'no such key');
          return {
            ...KeyState.create(),
            key: request.key,
            status: KeyState_Status.QUEUED,
            priority: 4,
          };
        },
        (err) => err as ServiceError,
      ),
    });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(() => server.close());

  it('process sends every field, ext included, and the deadline', async () => {
    let seen: { request: ProcessRequest; deadline: number } | undefined;
    onProcess = async (request, context) => {
      seen = { request, deadline: context.deadline };
      return { ...ProcessResponse.create(), requeueAfterMs: 1500, requeueAfterSeconds: 2 };
    };
    const deadline = Date.now() + 60_000;
    const response = await client().process(
      { key: 'k', priority: 3, attempt: 2, maxAttempts: 100, deadlineUnixMs: deadline },
      { deadline },
    );
    expect(response).toMatchObject({ requeueAfterMs: 1500, requeueAfterSeconds: 2 });
    expect(seen?.request).toEqual({
      key: 'k',
      priority: 3,
      delaySeconds: 0,
      attempt: 2,
      maxAttempts: 100,
      deadlineUnixMs: deadline,
    });
    expect(Math.abs((seen?.deadline ?? 0) - deadline)).toBeLessThan(1000);
  });

  it('fields passed as undefined are unset, not an encoding error', async () => {
    let seen: ProcessRequest | undefined;
    onProcess = async (request) => {
      seen = request;
      return ProcessResponse.create();
    };
    await client().process({ key: 'k', priority: undefined, deadlineUnixMs: undefined });
    await client().enqueue({ key: 'k', delaySeconds: undefined });
    expect(seen).toEqual({
      key: 'k',
      priority: 0,
      delaySeconds: 0,
      attempt: 0,
      maxAttempts: 0,
      deadlineUnixMs: 0,
    });
  });

  it('enqueue stops retrying once its signal aborts', async () => {
    let calls = 0;
    onProcess = async () => {
      calls++;
      throw grpcError(GrpcCode.UNAVAILABLE, 'down');
    };
    const controller = new AbortController();
    const clock: Clock = { now: () => 0, sleep: async () => controller.abort() };
    const err = await client({ clock })
      .enqueue({ key: 'k' }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(calls).toBe(1);
  });

  it('getKeyState resolves the state, and rejects with the raw NOT_FOUND', async () => {
    expect(await client().getKeyState({ key: 'k' })).toMatchObject({
      key: 'k',
      status: KeyState_Status.QUEUED,
      priority: 4,
    });
    await expect(client().getKeyState({ key: 'missing' })).rejects.toMatchObject({
      code: GrpcCode.NOT_FOUND,
    });
  });

  it('process rejects with the raw ServiceError and does not retry', async () => {
    let calls = 0;
    onProcess = async () => {
      calls++;
      throw grpcError(GrpcCode.UNAVAILABLE, 'down');
    };
    await expect(client().process({ key: 'k' })).rejects.toMatchObject({
      code: GrpcCode.UNAVAILABLE,
      details: 'down',
    });
    expect(calls).toBe(1);
  });

  it('enqueue retries UNAVAILABLE with jittered backoff, then succeeds', async () => {
    let calls = 0;
    onProcess = async () => {
      if (++calls < 3) throw grpcError(GrpcCode.UNAVAILABLE, 'busy');
      return ProcessResponse.create();
    };
    const clock = recordingClock();
    await client({ clock, random: () => 0.5, retryBaseMs: 100 }).enqueue({ key: 'k' });
    expect(calls).toBe(3);
    expect(clock.slept).toEqual([125, 250]); // base × 2^(n−1) + jitter (random 0.5 → +25%)
  });

  it('enqueue gives up after a bounded number of attempts with UnavailableError', async () => {
    let calls = 0;
    onProcess = async () => {
      calls++;
      throw grpcError(GrpcCode.UNAVAILABLE, 'down');
    };
    const clock = recordingClock();
    const err = await client({ clock, enqueueAttempts: 4 })
      .enqueue({ key: 'k' })
      .catch((e: unknown) => e);
    expect(UnavailableError.is(err)).toBe(true);
    expect(calls).toBe(4);
    expect(clock.slept).toHaveLength(3);
  });

  it('enqueue does not retry INVALID_ARGUMENT and names the field', async () => {
    let calls = 0;
    onProcess = async () => {
      calls++;
      throw new InvalidArgumentError('delay_seconds', 'must not be negative');
    };
    const err = await client({ clock: recordingClock() })
      .enqueue({ key: 'k', delaySeconds: -1 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      field: 'delay_seconds',
      message: 'delay_seconds: must not be negative',
    });
    expect(calls).toBe(1);
  });

  it('an AbortSignal cancels the call', async () => {
    onProcess = (_r, context) =>
      new Promise((_, reject) =>
        context.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    const controller = new AbortController();
    const pending = client().process({ key: 'k' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: GrpcCode.CANCELLED });
  });

  it('a passed deadline fails the call with DEADLINE_EXCEEDED', async () => {
    onProcess = (_r, context) =>
      new Promise((_, reject) =>
        context.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    await expect(
      client().process({ key: 'k' }, { deadline: Date.now() + 50 }),
    ).rejects.toMatchObject({
      code: GrpcCode.DEADLINE_EXCEEDED,
    });
  });
});

describe('parseTarget', () => {
  it('maps http to h2c and https to TLS with the URL as audience', () => {
    expect(parseTarget('http://127.0.0.1:8080')).toEqual({
      address: '127.0.0.1:8080',
      secure: false,
      audience: 'http://127.0.0.1:8080',
    });
    expect(parseTarget('https://svc-abc-uc.a.run.app/')).toEqual({
      address: 'svc-abc-uc.a.run.app:443',
      secure: true,
      audience: 'https://svc-abc-uc.a.run.app',
    });
    expect(parseTarget('http://localhost').address).toBe('localhost:80');
    expect(parseTarget('http://[::1]:9000').address).toBe('[::1]:9000');
  });

  it('rejects what is not an http(s) URL, naming the field', () => {
    expect(() => parseTarget('127.0.0.1:8080')).toThrow(InvalidArgumentError);
    expect(() => parseTarget('dns:///svc:443', 'WORKQUEUE_TARGET')).toThrow(/^WORKQUEUE_TARGET: /);
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('openssl not found: skipping the https/ID-token client test');
    return false;
  }
})();

describe.runIf(hasOpenssl)('createWorkqueueClient over https', () => {
  let dir: string;
  let server: TestServer;
  let cert: Buffer;
  const authorizations: unknown[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recon-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    const credentials = ServerCredentials.createSsl(null, [
      { cert_chain: cert, private_key: readFileSync(join(dir, 'key.pem')) },
    ]);
    server = await startServer(
      WorkqueueServiceService,
      {
        process: unaryHandler<ProcessRequest, ProcessResponse>(async (_r, context) => {
          authorizations.push(context.metadata.get('authorization')[0]);
          return ProcessResponse.create();
        }, toReceiverStatus),
        getKeyState: unaryHandler<GetKeyStateRequest, KeyState>(
          async () => KeyState.create(),
          toReceiverStatus,
        ),
      },
      credentials,
    );
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the token for audience = the URL as call credentials, fetched lazily', async () => {
    const audiences: string[] = [];
    const target = `https://127.0.0.1:${server.port}`;
    const c = createWorkqueueClient(target, {
      rootCerts: cert,
      authorization: async (audience) => {
        audiences.push(audience);
        return 'Bearer test-id-token';
      },
    });
    expect(audiences).toEqual([]);
    await c.process({ key: 'k' });
    await c.process({ key: 'k' });
    c.close();
    expect(audiences).toEqual([target, target]);
    expect(authorizations).toEqual(['Bearer test-id-token', 'Bearer test-id-token']);
  });

  it('a token failure fails the call as UNAVAILABLE without reaching the server', async () => {
    const before = authorizations.length;
    const c = createWorkqueueClient(`https://127.0.0.1:${server.port}`, {
      rootCerts: cert,
      authorization: async () => {
        throw new Error('no credentials');
      },
    });
    await expect(c.process({ key: 'k' })).rejects.toMatchObject({ code: GrpcCode.UNAVAILABLE });
    c.close();
    expect(authorizations.length).toBe(before);
  });
});
