/**
 * The local stack the way `recon dev` builds it (GCS emulator + GcsBackend + the dispatcher
 * service), with an in-process process function instead of a reconciler: keys under `fail/` throw
 * until healed, keys under `hold/` run until released, every other key succeeds.
 */
import { createStorage } from '@recon/backends';
import type { WorkqueueOptions } from '@recon/core';
import type { ProcessFn } from '@recon/dispatch';
import { startDispatcher, type Dispatcher } from '@recon/dispatcher';
import { startGcsEmulator, type GcsEmulator } from '@recon/gcs-emulator';
import { GcsBackend } from '@recon/workqueue-gcs';
import { countersFromRegistries, startUi, type UiServer } from '../../src/index.ts';

export interface TestStack {
  queue: GcsBackend;
  dispatcher: Dispatcher;
  ui: UiServer;
  /** Keys whose attempt succeeded, in order. */
  processed: string[];
  heal(key: string): void;
  /** Ends every `hold/` attempt (and later ones) successfully. */
  release(): void;
  /** Enqueues as the receiver would: counted, and the dispatcher woken. */
  enqueue(key: string, options?: { priority?: number; delayMs?: number }): Promise<void>;
  /** Another UI on the same queue (e.g. read-only). */
  startUi(options: { readOnly?: boolean }): Promise<UiServer>;
  close(): Promise<void>;
}

export const testWorkqueue: Partial<WorkqueueOptions> = {
  maxRetry: 2,
  backoffBaseMs: 50,
  backoffCapMs: 100,
  leaseMs: 60_000,
  heartbeatMs: 20_000,
};

export async function startTestStack(concurrency = 2): Promise<TestStack> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    const emulator: GcsEmulator = await startGcsEmulator({ port: 0 });
    closers.push(() => emulator.close());
    const queue = new GcsBackend({
      storage: createStorage(emulator.url),
      bucket: 'recon-ui-test',
      workqueue: testWorkqueue,
    });
    closers.push(() => queue.close());

    const healed = new Set<string>();
    const processed: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const process: ProcessFn = async (key, ctx) => {
      if (key.startsWith('hold/')) {
        await Promise.race([released, new Promise((r) => ctx.signal.addEventListener('abort', r))]);
      }
      if (key.startsWith('fail/') && !healed.has(key))
        throw new Error(`upstream answered 500 for ${key}`);
      processed.push(key);
      return { kind: 'success' };
    };
    const dispatcher = await startDispatcher({
      queue,
      process,
      port: 0,
      concurrency,
      workqueue: testWorkqueue,
      dispatchPeriodMs: 50,
      pollIntervalMs: 250,
      orphanSweepPeriodMs: 5000,
      statsPeriodMs: 1000,
      owner: 'ui-test-dispatcher',
    });
    closers.push(() => dispatcher.stop({ drain: false }));

    const uiOptions = {
      queue,
      dispatcher: { concurrency, inFlight: () => dispatcher.loop.inFlight },
      counters: countersFromRegistries([dispatcher.metrics.registry]),
      onWrite: () => dispatcher.wake('local'),
      refreshMs: 300,
      seriesStepMs: 500,
    };
    const ui = await startUi({ ...uiOptions, port: 0 });
    closers.push(() => ui.close());

    return {
      queue,
      dispatcher,
      ui,
      processed,
      heal: (key) => healed.add(key),
      release,
      async enqueue(key, options = {}) {
        await queue.enqueue({ key, ...options });
        dispatcher.metrics.addedKeys.inc();
        dispatcher.wake('local');
      },
      async startUi(options) {
        const other = await startUi({ ...uiOptions, ...options, port: 0 });
        closers.push(() => other.close());
        return other;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Polls `check` every 50 ms until it holds or `timeoutMs` passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
