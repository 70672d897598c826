import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { openQueue, type Env, type RunningService } from '@recon/backends';
import { systemClock } from '@recon/core';
import { createLogger, type Logger } from '@recon/observability';
import { parseDispatcherConfig } from './config.ts';
import { startDispatcher, type Dispatcher } from './dispatcher.ts';
import { httpErrorEventSink } from './error-events.ts';
import { grpcReconciler } from './grpc-reconciler.ts';

/** How long a stop waits for error events and the backend after the dispatcher has stopped. */
const closeGraceMs = 1000;

/** `recon serve dispatcher`: the deployed dispatcher, configured by environment only. */
export async function serveDispatcherFromEnv(
  env: Env,
  logger: Logger = createLogger({ fields: { service: 'dispatcher' } }),
): Promise<RunningService> {
  // Instances of one Cloud Run revision share K_REVISION and, often, their pid: the random part
  // tells them apart on leases.
  const owner = `${env['K_REVISION'] ?? hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const config = parseDispatcherConfig(env, { owner });
  const queue = openQueue(config.queue);
  const reconciler = grpcReconciler(config.target);
  const errorSink = config.errorSink
    ? httpErrorEventSink({ url: config.errorSink, source: config.queueName, logger })
    : undefined;
  let dispatcher: Dispatcher;
  try {
    dispatcher = await startDispatcher({
      queue,
      process: reconciler.process,
      port: config.port,
      host: config.host,
      concurrency: config.concurrency,
      batchSize: config.batchSize,
      workqueue: config.queue.workqueue,
      dispatchPeriodMs: config.dispatchPeriodMs,
      orphanSweepPeriodMs: config.orphanSweepPeriodMs,
      pollIntervalMs: config.pollIntervalMs,
      callTimeoutMs: config.timeoutMs,
      owner: config.owner,
      logger,
      reconcilerName: config.target,
      ...(errorSink ? { errorSink } : {}),
    });
  } catch (err) {
    // Port taken, bad loop options: leave nothing open behind the failed start.
    reconciler.close();
    await queue.close();
    throw err;
  }
  return {
    async stop() {
      await dispatcher.stop({ drain: true });
      reconciler.close();
      // Error events still on their way get a moment to arrive. close() waits for a listing in
      // flight, which in a storage outage may be deep in the client's retries. Nothing is owned
      // any more: give both a second, not the whole grace.
      const grace = new AbortController();
      await Promise.race([
        Promise.all([errorSink?.flush?.(), queue.close()]),
        systemClock.sleep(closeGraceMs, grace.signal),
      ]);
      grace.abort();
    },
  };
}
