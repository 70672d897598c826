/**
 * Runtime 1: serve a reconciler over gRPC, as `WorkqueueService.Process`, for our dispatcher and
 * the Go one alike (spec 02). See served/call-handler.ts for what one call does.
 *
 * ```ts
 * const served = await serve(reconciler(async (key, ctx) => done()), { port: 8080, metricsPort: 9090 });
 * ```
 */
import { Server, ServerCredentials, status as GrpcCode } from '@grpc/grpc-js';
import { type Clock, InvalidArgumentError, systemClock } from '@recon/core';
import { startOpsServer, type OpsServer } from '@recon/observability';
import { grpcError, WorkqueueServiceService, type WorkqueueServiceServer } from '@recon/proto';
import type { Registry } from 'prom-client';
import { IntervalLimiter } from './limits/action-limiter.ts';
import { createLogger, type Logger } from './logger.ts';
import { type ReconcileFn, type Reconciler, toReconciler } from './reconciler.ts';
import { createProcessHandler } from './served/call-handler.ts';
import { InFlightCalls } from './served/in-flight.ts';
import { createServeMetrics } from './served/metrics.ts';
import type { ReconEvent } from './context.ts';

export interface ServeOptions {
  /** gRPC port; 0 = a free port (read it back from `Served.port`). */
  port: number;
  /** Default `0.0.0.0` (Cloud Run); tests pass `127.0.0.1`. */
  host?: string;
  /** Default systemClock. */
  clock?: Clock;
  /** Default: JSON lines on stdout at INFO. */
  logger?: Logger;
  /** How long a handler may keep running after its signal aborted (drain or deadline). Default 3000. */
  drainTimeoutMs?: number;
  /** Drain on SIGTERM and SIGINT, then close. Default true. */
  handleSignals?: boolean;
  /** HTTP port for `/healthz` and `/metrics`; 0 = a free port; undefined = no HTTP server. */
  metricsPort?: number;
  /** Default: `host`. */
  metricsHost?: string;
  /** Registry the call metrics register on. Default: a fresh one. */
  registry?: Registry;
  /** Minimum interval per named action for `ctx.limiter.wait(name)`. Default none. */
  minIntervalMs?: Record<string, number>;
  /** Where `ctx.emit(event)` goes. Default: a log line. */
  emit?: (event: ReconEvent) => Promise<void>;
  /** Randomness for the drain requeue (15–45 s) and result jitter. Default Math.random. */
  random?: () => number;
}

export interface Served {
  /** The bound gRPC port. */
  readonly port: number;
  /** The bound HTTP port, when `metricsPort` was set. */
  readonly metricsPort: number | undefined;
  /**
   * Refuses nothing, abandons nothing silently: every call in flight has its signal aborted and
   * is answered `requeue_after` 15–45 s (after at most `drainTimeoutMs`); calls that arrive
   * meanwhile are answered the same at once. Resolves when every call has been answered.
   */
  drain(): Promise<void>;
  /** Drains, then stops the gRPC and HTTP servers. Idempotent. */
  close(): Promise<void>;
}

const drainRequeueMinMs = 15_000;
const drainRequeueSpanMs = 30_000;

export async function serve(r: Reconciler | ReconcileFn, options: ServeOptions): Promise<Served> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    throw new InvalidArgumentError(
      'port',
      `must be an integer in [0, 65535], got ${String(options.port)}`,
    );
  }
  const rec = toReconciler(r);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const host = options.host ?? '0.0.0.0';
  const logger = options.logger ?? createLogger({ fields: { reconciler: rec.name } });
  const metrics = createServeMetrics(options.registry);
  const inFlight = new InFlightCalls();
  let draining = false;

  const impl: WorkqueueServiceServer = {
    process: createProcessHandler({
      reconciler: rec,
      clock,
      logger,
      limiter: new IntervalLimiter(options.minIntervalMs ?? {}, clock),
      metrics,
      inFlight,
      isDraining: () => draining,
      graceMs: options.drainTimeoutMs ?? 3000,
      drainDelayMs: () => drainRequeueMinMs + Math.floor(random() * drainRequeueSpanMs),
      emit:
        options.emit ??
        (async (event) => logger.info('event', { event: { id: event.id, type: event.type } })),
      random,
    }),
    getKeyState: (_call, callback) =>
      callback(
        grpcError(
          GrpcCode.UNIMPLEMENTED,
          'a reconciler does not answer GetKeyState; ask the receiver',
        ),
      ),
  };

  const server = new Server();
  server.addService(WorkqueueServiceService, impl);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port}`, ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });

  let ops: OpsServer | undefined;
  if (options.metricsPort !== undefined) {
    ops = await startOpsServer({
      port: options.metricsPort,
      host: options.metricsHost ?? host,
      registry: metrics.registry,
      healthy: () => !draining,
    });
  }

  let drained: Promise<void> | undefined;
  const drain = () => {
    drained ??= (async () => {
      draining = true;
      logger.info('draining', { inFlight: inFlight.size });
      await inFlight.drainAll();
    })();
    return drained;
  };

  let closed: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info('signal received', { signal });
    void close();
  };
  const close = () => {
    closed ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await drain();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 5000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await ops?.close();
      logger.info('stopped');
    })();
    return closed;
  };

  if (options.handleSignals ?? true) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  logger.info('serving', { port, metricsPort: ops?.port });
  return { port, metricsPort: ops?.port, drain, close };
}
