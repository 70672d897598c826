/**
 * The dispatcher as the service runs it — `startDispatcher` calling the reconciler through
 * `grpcReconciler` over a real socket — with test-sized timings.
 */
import type { DispatchPort, EnqueuePort, InspectPort } from '@recon/core';
import { silentLogger } from '@recon/observability';
import {
  grpcReconciler,
  startDispatcher,
  type Dispatcher,
  type DispatcherOptions,
} from '../../src/index.ts';
import { fastWorkqueue } from './gcs.ts';

export type TestDispatcherOptions = Partial<Omit<DispatcherOptions, 'queue' | 'process'>> & {
  queue: DispatchPort & EnqueuePort & InspectPort;
  /** The reconciler's URL (http://127.0.0.1:PORT). */
  target: string;
};

export interface TestDispatcher extends Dispatcher {
  /** Drains (default) or crashes, then closes the gRPC channel. Idempotent. */
  close(options?: { drain?: boolean }): Promise<void>;
}

export async function startTestDispatcher(options: TestDispatcherOptions): Promise<TestDispatcher> {
  const { target, ...rest } = options;
  const reconciler = grpcReconciler(target);
  const dispatcher = await startDispatcher({
    port: 0,
    host: '127.0.0.1',
    concurrency: 5,
    workqueue: fastWorkqueue,
    dispatchPeriodMs: 50,
    pollIntervalMs: 200,
    callTimeoutMs: 30_000,
    logger: silentLogger,
    ...rest,
    process: reconciler.process,
  });
  let closed: Promise<void> | undefined;
  return Object.assign(dispatcher, {
    close(closeOptions: { drain?: boolean } = {}) {
      closed ??= dispatcher.stop(closeOptions).finally(() => reconciler.close());
      return closed;
    },
  });
}
