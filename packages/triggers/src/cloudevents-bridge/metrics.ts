import { Counter, Registry } from 'prom-client';

export type BridgeResult = 'enqueued' | 'dropped' | 'filtered' | 'failed';

export interface BridgeMetrics {
  registry: Registry;
  /** `cloudevents_bridge_events_total{result}` */
  events: Counter<'result'>;
}

export function createBridgeMetrics(registry: Registry = new Registry()): BridgeMetrics {
  const events = new Counter({
    name: 'cloudevents_bridge_events_total',
    help: 'CloudEvents handled by the bridge: enqueued, dropped (no or bad key), filtered out, or failed (redelivered).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  for (const result of ['enqueued', 'dropped', 'filtered', 'failed'] as const)
    events.inc({ result }, 0);
  return { registry, events };
}
