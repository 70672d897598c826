import type { Env } from '@recon/backends';
import { createLogger, startOpsServer } from '@recon/observability';
import type { TriggerService, TriggerServiceDeps } from '../util/trigger-service.ts';
import { openEnqueue } from '../util/open-enqueue.ts';
import { createPubSub } from '../util/pubsub-client.ts';
import { createCloudEventsBridge } from './bridge.ts';
import { parseCloudEventsBridgeConfig } from './config.ts';
import { createBridgeMetrics } from './metrics.ts';
import { createPushEndpoint } from './push-endpoint.ts';
import { startPullSubscriber, type PullSubscriber } from './pull-subscriber.ts';

/** `recon serve cloudevents-bridge`: the push endpoint, and pull mode when PUBSUB_SUBSCRIPTION is set. */
export async function serveCloudEventsBridgeFromEnv(
  env: Env,
  deps: TriggerServiceDeps = {},
): Promise<TriggerService> {
  const config = parseCloudEventsBridgeConfig(env);
  const logger = deps.logger ?? createLogger({ fields: { service: 'cloudevents-bridge' } });
  const receiver = openEnqueue(deps.enqueue, config.receiverUrl);
  const metrics = createBridgeMetrics();
  const bridge = createCloudEventsBridge({
    enqueue: receiver.port,
    extensionKey: config.extensionKey,
    priority: config.priority,
    filters: config.filters,
    metrics,
    logger,
  });
  const pubsub = config.subscription ? createPubSub(config.pubsub) : undefined;
  let subscriber: PullSubscriber | undefined;
  if (pubsub && config.subscription) {
    subscriber = startPullSubscriber({ pubsub, subscription: config.subscription, bridge, logger });
  }
  const server = await startOpsServer({
    port: config.port,
    host: config.host,
    registry: metrics.registry,
    healthy: () => subscriber?.healthy() ?? true,
    handle: createPushEndpoint({ bridge, logger }),
  });
  logger.info('cloudevents bridge listening', {
    url: server.url,
    extensionKey: config.extensionKey,
    priority: config.priority,
    filters: config.filters.length,
    ...(config.subscription ? { subscription: config.subscription } : {}),
  });
  return {
    url: server.url,
    async stop() {
      await subscriber?.close();
      await pubsub?.close();
      await server.close();
      receiver.close();
    },
  };
}
