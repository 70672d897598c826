/**
 * The receiver: WorkqueueService over h2c (HTTP/2 cleartext, what Cloud Run's `h2c` port
 * speaks), `Process` = validated enqueue, `GetKeyState` = lookup. Requests are decoded strictly
 * (invalid UTF-8 keys and out-of-range integers are INVALID_ARGUMENT, not silently altered), and
 * every failure is mapped by the one receiver status mapping in @recon/proto.
 *
 * grpc-js owns the gRPC port, so health and metrics are plain HTTP on a separate, optional
 * `healthPort` (GET /healthz, GET /metrics). On Cloud Run, use a TCP startup probe on the gRPC
 * port, or give the container a second port for HTTP probes.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { systemClock, type Clock, type EnqueuePort, type EnqueueResult } from '@recon/core';
import { createLogger, startOpsServer, type Logger, type OpsServer } from '@recon/observability';
import { StrictWorkqueueService, toReceiverStatus, unaryHandler } from '@recon/proto';
import { Registry } from 'prom-client';
import { createKeyStateHandler } from './key-state-handler.ts';
import { createProcessHandler } from './process-handler.ts';
import { createReceiverMetrics } from './receiver-metrics.ts';

export interface ReceiverOptions {
  /** Where keys go: any backend's receiver role. */
  queue: EnqueuePort;
  /** gRPC port; 0 picks a free one (see `Receiver.port`). */
  port: number;
  /** Interface to listen on. Default `0.0.0.0`. */
  host?: string;
  /** Structured logs. Default JSON lines on stdout with `service: 'receiver'`. */
  logger?: Logger;
  /** Where `workqueue_added_keys` / `workqueue_deduped_keys` are registered. Default a new Registry. */
  metrics?: Registry;
  /** Also serve HTTP GET /healthz and /metrics on this port (0 = a free one). Default: not served. */
  healthPort?: number;
  /** Called after each stored enqueue; local mode wakes its in-process dispatcher here. */
  onEnqueue?: (event: { key: string; result: EnqueueResult }) => void;
  /** How long `close()` lets calls in flight finish before cutting them. Default 5 s. */
  shutdownGraceMs?: number;
  /** Times the shutdown grace. Default systemClock. */
  clock?: Clock;
}

export interface Receiver {
  /** The bound gRPC port. */
  readonly port: number;
  /** The bound health/metrics port, when served. */
  readonly healthPort: number | undefined;
  readonly registry: Registry;
  /** Stops accepting calls, lets calls in flight finish (up to the grace), then closes. */
  close(): Promise<void>;
}

export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const logger = options.logger ?? createLogger({ fields: { service: 'receiver' } });
  const registry = options.metrics ?? new Registry();
  const clock = options.clock ?? systemClock;
  const metrics = createReceiverMetrics(registry);
  const deps = {
    queue: options.queue,
    logger,
    metrics,
    ...(options.onEnqueue ? { onEnqueue: options.onEnqueue } : {}),
  };

  const server = new Server();
  server.addService(StrictWorkqueueService, {
    process: unaryHandler(createProcessHandler(deps), toReceiverStatus),
    getKeyState: unaryHandler(createKeyStateHandler(deps), toReceiverStatus),
  });
  const host = options.host ?? '0.0.0.0';
  const port = await bind(server, `${formatHost(host)}:${options.port}`);

  let closing = false;
  let ops: OpsServer | undefined;
  if (options.healthPort !== undefined) {
    try {
      ops = await startOpsServer({
        port: options.healthPort,
        host,
        registry,
        healthy: () => !closing,
      });
    } catch (err) {
      server.forceShutdown();
      throw err;
    }
  }
  logger.info('receiver listening', { port, healthPort: ops?.port });

  return {
    port,
    healthPort: ops?.port,
    registry,
    async close() {
      if (closing) return;
      closing = true;
      await shutdown(server, clock, options.shutdownGraceMs ?? 5000);
      await ops?.close();
    },
  };
}

function bind(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );
}

/** IPv6 literals need brackets in a `host:port` address. */
function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** tryShutdown waits for calls in flight; past the grace, forceShutdown cancels them. */
async function shutdown(server: Server, clock: Clock, graceMs: number): Promise<void> {
  const grace = new AbortController();
  const drained = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  const expired = clock.sleep(graceMs, grace.signal).then(() => {
    if (!grace.signal.aborted) server.forceShutdown();
  });
  await drained;
  grace.abort();
  await expired;
}
