import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  KeyStatus,
  systemClock,
  type Clock,
  type DispatchPort,
  type EnqueuePort,
  type InspectPort,
  type WorkqueueOptions,
} from '@recon/core';
import {
  createDispatchLoop,
  type DispatchEvents,
  type DispatchLoopHandle,
  type ProcessFn,
  type WakeReason,
} from '@recon/dispatch';
import {
  createWorkqueueMetrics,
  observeDispatch,
  silentLogger,
  startOpsServer,
  type Logger,
  type WorkqueueMetrics,
} from '@recon/observability';
import { errorEventAction, type ErrorEventSink } from './error-events.ts';

export interface DispatcherOptions {
  queue: DispatchPort & EnqueuePort & InspectPort;
  /** Calls the reconciler for one key (gRPC in production, anything in tests). */
  process: ProcessFn;
  /** HTTP port for wakes (POST /), /healthz and /metrics. 0 = a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  concurrency?: number;
  batchSize?: number;
  workqueue?: Partial<WorkqueueOptions>;
  dispatchPeriodMs?: number;
  orphanSweepPeriodMs?: number;
  pollIntervalMs?: number;
  callTimeoutMs?: number;
  owner?: string;
  clock?: Clock;
  logger?: Logger;
  metrics?: WorkqueueMetrics;
  errorSink?: ErrorEventSink;
  /** Named in error events. Default 'reconciler'. */
  reconcilerName?: string;
  /**
   * How often the dead-letter gauge is refreshed (by paging through the dead letters; queued and
   * in-progress gauges come from every pass and sweep). Default 30 s.
   */
  statsPeriodMs?: number;
  /**
   * The longest a draining `stop()` waits for the loop (in-flight requeues, a pass stuck in storage
   * retries) before it walks away as in a crash: nothing more is written, and what is still
   * in progress comes back through an orphan sweep once its lease expires. Default 6 s: with the
   * service's own shutdown after it, inside Cloud Run's 10 s SIGTERM grace.
   */
  drainTimeoutMs?: number;
}

export interface Dispatcher {
  url: string;
  port: number;
  loop: DispatchLoopHandle;
  metrics: WorkqueueMetrics;
  /** Asks for a pass (in local mode the receiver calls this on every enqueue). */
  wake(reason: WakeReason): void;
  /**
   * Stops serving and the loop; drains in-flight keys back to the queue unless `drain: false`
   * (for at most `drainTimeoutMs`). Idempotent; a `drain: false` call cuts a drain in progress short.
   */
  stop(options?: { drain?: boolean }): Promise<void>;
}

/**
 * The dispatcher service: a long-lived dispatch loop woken by HTTP POSTs (Pub/Sub pushes of the
 * bucket's notifications, Cloud Scheduler), its own timers and local wakes. A wake is answered at
 * once; reconciles never live inside the request that woke the loop.
 */
