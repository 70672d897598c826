import type { DispatchEvents } from '@recon/dispatch';
import type { Logger } from './logger.ts';
import { priorityClass } from './metric-names.ts';
import type { WorkqueueMetrics } from './workqueue-metrics.ts';

export interface DispatchObserverOptions {
  metrics: WorkqueueMetrics;
  logger: Logger;
  /** Time source for time-to-completion. Default Date.now. */
  now?: () => number;
}

/** Wires the dispatch loop's typed events to metrics and structured logs. */
export function observeDispatch({
  metrics,
  logger,
  now = Date.now,
}: DispatchObserverOptions): DispatchEvents {
  return {
    onTrigger: ({ result }) => metrics.dispatchTriggers.inc({ result }),
    onPass: ({ durationMs }) => metrics.enumerateLatency.observe(durationMs / 1000),
    onAttemptStart: ({ key, attempt, waitMs }) => {
      metrics.waitLatency.observe(Math.max(0, waitMs) / 1000);
      logger.debug('attempt started', { key, attempt });
    },
    onOutcome: ({ key, attempt, priority, action, durationMs, firstQueuedAt, error }) => {
      metrics.processLatency.observe(durationMs / 1000);
      metrics.outcomes.inc({ outcome: action.label });
      if (action.kind === 'complete' || action.kind === 'dead-letter') {
        const status = action.kind === 'dead-letter' ? 'dead_lettered' : action.label;
        metrics.timeToCompletion.observe(
          { priority_class: priorityClass(priority), status },
          Math.max(0, now() - firstQueuedAt) / 1000,
        );
        metrics.attemptsAtCompletion.observe(attempt);
      }
      const severity = action.kind === 'dead-letter' ? 'error' : error ? 'warn' : 'info';
      logger[severity]('attempt ended', {
        key,
        attempt,
        outcome: action.label,
        ...(error ? { error } : {}),
      });
    },
    onLeaseLost: ({ key, attempt }) =>
      logger.warn('lease lost; result discarded', { key, attempt }),
    onSweep: ({ requeued, leaseAgesMs, inProgress }) => {
      metrics.expiredLeases.inc(requeued.length);
      for (let i = 0; i < requeued.length; i++) metrics.outcomes.inc({ outcome: 'orphaned' });
      for (const age of leaseAgesMs) metrics.leaseAge.observe(age / 1000);
      metrics.inProgressKeys.set(inProgress);
      for (const key of requeued)
        logger.warn('orphaned key requeued after its lease expired', { key });
    },
    onCounts: (counts) => {
      if (counts.queued !== undefined) metrics.queuedKeys.set(counts.queued);
      if (counts.waiting !== undefined) metrics.notBeforeKeys.set(counts.waiting);
      if (counts.inProgress !== undefined) metrics.inProgressKeys.set(counts.inProgress);
      if (counts.deadLettered !== undefined) metrics.deadLetteredKeys.set(counts.deadLettered);
      if (counts.maxAttempts !== undefined) metrics.maxAttempts.set(counts.maxAttempts);
    },
    onError: ({ where, error, key }) =>
      logger.error(`dispatch error in ${where}`, {
        error: error instanceof Error ? error : String(error),
        ...(key ? { key } : {}),
      }),
  };
}
