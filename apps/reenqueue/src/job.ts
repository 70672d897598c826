import { EnvReader, openQueue, readQueueConfig, type Env } from '@recon/backends';
import { createLogger, type Logger } from '@recon/observability';
import { reenqueueDeadLetters, type DeadLetterSelection } from './reenqueue.ts';

export interface ReenqueueJobConfig {
  select: DeadLetterSelection;
  dryRun: boolean;
  ratePerSecond?: number;
}

/**
 * The job's own variables, beside the queue's: REENQUEUE_KEYS (comma-separated), or
 * REENQUEUE_PREFIX, or neither (= all); REENQUEUE_DRY_RUN=true; REENQUEUE_RATE (keys/s).
 */
export function readReenqueueJobConfig(r: EnvReader): ReenqueueJobConfig {
  const keys = r.string('REENQUEUE_KEYS');
  const prefix = r.string('REENQUEUE_PREFIX');
  if (keys && prefix) r.problems.push('set REENQUEUE_KEYS or REENQUEUE_PREFIX, not both');
  const select: DeadLetterSelection = keys
    ? {
        keys: keys
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      }
    : prefix
      ? { prefix }
      : { all: true };
  const rate = r.int('REENQUEUE_RATE', 0, { min: 0 });
  return {
    select,
    dryRun: r.oneOf('REENQUEUE_DRY_RUN', ['true', 'false'] as const, 'false') === 'true',
    ...(rate > 0 ? { ratePerSecond: rate } : {}),
  };
}

/** The Cloud Run job: move, report, exit non-zero if any key failed to move. */
export async function runReenqueueFromEnv(
  env: Env,
  logger: Logger = createLogger({ fields: { service: 'reenqueue' } }),
): Promise<number> {
  const r = new EnvReader(env);
  const queueConfig = readQueueConfig(r);
  const job = readReenqueueJobConfig(r);
  r.done();
  const queue = openQueue(queueConfig);
  try {
    const report = await reenqueueDeadLetters({ queue, ...job });
    logger.info(job.dryRun ? 'dry run: keys that would move' : 'dead-lettered keys re-enqueued', {
      selected: report.selected.length,
      moved: report.moved.length,
      failed: report.failed.length,
      missing: report.missing.length,
      ...(job.dryRun ? { keys: report.selected.slice(0, 100) } : {}),
    });
    for (const f of report.failed)
      logger.error('could not re-enqueue key', { key: f.key, error: f.error });
    return report.failed.length > 0 ? 1 : 0;
  } finally {
    await queue.close();
  }
}
