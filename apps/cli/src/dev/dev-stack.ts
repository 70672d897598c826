import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createStorage } from '@recon/backends';
import type { WorkqueueBackend, WorkqueueOptions } from '@recon/core';
import { startDispatcher, grpcReconciler, type Dispatcher } from '@recon/dispatcher';
import { startGcsEmulator, type GcsEmulator } from '@recon/gcs-emulator';
import type { Logger } from '@recon/observability';
import { startReceiver } from '@recon/receiver';
import { serve } from '@recon/sdk';
import { countersFromRegistries, startUi } from '@recon/ui';
import { GcsBackend } from '@recon/workqueue-gcs';
import { exampleReconciler } from './example-reconciler.ts';
import { freePort } from './free-port.ts';
import { startReconcilerProcess } from './reconciler-process.ts';

export type DevReconciler = { file: string } | { target: string } | { example: true };

export interface DevStackOptions {
  /** The project's `.recon/` folder: the local bucket persists under `<dir>/gcs`. */
  dir: string;
  /** Project root, for resolving the reconciler file. */
  cwd: string;
  reconciler: DevReconciler;
  /** First port: receiver = base, dispatcher +1, reconciler +2, emulator +3, UI +4. 0 = free ports. */
  basePort: number;
  /** Default 'recon-dev'. */
  bucket?: string;
  concurrency?: number;
  workqueue?: Partial<WorkqueueOptions>;
  logger: Logger;
  /** Plain text lines for the person at the terminal. */
  write: (line: string) => void;
}

export interface DevEndpoints {
  receiver: string;
  dispatcher: string;
  reconciler: string;
  storage: string;
  bucket: string;
  ui: string;
}

export interface DevStack {
  endpoints: DevEndpoints;
  queue: WorkqueueBackend;
  dispatcher: Dispatcher;
  stop(): Promise<void>;
}

/** Local defaults: quick retries so a newcomer sees a failing key come back within seconds. */
export const devWorkqueueDefaults: Partial<WorkqueueOptions> = {
  backoffBaseMs: 1000,
  backoffCapMs: 30_000,
  leaseMs: 60_000,
  heartbeatMs: 20_000,
};

/**
 * Receiver, dispatcher, a reconciler and a GCS emulator persisted under `.recon/`, on one machine
 * and the same code path as production (the GCS backend over the JSON API). Stopping drains
 * in-flight keys back to the queue, so a restart resumes with nothing lost.
 */
export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const port = (offset: number) => (options.basePort === 0 ? 0 : options.basePort + offset);
  const bucket = options.bucket ?? 'recon-dev';
  const workqueue = { ...devWorkqueueDefaults, ...options.workqueue };
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    stops.length = 0;
  };
  try {
    await mkdir(join(options.dir, 'gcs'), { recursive: true });
    const emulator: GcsEmulator = await startGcsEmulator({
      port: port(3),
      dataDir: join(options.dir, 'gcs'),
    });
    stops.push(() => emulator.close());
    const queue = new GcsBackend({ storage: createStorage(emulator.url), bucket, workqueue });
    stops.push(() => queue.close());

    const reconcilerUrl = await startReconciler(options, port(2), stops);
    const caller = grpcReconciler(reconcilerUrl);
    stops.push(async () => caller.close());
    const dispatcher = await startDispatcher({
      queue,
      process: caller.process,
      port: port(1),
      concurrency: options.concurrency ?? 5,
      workqueue,
      dispatchPeriodMs: 100,
      orphanSweepPeriodMs: 10_000,
      pollIntervalMs: 2000,
      statsPeriodMs: 2000,
      owner: `recon-dev-${process.pid}`,
      logger: options.logger.child({ service: 'dispatcher' }),
    });
    stops.push(() => dispatcher.stop({ drain: true }));

    // In local mode the receiver wakes the dispatcher directly (no Pub/Sub in between).
    const receiver = await startReceiver({
      queue,
      port: port(0),
      host: '127.0.0.1',
      logger: options.logger.child({ service: 'receiver' }),
      onEnqueue: () => dispatcher.wake('local'),
    });
    stops.push(() => receiver.close());

    const ui = await startUi({
      queue,
      port: port(4),
      host: '127.0.0.1',
      dispatcher: {
        concurrency: options.concurrency ?? 5,
        inFlight: () => dispatcher.loop.inFlight,
      },
      counters: countersFromRegistries([dispatcher.metrics.registry]),
      onWrite: () => dispatcher.wake('local'),
    });
    stops.push(() => ui.close());

    const endpoints: DevEndpoints = {
      receiver: `http://127.0.0.1:${receiver.port}`,
      dispatcher: dispatcher.url,
      reconciler: reconcilerUrl,
      storage: emulator.url,
      bucket,
      ui: ui.url,
    };
    // Other recon commands find the running stack here.
    const stateFile = join(options.dir, 'dev.json');
    await writeFile(stateFile, JSON.stringify({ pid: process.pid, ...endpoints }, null, 2) + '\n');
    stops.splice(1, 0, () => rm(stateFile, { force: true }));
    return { endpoints, queue, dispatcher, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function startReconciler(
  options: DevStackOptions,
  port: number,
  stops: Array<() => Promise<void>>,
): Promise<string> {
  const r = options.reconciler;
  if ('target' in r) return r.target;
  if ('example' in r) {
    const served = await serve(exampleReconciler, {
      port,
      host: '127.0.0.1',
      handleSignals: false,
      logger: options.logger.child({ service: 'reconciler' }),
    });
    stops.push(() => served.close());
    return `http://127.0.0.1:${served.port}`;
  }
  const child = await startReconcilerProcess({
    file: r.file,
    port: port || (await freePort()),
    cwd: options.cwd,
    write: options.write,
  });
  stops.push(() => child.stop());
  return child.url;
}