export async function startDispatcher(options: DispatcherOptions): Promise<Dispatcher> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? createWorkqueueMetrics();
  const events = withErrorEvents(
    observeDispatch({ metrics, logger, now: () => clock.now() }),
    options.errorSink,
    options.reconcilerName ?? 'reconciler',
    clock,
  );
  const loop = createDispatchLoop({
    queue: options.queue,
    process: options.process,
    clock,
    events,
    ...pick(options, [
      'concurrency',
      'batchSize',
      'workqueue',
      'dispatchPeriodMs',
      'orphanSweepPeriodMs',
      'pollIntervalMs',
      'callTimeoutMs',
      'owner',
    ]),
  });

  let stopping = false;
  let stopped: Promise<void> | undefined;
  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST') return false;
    // The body (a Pub/Sub push or a scheduler ping) carries nothing we need: the bucket is the
    // truth. Answer at once so the push is acked; the pass runs on the loop's own time.
    req.resume();
    const reason: WakeReason = /Google-Cloud-Scheduler/i.test(req.headers['user-agent'] ?? '')
      ? 'scheduler'
      : 'notification';
    if (!stopping) loop.wake(reason);
    res.writeHead(204).end();
    return true;
  };
  const server = await startOpsServer({
    port: options.port,
    host: options.host ?? '127.0.0.1',
    registry: metrics.registry,
    healthy: () => !stopping,
    handle,
  });

  const statsStop = new AbortController();
  const statsLoop = refreshDeadLetterGauge(
    options.queue,
    events,
    clock,
    options.statsPeriodMs ?? 30_000,
    statsStop.signal,
    logger,
  );
  loop.start();
  logger.info('dispatcher started', { url: server.url, concurrency: options.concurrency ?? 20 });

  return {
    url: server.url,
    port: server.port,
    loop,
    metrics,
    wake: (reason) => {
      if (!stopping) loop.wake(reason);
    },
    stop({ drain = true } = {}) {
      // A crash may follow a drain that is taking too long: it cuts the drain short.
      if (!drain) void loop.stop({ drain: false });
      stopped ??= (async () => {
        stopping = true;
        statsStop.abort();
        const drainTimeoutMs = options.drainTimeoutMs ?? 6000;
        const timer = new AbortController();
        // The dead-letter count was aborted, but a storage call in flight may still be retrying.
        const settled = Promise.all([loop.stop({ drain }), statsLoop]);
        const inTime = await Promise.race([
          settled.then(() => true),
          clock.sleep(drainTimeoutMs, timer.signal).then(() => false),
        ]);
        timer.abort();
        if (!inTime) {
          // A storage call that ignores its signal can hold even a crash stop: do not wait for it.
          logger.warn('drain took too long; abandoning in-flight work to the orphan sweep', {
            drainTimeoutMs,
          });
          void loop.stop({ drain: false });
        }
        await server.close();
        logger.info('dispatcher stopped', { drained: drain && inTime });
      })();
      return stopped;
    },
  };
}

/**
 * Keeps the dead-letter gauge fresh. Queued and waiting counts come with every dispatch pass and
 * in-progress counts with every orphan sweep; neither reads `dead-letter/`. A full stats() here
 * would list the whole queue a second time (100 list calls at 100,000 queued keys).
 */
async function refreshDeadLetterGauge(
  queue: InspectPort,
  events: DispatchEvents,
  clock: Clock,
  periodMs: number,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  while (!signal.aborted) {
    try {
      events.onCounts?.({ deadLettered: await countDeadLetters(queue, signal) });
    } catch (error) {
      if (!signal.aborted) logger.warn('dead-letter count failed', { error: String(error) });
    }
    await clock.sleep(periodMs, signal);
  }
}

async function countDeadLetters(queue: InspectPort, signal: AbortSignal): Promise<number> {
  let count = 0;
  let pageToken: string | undefined;
  do {
    const page = await queue.list(
      KeyStatus.DEAD_LETTER,
      pageToken === undefined ? { limit: 1000 } : { limit: 1000, pageToken },
      signal,
    );
    count += page.entries.length;
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return count;
}

/** Adds error CloudEvents for requeued, dead-lettered and dropped failures. */
function withErrorEvents(
  events: DispatchEvents,
  sink: ErrorEventSink | undefined,
  reconcilerName: string,
  clock: Clock,
): DispatchEvents {
  if (!sink) return events;
  return {
    ...events,
    onOutcome(info) {
      events.onOutcome?.(info);
      const action = errorEventAction(info.action);
      if (!action) return;
      const error =
        info.error ??
        (info.action.kind === 'dead-letter' ? info.action.lastError : undefined) ??
        'unknown error';
      sink.send({
        key: info.key,
        error,
        attempts: info.attempt,
        action,
        ...(info.action.kind === 'complete' && info.action.reason
          ? { nonRetriableReason: info.action.reason }
          : {}),
        occurAt: new Date(clock.now()).toISOString(),
        reconcilerName,
      });
    },
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
