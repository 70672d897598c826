import type { Env } from '@recon/backends';
import { createGithubClient } from '@recon/github';
import { createLogger, startOpsServer } from '@recon/observability';
import { DeliveryDedup } from '../github-webhook/delivery-dedup.ts';
import { createWebhookMetrics } from '../github-webhook/metrics.ts';
import { createWebhookReceiver } from '../github-webhook/webhook-request.ts';
import { openEnqueue } from '../util/open-enqueue.ts';
import type { TriggerService, TriggerServiceDeps } from '../util/trigger-service.ts';
import { parseGithubPushConfig } from './config.ts';
import { githubPushListener } from './push-listener.ts';

/** `recon serve github-push`: pushes to the default branch → changed files' keys → the queue. */
export async function serveGithubPushFromEnv(
  env: Env,
  deps: TriggerServiceDeps = {},
): Promise<TriggerService> {
  const config = parseGithubPushConfig(env);
  const logger = deps.logger ?? createLogger({ fields: { service: 'github-push' } });
  const receiver = openEnqueue(deps.enqueue, config.receiverUrl);
  const octokit = createGithubClient({
    baseUrl: config.githubApiUrl,
    ...(config.githubToken ? { token: config.githubToken } : {}),
  });
  const metrics = createWebhookMetrics();
  const server = await startOpsServer({
    port: config.port,
    host: config.host,
    registry: metrics.registry,
    handle: createWebhookReceiver({
      secret: config.secret,
      dedup: new DeliveryDedup(),
      logger,
      metrics,
      onEvent: githubPushListener({
        octokit,
        repository: config.repository,
        patterns: config.patterns,
        enqueue: receiver.port,
        logger,
      }),
    }),
  });
  logger.info('github push listener listening', {
    url: server.url,
    repository: `${config.repository.owner}/${config.repository.repo}`,
    patterns: config.patterns.sources,
  });
  return {
    url: server.url,
    async stop() {
      await server.close();
      receiver.close();
    },
  };
}
