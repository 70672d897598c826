/**
 * What a reconcile gets besides its key. The same shape in every runtime (served, embedded, the
 * test kit), so a reconciler never knows which one runs it.
 */
import { type Clock, systemClock } from '@recon/core';
import type { CloudEventV1 } from 'cloudevents';
import { type ActionLimiter, unlimited } from './limits/action-limiter.ts';
import { type Logger, silentLogger } from './logger.ts';

/** A CloudEvent as the SDK publishes it (the `cloudevents` CloudEvent class fits). */
export type ReconEvent = CloudEventV1<unknown>;

export interface ReconcileContext {
  readonly key: string;
  /**
   * Aborted when the attempt must stop: the lease was lost, the deadline passed, or the runtime
   * is shutting down. Pass it to every I/O call; after it aborts, nothing you write is trusted.
   */
  readonly signal: AbortSignal;
  /** Which attempt this is, 1-based (attempts reset after a requeue-after). */
  readonly attempt: number;
  /** Attempts before dead-lettering; 0 = unlimited. */
  readonly maxAttempts: number;
  readonly priority: number;
  /** Unix ms after which the runtime abandons the call, when it has one. */
  readonly deadline: number | undefined;
  /** Structured JSON logger with `key` and `attempt` bound. */
  readonly logger: Logger;
  readonly clock: Clock;
  /** Minimum intervals per named action: `await ctx.limiter.wait('deploy')`. */
  readonly limiter: ActionLimiter;
  /** Publishes a CloudEvent (the embedded controller's bus; a log line when served). */
  emit(event: ReconEvent): Promise<void>;
}

export interface ContextInit {
  key: string;
  signal: AbortSignal;
  attempt?: number;
  maxAttempts?: number;
  priority?: number;
  deadline?: number;
  logger?: Logger;
  clock?: Clock;
  limiter?: ActionLimiter;
  emit?: (event: ReconEvent) => Promise<void>;
}

/** Builds a context with defaults: attempt 1, unlimited attempts, priority 0, system clock. */
export function createContext(init: ContextInit): ReconcileContext {
  const attempt = init.attempt && init.attempt > 0 ? init.attempt : 1;
  const logger = (init.logger ?? silentLogger).child({ key: init.key, attempt });
  return {
    key: init.key,
    signal: init.signal,
    attempt,
    maxAttempts: init.maxAttempts ?? 0,
    priority: init.priority ?? 0,
    deadline: init.deadline,
    logger,
    clock: init.clock ?? systemClock,
    limiter: init.limiter ?? unlimited,
    emit:
      init.emit ??
      (async (event) => {
        logger.info('event', { event: { id: event.id, type: event.type, source: event.source } });
      }),
  };
}
