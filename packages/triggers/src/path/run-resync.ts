import type { Env } from '@recon/backends';
import { systemClock, type Clock } from '@recon/core';
import { createGithubClient } from '@recon/github';
import { createLogger } from '@recon/observability';
import { createResyncSharder } from '../resync/sharder.ts';
import { openEnqueue } from '../util/open-enqueue.ts';
import type { TriggerServiceDeps } from '../util/trigger-service.ts';
import { parseResyncConfig } from './config.ts';
import { githubPathKeySource } from './key-source.ts';

export interface ResyncDeps extends TriggerServiceDeps {
  /** Default systemClock. */
  clock?: Clock;
}

/**
 * `recon serve resync`: one tick of the path reconciler's resync, for a Cloud Run job on a cron
 * every RESYNC_TICK_MINUTES. Lists the default branch's matching files and enqueues those whose
 * minute falls in this tick, at priority 0. Resolves the exit code: 0 when every due key was
 * enqueued, 1 otherwise (the listing failed, or the receiver did not take some keys).
 * A bad configuration throws ConfigError (listing every problem) before anything runs.
 */
export async function runResyncFromEnv(env: Env, deps: ResyncDeps = {}): Promise<number> {
  const config = parseResyncConfig(env);
  const logger = deps.logger ?? createLogger({ fields: { service: 'resync' } });
  const clock = deps.clock ?? systemClock;
  const receiver = openEnqueue(deps.enqueue, config.receiverUrl);
  const source = githubPathKeySource({
    octokit: createGithubClient({
      baseUrl: config.githubApiUrl,
      ...(config.githubToken ? { token: config.githubToken } : {}),
    }),
    repository: config.repository,
    patterns: config.patterns,
  });
  const sharder = createResyncSharder({
    listKeys: () => source.listKeys(),
    periodMs: config.periodMs,
    tickMs: config.tickMs,
    enqueue: receiver.port,
    clock,
  });
  try {
    const tick = await sharder.tick();
    const fields = {
      repository: `${config.repository.owner}/${config.repository.repo}`,
      windowStart: new Date(tick.windowStart).toISOString(),
      listed: tick.listed,
      due: tick.due,
      enqueued: tick.enqueued,
      dropped: tick.dropped.length,
      failed: tick.failed.length,
    };
    if (tick.failed.length > 0) {
      logger.error('resync tick could not enqueue every key', {
        ...fields,
        error: describe(tick.failed[0]?.error),
      });
      return 1;
    }
    logger.info('resync tick done', fields);
    return 0;
  } catch (err) {
    logger.error('resync tick failed', { error: err instanceof Error ? err : String(err) });
    return 1;
  } finally {
    receiver.close();
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
