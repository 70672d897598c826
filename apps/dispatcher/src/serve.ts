import { hostname } from 'node:os';
import { openQueue, type Env, type RunningService } from '@recon/backends';
import { createLogger, type Logger } from '@recon/observability';
import { parseDispatcherConfig } from './config.ts';
import { startDispatcher } from './dispatcher.ts';
import { httpErrorEventSink } from './error-events.ts';
import { grpcReconciler } from './grpc-reconciler.ts';

/** `recon serve dispatcher`: the deployed dispatcher, configured by environment only. */
export async function serveDispatcherFromEnv(
  env: Env,
  logger: Logger = createLogger({ fields: { service: 'dispatcher' } }),
): Promise<RunningService> {
  const owner = `${env['K_REVISION'] ?? hostname()}-${process.pid}`;
  const config = parseDispatcherConfig(env, { owner });
  const queue = openQueue(config.queue);
  const reconciler = grpcReconciler(config.target);
  const dispatcher = await startDispatcher({
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
    ...(config.errorSink
      ? {
          errorSink: httpErrorEventSink({
            url: config.errorSink,
            source: config.queueName,
            logger,
          }),
        }
      : {}),
  });
  return {
    async stop() {
      await dispatcher.stop({ drain: true });
      reconciler.close();
      await queue.close();
    },
  };
}
