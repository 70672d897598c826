/**
 * A thin promise client for WorkqueueService, over grpc-js.
 *
 * `process` and `getKeyState` make exactly one call and reject with the raw grpc-js ServiceError,
 * so callers that must see the status as sent (the dispatcher's outcome mapping, the router's
 * pass-through) can. `enqueue` is the receiver-facing convenience: it retries UNAVAILABLE a
 * bounded number of times with jittered backoff (enqueue is idempotent, so a retry is safe) and
 * rejects with our branded errors (client-errors.ts).
 */
import {
  credentials,
  Metadata,
  status as GrpcCode,
  type CallOptions as GrpcCallOptions,
  type ChannelCredentials,
  type ClientOptions,
  type ServiceError,
} from '@grpc/grpc-js';
import { backoffDelayMs, systemClock, type Clock } from '@recon/core';
import { fromGrpcError, isRetriableStatus } from './client-errors.ts';
import { parseTarget, type GrpcTarget } from './grpc-target.ts';
import { googleIdTokenAuthorization, type AuthorizationSource } from './id-token.ts';
import {
  GetKeyStateRequest,
  ProcessRequest,
  WorkqueueServiceClient as GeneratedClient,
  type KeyState,
  type ProcessResponse,
} from './wire.ts';

export interface WorkqueueClientOptions {
  /**
   * `authorization` metadata for https targets. Default: a Google ID token for audience = the
   * target URL (google-auth-library application-default credentials), fetched on first call.
   */
  authorization?: AuthorizationSource;
  /** PEM root certificates for https targets. Default: the system's roots. */
  rootCerts?: Buffer;
  /** Attempts of `enqueue` when the receiver answers UNAVAILABLE. Default 5 (1 + 4 retries). */
  enqueueAttempts?: number;
  /** Backoff between `enqueue` attempts: base × 2^(n−1), capped, plus jitter. Default 100 ms / 2 s. */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Waits out the backoff. Default systemClock. */
  clock?: Clock;
  /** Jitter source. Default Math.random. */
  random?: () => number;
  /** Extra grpc-js channel options. */
  channelOptions?: Partial<ClientOptions>;
}

export interface CallOptions {
  /** Abandon the call at this time (Unix ms or Date). Default: none. */
  deadline?: number | Date;
  /** Cancels the call (it then fails with CANCELLED). */
  signal?: AbortSignal;
  /** Extra request metadata. */
  metadata?: Metadata;
}

export type ProcessRequestInit = Partial<ProcessRequest> & { key: string };

export interface EnqueueInit {
  key: string;
  /** Default 0. */
  priority?: number;
  /** Default 0. */
  delaySeconds?: number;
}

export interface WorkqueueClient {
  /** The URL this client calls. */
  readonly target: string;
  /** One Process call; rejects with the grpc-js ServiceError. */
  process(request: ProcessRequestInit, options?: CallOptions): Promise<ProcessResponse>;
  /** One GetKeyState call; rejects with the grpc-js ServiceError (NOT_FOUND for unknown keys). */
  getKeyState(request: GetKeyStateRequest, options?: CallOptions): Promise<KeyState>;
  /** Process against a receiver, retrying UNAVAILABLE; rejects with branded errors. */
  enqueue(request: EnqueueInit, options?: CallOptions): Promise<void>;
  /** Closes the channel; calls in flight fail. */
  close(): void;
}

export function createWorkqueueClient(
  target: string,
  options: WorkqueueClientOptions = {},
): WorkqueueClient {
  const parsed = parseTarget(target);
  const client = new GeneratedClient(parsed.address, channelCredentials(parsed, options), {
    ...options.channelOptions,
  });
  const clock = options.clock ?? systemClock;
  const attempts = Math.max(1, options.enqueueAttempts ?? 5);
  const policy = { baseMs: options.retryBaseMs ?? 100, capMs: options.retryCapMs ?? 2000 };

  const process = (request: ProcessRequestInit, callOptions: CallOptions = {}) =>
    unary<ProcessResponse>(callOptions, (metadata, grpcOptions, done) =>
      // fromPartial, not a spread: a field passed as `undefined` must mean "unset", not crash
      // the encoder.
      client.process(ProcessRequest.fromPartial(request), metadata, grpcOptions, done),
    );

  return {
    target,
    process,
    getKeyState: (request, callOptions = {}) =>
      unary<KeyState>(callOptions, (metadata, grpcOptions, done) =>
        client.getKeyState(GetKeyStateRequest.fromPartial(request), metadata, grpcOptions, done),
      ),
    async enqueue(request, callOptions = {}) {
      for (let attempt = 1; ; attempt++) {
        try {
          await process(request, callOptions);
          return;
        } catch (err) {
          const retry =
            attempt < attempts && isRetriableStatus(err) && !callOptions.signal?.aborted;
          if (!retry) throw fromGrpcError(err);
          await clock.sleep(backoffDelayMs(attempt, policy, options.random), callOptions.signal);
          callOptions.signal?.throwIfAborted();
        }
      }
    },
    close: () => client.close(),
  };
}

type Invoke<Res> = (
  metadata: Metadata,
  options: Partial<GrpcCallOptions>,
  done: (error: ServiceError | null, response: Res) => void,
) => { cancel(): void };

function unary<Res>(options: CallOptions, invoke: Invoke<Res>): Promise<Res> {
  return new Promise((resolve, reject) => {
    const grpcOptions: Partial<GrpcCallOptions> = {};
    if (options.deadline !== undefined) grpcOptions.deadline = options.deadline;
    const call = invoke(options.metadata ?? new Metadata(), grpcOptions, (error, response) => {
      options.signal?.removeEventListener('abort', cancel);
      if (error) reject(error);
      else resolve(response);
    });
    const cancel = () => call.cancel();
    if (options.signal?.aborted) cancel();
    else options.signal?.addEventListener('abort', cancel, { once: true });
  });
}

function channelCredentials(
  target: GrpcTarget,
  options: WorkqueueClientOptions,
): ChannelCredentials {
  if (!target.secure) return credentials.createInsecure();
  let source = options.authorization;
  const perCall = credentials.createFromMetadataGenerator((_params, callback) => {
    source ??= googleIdTokenAuthorization();
    source(target.audience).then(
      (value) => {
        const metadata = new Metadata();
        metadata.set('authorization', value);
        callback(null, metadata);
      },
      // UNAVAILABLE, not grpc-js's default UNKNOWN: no token yet (metadata server hiccup) is
      // transient, and enqueue retries it.
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        callback(
          Object.assign(new Error(`no ID token: ${message}`), { code: GrpcCode.UNAVAILABLE }),
        );
      },
    );
  });
  return credentials.combineChannelCredentials(
    credentials.createSsl(options.rootCerts ?? null),
    perCall,
  );
}
