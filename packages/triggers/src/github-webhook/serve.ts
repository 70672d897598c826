import type { Env } from '@recon/backends';
import { systemClock } from '@recon/core';
import { createLogger, startOpsServer } from '@recon/observability';
import type { TriggerService, TriggerServiceDeps } from '../util/trigger-service.ts';
import { openEnqueue } from '../util/open-enqueue.ts';
import { createPubSub } from '../util/pubsub-client.ts';
import { parseGithubWebhookConfig } from './config.ts';
import { DeliveryDedup } from './delivery-dedup.ts';
import { githubIngress } from './ingress.ts';
import { brokerKeySink, enqueueKeySink, type KeySink } from './key-sinks.ts';
import { createWebhookMetrics } from './metrics.ts';
import { createWebhookReceiver } from './webhook-request.ts';

/** `recon serve github-webhook`: GitHub deliveries → PR/issue keys → the queue or the broker. */
export async function serveGithubWebhookFromEnv(
  env: Env,
  deps: TriggerServiceDeps = {},
): Promise<TriggerService> {
  const config = parseGithubWebhookConfig(env);
  const logger = deps.logger ?? createLogger({ fields: { service: 'github-webhook' } });
  const metrics = createWebhookMetrics();
  const closers: (() => Promise<void> | void)[] = [];
  let sink: KeySink;
  if (config.target.kind === 'broker') {
    const pubsub = createPubSub(config.pubsub);
    const topic = pubsub.topic(config.target.topic);
    sink = brokerKeySink(topic, { clock: systemClock });
    closers.push(async () => {
      await topic.flush();
      await pubsub.close();
    });
  } else {
    const receiver = openEnqueue(deps.enqueue, config.target.url);
    sink = enqueueKeySink(receiver.port, { logger });
    closers.push(() => receiver.close());
  }
  const server = await startOpsServer({
    port: config.port,
    host: config.host,
    registry: metrics.registry,
    handle: createWebhookReceiver({
      secret: config.secret,
      dedup: new DeliveryDedup(),
      logger,
      metrics,
      onEvent: githubIngress(sink),
    }),
  });
  logger.info('github webhook ingress listening', {
    url: server.url,
    target:
      config.target.kind === 'broker'
        ? `topic ${config.target.topic}`
        : `receiver ${config.target.url}`,
  });
  return {
    url: server.url,
    async stop() {
      await server.close();
      for (const close of closers) await close();
    },
  };
}
