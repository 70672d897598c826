import { Counter, Registry } from 'prom-client';

export const deliveryResults = [
  'accepted',
  'duplicate',
  'ignored',
  'unauthorized',
  'invalid',
  'failed',
] as const;
export type DeliveryResult = (typeof deliveryResults)[number];

export interface WebhookMetrics {
  registry: Registry;
  /** `github_webhook_deliveries_total{event, result}` */
  deliveries: Counter<'event' | 'result'>;
  /** `github_webhook_keys_total`: keys enqueued or published. */
  keys: Counter;
}

export function createWebhookMetrics(registry: Registry = new Registry()): WebhookMetrics {
  return {
    registry,
    deliveries: new Counter({
      name: 'github_webhook_deliveries_total',
      help: 'GitHub webhook deliveries by event and result (accepted, duplicate, ignored, unauthorized, invalid, failed).',
      labelNames: ['event', 'result'] as const,
      registers: [registry],
    }),
    keys: new Counter({
      name: 'github_webhook_keys_total',
      help: 'Keys enqueued or published from GitHub webhook deliveries.',
      registers: [registry],
    }),
  };
}
