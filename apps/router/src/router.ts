/**
 * The shard router: one WorkqueueService endpoint in front of N receivers, each with its own
 * bucket. Every call for a key goes to shard fnv1a32(key) mod N, so a key always lands on the
 * same queue and dedup keeps working. A shard's answer — response or status, with its details
 * and trailers — is passed back unchanged; the router adds nothing but its own INVALID_ARGUMENT
 * for requests it cannot read (invalid UTF-8 key, out-of-range integers). It never retries:
 * callers already retry UNAVAILABLE, and retrying here would multiply their attempts.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { InvalidArgumentError } from '@recon/core';
import { createLogger, startOpsServer, type Logger, type OpsServer } from '@recon/observability';
import {
  createWorkqueueClient,
  StrictWorkqueueService,
  toReceiverStatus,
  unaryHandler,
  type CallOptions,
  type Checked,
  type GetKeyStateRequest,
  type KeyState,
  type ProcessRequest,
  type ProcessResponse,
  type UnaryContext,
  type WorkqueueClient,
  type WorkqueueClientOptions,
} from '@recon/proto';
import { shardIndex } from './fnv1a.ts';

export interface RouterOptions {
  /** Receiver URLs (`http://host:port` or `https://…`) in shard order. The order is the contract. */
  shards: readonly string[];
  /** gRPC port; 0 picks a free one. */
  port: number;
  /** Interface to listen on. Default `0.0.0.0`. */
  host?: string;
  /** Also serve HTTP GET /healthz on this port (0 = a free one). Default: not served. */
  healthPort?: number;
  /** Structured logs. Default JSON lines on stdout with `service: 'router'`. */
  logger?: Logger;
  /** How shard clients are built (credentials, root certs). Default: ID tokens for https shards. */
  clientOptions?: WorkqueueClientOptions;
}

export interface Router {
  readonly port: number;
  readonly healthPort: number | undefined;
  /** The shard URL a key is routed to. */
  shardFor(key: string): string;
  close(): Promise<void>;
}

export async function startRouter(options: RouterOptions): Promise<Router> {
  if (options.shards.length === 0)
    throw new InvalidArgumentError('shards', 'must list at least one receiver URL');
  const logger = options.logger ?? createLogger({ fields: { service: 'router' } });
  const clients = options.shards.map((url) => createWorkqueueClient(url, options.clientOptions));
  const pick = (key: string): WorkqueueClient => clients[shardIndex(key, clients.length)]!;

  const server = new Server();
  server.addService(StrictWorkqueueService, {
    process: unaryHandler(
      forward<ProcessRequest, ProcessResponse>((request, call) =>
        pick(request.key).process(request, call),
      ),
      toReceiverStatus,
    ),
    getKeyState: unaryHandler(
      forward<GetKeyStateRequest, KeyState>((request, call) =>
        pick(request.key).getKeyState(request, call),
      ),
      toReceiverStatus,
    ),
  });
  const host = options.host ?? '0.0.0.0';
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        `${host.includes(':') ? `[${host}]` : host}:${options.port}`,
        ServerCredentials.createInsecure(),
        (err, bound) => (err ? reject(err) : resolve(bound)),
      ),
    );
  } catch (err) {
    for (const client of clients) client.close();
    throw err;
  }

  let closing = false;
  let ops: OpsServer | undefined;
  if (options.healthPort !== undefined) {
    ops = await startOpsServer({ port: options.healthPort, host, healthy: () => !closing });
  }
  logger.info('router listening', { port, shards: options.shards.length });

  return {
    port,
    healthPort: ops?.port,
    shardFor: (key) => options.shards[shardIndex(key, options.shards.length)]!,
    async close() {
      if (closing) return;
      closing = true;
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      for (const client of clients) client.close();
      await ops?.close();
    },
  };
}

/** Unwraps the checked request and carries the caller's deadline and cancellation to the shard. */
function forward<Req, Res>(send: (request: Req, call: CallOptions) => Promise<Res>) {
  return async (request: Checked<Req>, context: UnaryContext): Promise<Res> => {
    if (!request.ok) throw request.error;
    const call: CallOptions = { signal: context.signal };
    if (Number.isFinite(context.deadline)) call.deadline = context.deadline;
    return send(request.message, call);
  };
}
