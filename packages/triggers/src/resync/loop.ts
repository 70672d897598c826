/**
 * A long-lived resync: ticks at every window boundary of the sharder's clock. Windows missed
 * while a tick ran long (or the process was paused) are caught up in order, at most one period's
 * worth, so no key skips its period because of a slow listing.
 */
import { systemClock, type Clock } from '@recon/core';
import { silentLogger, type Logger } from '@recon/observability';
import type { ResyncSharder, ResyncTick } from './sharder.ts';

export interface ResyncLoopOptions {
  sharder: ResyncSharder;
  /** Default systemClock; must be the sharder's clock. */
  clock?: Clock;
  /** Stops the loop (between ticks, or cancels the current one's enqueues). */
  signal: AbortSignal;
  logger?: Logger;
  /** Called after each tick; a tick that threw reports `error` instead. */
  onTick?: (tick: ResyncTick | { windowStart: number; error: unknown }) => void;
}

export async function runResyncLoop(options: ResyncLoopOptions): Promise<void> {
  const { sharder, signal } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  let next = Math.floor(clock.now() / sharder.tickMs) * sharder.tickMs;
  while (!signal.aborted) {
    const now = clock.now();
    if (next > now) {
      await clock.sleep(next - now, signal);
      continue;
    }
    const oldest = Math.floor((now - sharder.periodMs) / sharder.tickMs + 1) * sharder.tickMs;
    if (next < oldest) {
      logger.warn('resync fell more than a period behind; skipping ahead', {
        skippedWindows: (oldest - next) / sharder.tickMs,
      });
      next = oldest;
    }
    try {
      const tick = await sharder.tickWindow(next, signal);
      if (tick.failed.length > 0) {
        logger.error('resync tick could not enqueue every key', {
          windowStart: new Date(next).toISOString(),
          failed: tick.failed.length,
        });
      }
      options.onTick?.(tick);
    } catch (error) {
      logger.error('resync tick failed', {
        windowStart: new Date(next).toISOString(),
        error: error instanceof Error ? error : String(error),
      });
      options.onTick?.({ windowStart: next, error });
    }
    next += sharder.tickMs;
  }
}
