import {
  KeyStatus,
  systemClock,
  type Clock,
  type DeadLetterPort,
  type InspectPort,
} from '@recon/core';

/** Which dead-lettered keys to move. */
export type DeadLetterSelection = { all: true } | { keys: string[] } | { prefix: string };

export interface ReenqueueOptions {
  queue: InspectPort & DeadLetterPort;
  select: DeadLetterSelection;
  /** List what would move; change nothing. */
  dryRun?: boolean;
  /** At most this many moves per second; undefined = as fast as storage allows. */
  ratePerSecond?: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Called after each key with running totals (progress bars). */
  onProgress?: (progress: { done: number; total: number; key: string; ok: boolean }) => void;
}

export interface ReenqueueReport {
  /** Keys selected from the dead-letter queue. */
  selected: string[];
  moved: string[];
  /** Keys that could not be moved, with why. */
  failed: Array<{ key: string; error: string }>;
  /** Named keys that had no dead-letter copy. */
  missing: string[];
  dryRun: boolean;
}

/**
 * Moves dead-lettered keys back to the queue with attempts reset and their original priority;
 * each dead-letter copy is removed once its key is queued again, so the DLQ gauge falls at once.
 */
export async function reenqueueDeadLetters(options: ReenqueueOptions): Promise<ReenqueueReport> {
  const clock = options.clock ?? systemClock;
  const selected = await selectKeys(options);
  const report: ReenqueueReport = {
    selected,
    moved: [],
    failed: [],
    missing: [],
    dryRun: options.dryRun === true,
  };
  if (options.dryRun) return report;
  const spacingMs = options.ratePerSecond ? 1000 / options.ratePerSecond : 0;
  let done = 0;
  for (const key of selected) {
    if (options.signal?.aborted) {
      report.failed.push({ key, error: 'interrupted' });
      continue;
    }
    const began = clock.now();
    let ok = false;
    try {
      if (await options.queue.reenqueueDeadLetter(key, options.signal)) {
        report.moved.push(key);
        ok = true;
      } else {
        report.missing.push(key);
      }
    } catch (err) {
      report.failed.push({ key, error: err instanceof Error ? err.message : String(err) });
    }
    options.onProgress?.({ done: ++done, total: selected.length, key, ok });
    const wait = spacingMs - (clock.now() - began);
    if (wait > 0) await clock.sleep(wait, options.signal);
  }
  return report;
}

async function selectKeys(options: ReenqueueOptions): Promise<string[]> {
  const { select, queue, signal } = options;
  if ('keys' in select) return [...new Set(select.keys)];
  const prefix = 'prefix' in select ? select.prefix : '';
  const keys: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await queue.list(
      KeyStatus.DEAD_LETTER,
      { prefix, limit: 1000, ...(pageToken ? { pageToken } : {}) },
      signal,
    );
    for (const e of page.entries) keys.push(e.key);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return keys;
}
